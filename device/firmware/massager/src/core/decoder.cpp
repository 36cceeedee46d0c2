#include "decoder.h"

#include "crc8.h"
#include "flash.h"

namespace core {

namespace {

// The rows of protocol/commands.ts: name, whether a sequence number follows, field kinds. In flash.
struct CommandRow {
  char name[kCommandNameSize];
  uint8_t hasSeq;
  uint8_t fields[kMaxFields];
};

const CommandRow kCommands[kCommandCount] CORE_FLASH = CORE_COMMAND_ROWS;

// Ranges of the numeric field kinds, indexed by FieldKind: {lowest, highest}.
struct Range {
  int32_t low;
  uint32_t high;
};

const Range kRanges[kFieldNumericEnd] CORE_FLASH = CORE_FIELD_RANGES;

// The values of each enum field kind (a track, a state, a reason...), indexed from kFieldNumericEnd.
const char kEnumValues[kEnumKindCount][kMaxEnumValues][kEnumValueSize] CORE_FLASH = CORE_ENUM_VALUES;

// Keyframe parts: dt 1..65535 ms, value -1000..1000, ease 0..5.
const Range kKeyRanges[3] CORE_FLASH = CORE_KEY_RANGES;

const uint8_t kMaxIntegerLength = 11;
const uint8_t kMaxSeqLength = 5;

struct Span {
  const char* text;
  uint8_t length;
};

// Splits on single spaces exactly like JavaScript's split(" "): "A  B" has an empty token.
class Tokens {
 public:
  Tokens(const char* text, uint8_t length) : text_(text), length_(length), position_(0), done_(false) {}

  bool next(Span& out) {
    if (done_) return false;
    const uint8_t start = position_;
    while (position_ < length_ && text_[position_] != ' ') position_++;
    out.text = text_ + start;
    out.length = static_cast<uint8_t>(position_ - start);
    if (position_ == length_) {
      done_ = true;
    } else {
      position_++;
    }
    return true;
  }

