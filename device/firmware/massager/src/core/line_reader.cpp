#include "line_reader.h"

namespace core {

namespace {

// The line is blank when JavaScript's String.prototype.trim would leave nothing of it (read as
// UTF-8), so the firmware discards exactly the lines the TypeScript decoder discards.
bool isAsciiBlank(uint8_t byte) { return byte == ' ' || (byte >= 0x09 && byte <= 0x0d); }

// The non-ASCII white space and line terminators trim() removes, as UTF-8: U+00A0, U+1680,
// U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
bool isUnicodeBlank(const uint8_t* bytes, uint8_t length) {
  if (length == 2) return bytes[0] == 0xc2 && bytes[1] == 0xa0;
  const uint8_t a = bytes[0], b = bytes[1], c = bytes[2];
  if (a == 0xe2 && b == 0x80) return c <= 0x8a ? c >= 0x80 : (c == 0xa8 || c == 0xa9 || c == 0xaf);
  return (a == 0xe1 && b == 0x9a && c == 0x80) || (a == 0xe2 && b == 0x81 && c == 0x9f) ||
         (a == 0xe3 && b == 0x80 && c == 0x80) || (a == 0xef && b == 0xbb && c == 0xbf);
}

uint8_t unicodeBlankLength(uint8_t lead) {
  if (lead == 0xc2) return 2;
  return (lead == 0xe1 || lead == 0xe2 || lead == 0xe3 || lead == 0xef) ? 3 : 0;
}

const uint16_t kCountCeiling = 0xffff;

}  // namespace

void LineReader::reset() {
  count_ = 0;
  length_ = 0;
  last_ = 0;
  blank_ = true;
  pendingLength_ = 0;
}

void LineReader::noteBlank(uint8_t byte) {
  if (!blank_) return;
  if (pendingLength_ == 0) {
    if (isAsciiBlank(byte)) return;
    if (unicodeBlankLength(byte) == 0) {
      blank_ = false;
      return;
    }
  }
  pending_[pendingLength_++] = byte;
  if (pendingLength_ < unicodeBlankLength(pending_[0])) return;
  if (!isUnicodeBlank(pending_, pendingLength_)) blank_ = false;
  pendingLength_ = 0;
}

LineReader::Result LineReader::feed(uint8_t byte) {
  if (byte != '\n') {
    if (count_ < sizeof(buffer_)) buffer_[count_] = static_cast<char>(byte);
    if (count_ < kCountCeiling) count_++;
    noteBlank(byte);
    last_ = byte;
    return kPending;
  }
  uint16_t length = count_;
  if (length > 0 && last_ == '\r') length--;  // one trailing CR is part of the line ending
  const bool blank = blank_ && pendingLength_ == 0;
  const bool comment = count_ > 0 && buffer_[0] == '#';
  reset();
  if (blank || comment) return kIgnored;
  if (length > kMaxLineLength) return kOverlong;
  length_ = static_cast<uint8_t>(length);
  return kLine;
}

}  // namespace core
