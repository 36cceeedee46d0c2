// A decoded host request (PROTOCOL.md, "Requests"), with its fields in the command table's order.
#pragma once
#include <stdint.h>

#include "config.h"

namespace core {

enum Command : uint8_t {
  kHello,
  kLoad,
  kBlk,
  kKey,
  kCommit,
  kStart,
  kStream,
  kSet,
  kPause,
  kResume,
  kStop,
  kEstop,
  kPing,
  kStatus,
  kTelem,
  kGain,
  kPins,
  kRequestCount,
  // Device frames: decoded only so that one sent to the device is refused exactly as the
  // TypeScript codec reads it (UnknownCommand with its seq, or the codec's own error).
  kOk = kRequestCount,
  kEr,
  kId,
  kSt,
  kTm,
  kPn,
  kCommandCount,
};

/** Easing codes on the wire: 0 step, 1 linear, 2 ease-in, 3 ease-out, 4 ease-in-out, 5 sine. */
enum Ease : uint8_t { kEaseStep, kEaseLinear, kEaseIn, kEaseOut, kEaseInOut, kEaseSine, kEaseCount };

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

/** Wire error codes (PROTOCOL.md, "Errors"); 0 means no error. */
const uint8_t kNoError = 0;
const uint8_t kBadChecksum = 100;
const uint8_t kLineTooLong = 101;
const uint8_t kUnknownCommand = 102;
const uint8_t kBadArguments = 103;
const uint8_t kOutOfRange = 104;
const uint8_t kMissingChecksum = 105;
const uint8_t kBadState = 200;
const uint8_t kProgramTooLarge = 201;
const uint8_t kProgramIncomplete = 202;

/** The name of a command as it travels ("HELLO"); a pointer into flash, read it with flashByte(). */
const char* commandName(uint8_t command);

}  // namespace core
