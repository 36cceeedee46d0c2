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

/** The kind of the `index`th field of `command` (kFieldNone past the last). */
uint8_t fieldKind(uint8_t command, uint8_t index);

}  // namespace core
