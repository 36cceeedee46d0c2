#include "line_reader.h"

namespace core {

namespace {

// PROTOCOL.md, "Frames": a line is blank when it holds only ASCII white space (space and
// 0x09..0x0D). The rule is on bytes, so every other byte (0xA0 included) makes a line non-blank.
bool isBlank(uint8_t byte) { return byte == ' ' || (byte >= 0x09 && byte <= 0x0d); }

const uint16_t kCountCeiling = 0xffff;

}  // namespace

void LineReader::reset() {
  count_ = 0;
  length_ = 0;
  last_ = 0;
  blank_ = true;
}

LineReader::Result LineReader::feed(uint8_t byte) {
  if (byte != '\n') {
    if (count_ < sizeof(buffer_)) buffer_[count_] = static_cast<char>(byte);
    if (count_ < kCountCeiling) count_++;
    if (!isBlank(byte)) blank_ = false;
    last_ = byte;
    return kPending;
  }
  uint16_t length = count_;
  if (length > 0 && last_ == '\r') length--;  // one trailing CR is part of the line ending
  const bool blank = blank_;
  const bool comment = count_ > 0 && buffer_[0] == '#';
  reset();
  if (blank || comment) return kIgnored;
  if (length > kMaxLineLength) return kOverlong;
  length_ = static_cast<uint8_t>(length);
  return kLine;
}

}  // namespace core