 private:
  const char* text_;
  uint8_t length_;
  uint8_t position_;
  bool done_;
};

// What reading a field found; form problems (103) outrank range problems (104) anywhere in the frame.
enum Reading : uint8_t { kReadOk, kReadOutOfRange, kReadMalformed };

Reading worse(Reading a, Reading b) { return a > b ? a : b; }

bool isTokenByte(uint8_t byte) { return byte >= 0x21 && byte <= 0x7e && byte != '*'; }

bool isDigit(uint8_t byte) { return byte >= '0' && byte <= '9'; }

int8_t hexValue(uint8_t byte) {
  if (isDigit(byte)) return static_cast<int8_t>(byte - '0');
  if (byte >= 'A' && byte <= 'F') return static_cast<int8_t>(byte - 'A' + 10);
  if (byte >= 'a' && byte <= 'f') return static_cast<int8_t>(byte - 'a' + 10);
  return -1;
}

bool spanIs(const Span& span, const char* flashText) {
  for (uint8_t i = 0; i < span.length; i++) {
    if (flashByte(flashText + i) != static_cast<uint8_t>(span.text[i])) return false;
  }
  return flashByte(flashText + span.length) == 0;
}

// An integer token in its one canonical form: "0|-?[1-9][0-9]*" (no leading zeros, no "-0"), at
// most 11 characters; then its range. Values past 32 bits saturate (they are out of every
// range), so nothing overflows.
Reading readInteger(const char* text, uint8_t length, const Range* range, int32_t& value) {
  if (length == 0 || length > kMaxIntegerLength) return kReadMalformed;
  const bool negative = text[0] == '-';
  uint8_t i = negative ? 1 : 0;
  if (i == length || (text[i] == '0' && (negative || length - i > 1))) return kReadMalformed;
  uint32_t magnitude = 0;
  bool overflow = false;
  for (; i < length; i++) {
    const uint8_t byte = static_cast<uint8_t>(text[i]);
    if (!isDigit(byte)) return kReadMalformed;
    const uint8_t digit = static_cast<uint8_t>(byte - '0');
    if (magnitude > 429496729UL || (magnitude == 429496729UL && digit > 5)) overflow = true;
    if (!overflow) magnitude = magnitude * 10 + digit;
  }
  const int32_t low = static_cast<int32_t>(flashDword(&range->low));
  const uint32_t high = flashDword(&range->high);
  bool inRange;
  if (negative && magnitude > 0) {
    inRange = !overflow && low < 0 && magnitude <= static_cast<uint32_t>(-low);
    value = inRange ? -static_cast<int32_t>(magnitude) : 0;
  } else {
    inRange = !overflow && magnitude <= high && (low <= 0 || magnitude >= static_cast<uint32_t>(low));
    value = static_cast<int32_t>(magnitude);
  }
  return inRange ? kReadOk : kReadOutOfRange;
}

// A sequence number: "(0|[1-9][0-9]{0,4})" and at most 65535.
bool readSeq(const Span& token, uint16_t& seq) {
  if (token.length == 0 || token.length > kMaxSeqLength) return false;
  if (token.text[0] == '0' && token.length > 1) return false;
  uint32_t value = 0;
  for (uint8_t i = 0; i < token.length; i++) {
    const uint8_t byte = static_cast<uint8_t>(token.text[i]);
    if (!isDigit(byte)) return false;
    value = value * 10 + (byte - '0');
  }
  if (value > kMaxSeq) return false;
  seq = static_cast<uint16_t>(value);
  return true;
}

// A firmware version "major.minor.patch", each 0..999 without leading zeros.
Reading readVersion(const Span& token) {
  uint8_t part = 0;
  uint8_t digits = 0;
  for (uint8_t i = 0; i <= token.length; i++) {
    const uint8_t byte = i < token.length ? static_cast<uint8_t>(token.text[i]) : '.';
    if (byte == '.') {
      if (digits == 0 || ++part > 3) return kReadMalformed;
      digits = 0;
      continue;
    }
    if (!isDigit(byte) || digits == 3 || (digits == 1 && token.text[i - 1] == '0')) return kReadMalformed;
    digits++;
  }
  return part == 3 ? kReadOk : kReadMalformed;
}

// "dt,value,ease": exactly three parts.
Reading readKey(const Span& token, WireKey& key) {
  uint8_t commas = 0;
  for (uint8_t i = 0; i < token.length; i++) {
    if (token.text[i] == ',') commas++;
  }
  if (commas != 2) return kReadMalformed;
  int32_t parts[3] = {0, 0, 0};
  Reading reading = kReadOk;
  uint8_t part = 0;
  uint8_t start = 0;
  for (uint8_t i = 0; i <= token.length; i++) {
    if (i < token.length && token.text[i] != ',') continue;
    const uint8_t partLength = static_cast<uint8_t>(i - start);
    reading = worse(reading, readInteger(token.text + start, partLength, &kKeyRanges[part], parts[part]));
    part++;
    start = static_cast<uint8_t>(i + 1);
  }
  key.dtMs = static_cast<uint16_t>(parts[0]);
  key.value = static_cast<int16_t>(parts[1]);
  key.ease = static_cast<uint8_t>(parts[2]);
  return reading;
}

Reading readKeys(Tokens tokens, Request& out) {
  Tokens counter = tokens;
  Span token;
  uint8_t count = 0;
  while (counter.next(token)) count++;
  if (count < 1 || count > kMaxKeysPerFrame) return kReadMalformed;
  out.keyCount = count;
  Reading reading = kReadOk;
  for (uint8_t i = 0; i < count; i++) {
    tokens.next(token);
    reading = worse(reading, readKey(token, out.keys[i]));
    // PROTOCOL.md: on a V track a keyframe's value is 0..1000.
    if (out.track == 'V' && out.keys[i].value < 0) reading = worse(reading, kReadOutOfRange);
  }
  return reading;
}

// A value of an enum kind; one outside its list is a range problem (104), as in the codec. Its
// index is kept as the field's value, and its first byte as `track` (KEY's V or R).
Reading readEnum(uint8_t kind, const Span& token, Request& out, uint8_t index) {
  const uint8_t enumKind = static_cast<uint8_t>(kind - kFieldNumericEnd);
  for (uint8_t i = 0; i < kMaxEnumValues; i++) {
    const char* value = kEnumValues[enumKind][i];
    if (flashByte(value) == 0 || !spanIs(token, value)) continue;
    if (index < 3) out.field[index] = i;
    out.track = static_cast<uint8_t>(token.text[0]);
    return kReadOk;
  }
  return kReadOutOfRange;
}

Reading readField(uint8_t kind, const Span& token, Request& out, uint8_t index) {
  if (kind == kFieldVersion) return readVersion(token);
  if (kind >= kFieldNumericEnd) return readEnum(kind, token, out, index);
  int32_t value = 0;
  const Reading reading = readInteger(token.text, token.length, &kRanges[kind], value);
  if (index < 3) out.field[index] = value;
  return reading;
}

// Reads every field; the reply is 103 for any count or form problem, else 104 for any range problem.
uint8_t readFields(Tokens& tokens, Request& out) {
  Span token;
  Reading reading = kReadOk;
  for (uint8_t index = 0; index < kMaxFields; index++) {
    const uint8_t kind = fieldKind(out.command, index);
    if (kind == kFieldNone) break;
    if (kind == kFieldKeys) {
      reading = worse(reading, readKeys(tokens, out));
      if (reading == kReadMalformed) return kBadArguments;
      while (tokens.next(token)) {
      }
      break;
    }
    if (!tokens.next(token)) return kBadArguments;
    reading = worse(reading, readField(kind, token, out, index));
    if (reading == kReadMalformed) return kBadArguments;
  }
  if (tokens.next(token)) return kBadArguments;
  return reading == kReadOutOfRange ? kOutOfRange : kNoError;
}

uint8_t lookUp(const Span& token) {
  for (uint8_t command = 0; command < kCommandCount; command++) {
    if (spanIs(token, kCommands[command].name)) return command;
  }
  return kCommandCount;
}

}  // namespace

uint8_t fieldKind(uint8_t command, uint8_t index) {
  if (command >= kCommandCount || index >= kMaxFields) return kFieldNone;
  return flashByte(&kCommands[command].fields[index]);
}

const char* commandName(uint8_t command) { return command < kCommandCount ? kCommands[command].name : 0; }

uint8_t decodeFrame(const char* line, uint8_t length, Request& out) {
  out.seq = 0;
  out.command = kCommandCount;
  out.keyCount = 0;
  out.track = 0;
  out.field[0] = out.field[1] = out.field[2] = 0;

  // The checksum is the last '*' and the two characters after it, at the very end.
  uint8_t star = length;
  for (uint8_t i = length; i > 0; i--) {
    if (line[i - 1] == '*') {
      star = static_cast<uint8_t>(i - 1);
      break;
    }
  }
  if (star == length || star + 3 != length) return kMissingChecksum;
  const int8_t high = hexValue(static_cast<uint8_t>(line[star + 1]));
  const int8_t low = hexValue(static_cast<uint8_t>(line[star + 2]));
  if (high < 0 || low < 0) return kMissingChecksum;
  if (crc8(line, star) != static_cast<uint8_t>((high << 4) | low)) return kBadChecksum;

  Tokens tokens(line, star);
  Span token;
  while (tokens.next(token)) {
    if (token.length == 0) return kBadArguments;
    for (uint8_t i = 0; i < token.length; i++) {
      if (!isTokenByte(static_cast<uint8_t>(token.text[i]))) return kBadArguments;
    }
  }

  tokens = Tokens(line, star);
  tokens.next(token);
  out.command = lookUp(token);
  if (out.command == kCommandCount) return kUnknownCommand;
  if (flashByte(&kCommands[out.command].hasSeq) != 0) {
    if (!tokens.next(token) || !readSeq(token, out.seq)) return kBadArguments;
  }
  return readFields(tokens, out);
}

}  // namespace core
