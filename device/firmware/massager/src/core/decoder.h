// Decodes one line exactly as protocol/codec.ts decode() does, running the checks in
// PROTOCOL.md's order so the first failure is the reply: checksum present (105), checksum (100),
// token form (103), name (102), sequence number (103), field count and the form of every field
// (103), then any field's range (104). Line length (101) and blank or comment lines are the
// LineReader's part.
#pragma once
#include <stdint.h>

#include "request.h"

namespace core {

/**
 * Decodes `line` (at most kMaxLineLength bytes, line ending removed). Returns kNoError or the
 * error code; `out.seq` holds the sequence number when it was read (0 otherwise). A device frame
 * (OK, ER, ID, ST, TM) decodes too, with `out.command` >= kRequestCount: the device refuses it.
 */
uint8_t decodeFrame(const char* line, uint8_t length, Request& out);

/** Kinds of fields a command's table row lists (protocol/commands.ts). */
enum FieldKind : uint8_t {
  kFieldNone,
  kFieldByte,       // 0..255
  kFieldCount,      // 1..255
  kFieldDuration,   // 1..86400000 ms
  kFieldPermille,   // 0..1000
  kFieldLimit,      // 1..86400 s
  kFieldLevel,      // -1000..1000
  kFieldPeriod,     // 0..10000 ms
  kFieldCode,       // 100..299
  kFieldPwmBits,    // 1..16
  kFieldKeyCount,   // 1..65535
  kFieldWatchdog,   // 100..60000 ms
  kFieldPosition,   // 0..86400000 ms
  kFieldTime,       // 0..4294967295 ms
  kFieldPin,        // 0..19 (Arduino numbering; 0: none)
  kFieldTrack,      // V or R
  kFieldKeys,       // 1..4 keyframes dt,value,ease
  kFieldVersion,    // major.minor.patch
  kFieldState,      // IDLE PLAYING PAUSED STREAMING STOPPING
  kFieldReason,     // BOOT HOST DONE ESTOP WDOG LIMIT FAULT
  kFieldDriver,     // PD 2P
};

/** The kind of the `index`th field of `command` (kFieldNone past the last). */
uint8_t fieldKind(uint8_t command, uint8_t index);

}  // namespace core
