#include "decoder.h"

#include "crc8.h"
#include "flash.h"

namespace core {

namespace {

const uint8_t kNameSize = 7;
const uint8_t kMaxFields = 3;

// The request rows of protocol/commands.ts: name and field kinds. Kept in flash.
struct CommandRow {
  char name[kNameSize];
  uint8_t fields[kMaxFields];
};

const CommandRow kCommands[kCommandCount] CORE_FLASH = {
    {"HELLO", {kFieldByte, kFieldNone, kFieldNone}},
    {"LOAD", {kFieldCount, kFieldDuration, kFieldNone}},
    {"BLK", {kFieldDuration, kFieldByte, kFieldNone}},
    {"KEY", {kFieldTrack, kFieldKeys, kFieldNone}},
    {"COMMIT", {kFieldNone, kFieldNone, kFieldNone}},
    {"START", {kFieldPermille, kFieldPermille, kFieldLimit}},
    {"STREAM", {kFieldPermille, kFieldPermille, kFieldLimit}},
    {"SET", {kFieldPermille, kFieldLevel, kFieldNone}},
    {"PAUSE", {kFieldNone, kFieldNone, kFieldNone}},
    {"RESUME", {kFieldNone, kFieldNone, kFieldNone}},
    {"STOP", {kFieldNone, kFieldNone, kFieldNone}},
    {"ESTOP", {kFieldNone, kFieldNone, kFieldNone}},
    {"PING", {kFieldNone, kFieldNone, kFieldNone}},
    {"STATUS", {kFieldNone, kFieldNone, kFieldNone}},
    {"TELEM", {kFieldPeriod, kFieldNone, kFieldNone}},
};

// Ranges of the numeric field kinds, indexed by FieldKind.
const int32_t kRanges[][2] CORE_FLASH = {
    {0, 0},               // none
    {0, 255},             // byte
    {1, 255},             // count
    {1, 86400000L},       // duration
    {0, 1000},            // permille
    {1, 86400L},          // limit
    {-1000, 1000},        // level
    {0, 10000},           // period
};

// Key parts: dt 1..65535 ms, value -1000..1000, ease 0..5.
const int32_t kKeyRanges[3][2] CORE_FLASH = {{1, 65535L}, {-1000, 1000}, {0, kEaseCount - 1}};

// Values this large are out of every field's range; stop accumulating so nothing overflows.
const int32_t kSaturation = 100000000L;
const uint8_t kMaxIntegerLength = 11;
const uint8_t kMaxSeqLength = 5;
const uint32_t kMaxSeq = 65535;

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

bool isTokenByte(uint8_t byte) { return byte >= 0x21 && byte <= 0x7e && byte != '*'; }

int8_t hexValue(uint8_t byte) {
  if (byte >= '0' && byte <= '9') return static_cast<int8_t>(byte - '0');
  if (byte >= 'A' && byte <= 'F') return static_cast<int8_t>(byte - 'A' + 10);
  if (byte >= 'a' && byte <= 'f') return static_cast<int8_t>(byte - 'a' + 10);
  return -1;
}

bool isDigit(uint8_t byte) { return byte >= '0' && byte <= '9'; }

// "-?(0|[1-9][0-9]*)", at most 11 characters (the TypeScript decoder's integer form).
bool readInteger(const char* text, uint8_t length, int32_t& value) {
  if (length == 0 || length > kMaxIntegerLength) return false;
  uint8_t i = 0;
  const bool negative = text[0] == '-';
  if (negative) i = 1;
  if (i == length) return false;
  if (text[i] == '0' && length - i > 1) return false;
  int32_t magnitude = 0;
  for (; i < length; i++) {
    const uint8_t byte = static_cast<uint8_t>(text[i]);
    if (!isDigit(byte)) return false;
    if (magnitude < kSaturation) magnitude = magnitude * 10 + (byte - '0');
  }
  value = negative ? -magnitude : magnitude;
  return true;
}

// "(0|[1-9][0-9]{0,4})" and at most 65535.
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

uint8_t readRanged(const char* text, uint8_t length, const int32_t* range, int32_t& value) {
  if (!readInteger(text, length, value)) return kBadArguments;
  if (value < flashLong(range) || value > flashLong(range + 1)) return kOutOfRange;
  return kNoError;
}

// "dt,value,ease": exactly three parts, each checked for form, then range, before the next.
uint8_t readKey(const Span& token, WireKey& key) {
  uint8_t commas = 0;
  for (uint8_t i = 0; i < token.length; i++) {
    if (token.text[i] == ',') commas++;
  }
  if (commas != 2) return kBadArguments;
  int32_t parts[3];
  uint8_t part = 0;
  uint8_t start = 0;
  for (uint8_t i = 0; i <= token.length; i++) {
    if (i < token.length && token.text[i] != ',') continue;
    const uint8_t code = readRanged(token.text + start, static_cast<uint8_t>(i - start), kKeyRanges[part], parts[part]);
    if (code != kNoError) return code;
    part++;
    start = static_cast<uint8_t>(i + 1);
  }
  key.dtMs = static_cast<uint16_t>(parts[0]);
  key.value = static_cast<int16_t>(parts[1]);
  key.ease = static_cast<uint8_t>(parts[2]);
  return kNoError;
}

bool nameMatches(const Span& token, uint8_t command) {
  const char* name = kCommands[command].name;
  for (uint8_t i = 0; i < kNameSize; i++) {
    const uint8_t expected = flashByte(name + i);
    if (i == token.length) return expected == 0;
    if (expected == 0 || expected != static_cast<uint8_t>(token.text[i])) return false;
  }
  return false;
}

uint8_t lookUp(const Span& token) {
  for (uint8_t command = 0; command < kCommandCount; command++) {
    if (nameMatches(token, command)) return command;
  }
  return kCommandCount;
}

uint8_t decodeKeys(Tokens tokens, Request& out) {
  Tokens counter = tokens;
  Span token;
  uint8_t count = 0;
  while (counter.next(token)) count++;
  if (count < 1 || count > kMaxKeysPerFrame) return kBadArguments;
  out.keyCount = count;
  for (uint8_t i = 0; i < count; i++) {
    tokens.next(token);
    const uint8_t code = readKey(token, out.keys[i]);
    if (code != kNoError) return code;
  }
  return kNoError;
}

uint8_t decodeFields(Tokens& tokens, Request& out) {
  Span token;
  for (uint8_t index = 0; index < kMaxFields; index++) {
    const uint8_t kind = fieldKind(out.command, index);
    if (kind == kFieldNone) break;
    if (kind == kFieldKeys) {
      const uint8_t code = decodeKeys(tokens, out);
      if (code != kNoError) return code;
      while (tokens.next(token)) {
      }
      break;
    }
    if (!tokens.next(token)) return kBadArguments;
    if (kind == kFieldTrack) {
      const bool known = token.length == 1 && (token.text[0] == 'V' || token.text[0] == 'R');
      if (!known) return kOutOfRange;
      out.track = static_cast<uint8_t>(token.text[0]);
      continue;
    }
    const uint8_t code = readRanged(token.text, token.length, kRanges[kind], out.field[index]);
    if (code != kNoError) return code;
  }
  if (tokens.next(token)) return kBadArguments;
  return kNoError;
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
  if (!tokens.next(token) || !readSeq(token, out.seq)) return kBadArguments;
  return decodeFields(tokens, out);
}

}  // namespace core
