// Splits the serial byte stream into lines in a fixed buffer. It survives any input: an
// overlong line is dropped up to its newline and reported once, never copied past the buffer.
#pragma once
#include <stdint.h>

#include "config.h"

namespace core {

class LineReader {
 public:
  enum Result : uint8_t {
    kPending,   // no complete line yet
    kLine,      // line() holds a complete line, without its line ending
    kIgnored,   // a blank or `#` line: not a frame, no reply
    kOverlong,  // the line was longer than kMaxLineLength: reply ER 0 101
  };

  void reset();
  /** Takes one byte; a frame is bytes, counted as they come whatever their value (PROTOCOL.md, "Frames"). */
  Result feed(uint8_t byte);
  const char* line() const { return buffer_; }
  uint8_t length() const { return length_; }

 private:
  // One byte more than a frame (a frame's CRs need no room: they are counted, not read).
  char buffer_[kMaxLineLength + 1];
  uint16_t count_;  // bytes seen in this line, saturating: it may be far longer than the buffer
  uint8_t length_;
  uint16_t carriageReturns_;  // CRs at the end of the bytes so far
  bool blank_;
};

}  // namespace core
