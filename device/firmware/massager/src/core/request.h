// A decoded host request (PROTOCOL.md, "Requests"), with its fields in the command table's order.
// The commands, field kinds and error codes are generated from protocol/*.ts: protocol_table.h.
#pragma once
#include <stdint.h>

#include "config.h"
#include "protocol_table.h"

namespace core {

/** Easing codes on the wire: 0 step, 1 linear, 2 ease-in, 3 ease-out, 4 ease-in-out, 5 sine. */
enum Ease : uint8_t { kEaseStep, kEaseLinear, kEaseIn, kEaseOut, kEaseInOut, kEaseSine, kEaseCount };
static_assert(kEaseCount == kEasingCount, "the easings in protocol/fields.ts changed: update Ease and easing.cpp");

struct WireKey {
  uint16_t dtMs;
  int16_t value;
  uint8_t ease;
};

struct Request {
  uint8_t command;
  /** The request's sequence number; 0 while it has not been read. */
  uint16_t seq;
  /** Scalar fields in table order, e.g. START: vibCap, rotCap, limitS. */
  int32_t field[3];
  /** KEY: 'V' or 'R', then 1..4 keyframes. */
  uint8_t track;
  uint8_t keyCount;
  WireKey keys[kMaxKeysPerFrame];
};

/** The name of a command as it travels ("HELLO"); a pointer into flash, read it with flashByte(). */
const char* commandName(uint8_t command);

}  // namespace core
