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
  carriageReturns_ = 0;
  blank_ = true;
}

LineReader::Result LineReader::feed(uint8_t byte) {
  if (byte != '\n') {
    if (count_ < sizeof(buffer_)) buffer_[count_] = static_cast<char>(byte);
    if (count_ < kCountCeiling) count_++;
    if (!isBlank(byte)) blank_ = false;
    // Every CR right before the newline is part of the line ending (PROTOCOL.md, "Frames").
    carriageReturns_ = byte == '\r' ? static_cast<uint16_t>(carriageReturns_ + 1) : 0;
    return kPending;
  }
  // The bytes before the CRs all fit the buffer whenever the line is short enough to be read.
  const uint16_t length = count_ - carriageReturns_;
  const bool blank = blank_;
  const bool comment = count_ > 0 && buffer_[0] == '#';
  const bool saturated = count_ == kCountCeiling;  // far too long to know its length
  reset();
  if (blank || comment) return kIgnored;
  if (length > kMaxLineLength || saturated) return kOverlong;
  length_ = static_cast<uint8_t>(length);
  return kLine;
}

}  // namespace core
