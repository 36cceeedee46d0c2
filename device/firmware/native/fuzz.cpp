// libFuzzer target: the parser and the state machine under any byte stream, in virtual time.
//
// Input: a mode byte, then a byte stream.
//   mode bit 0 clear: the bytes go to the device as they are ("raw"); a '\n' also advances the
//     clock by 0..15 ms taken from the next byte.
//   mode bit 0 set: each line gets a correct checksum appended ("repaired"), so the fuzzer reaches
//     deep into the state machine; a line "@N" advances the clock by N ms (at most 5000).
// After every step the target checks the safety rules and aborts (a crash, for libFuzzer) on a breach:
//   - in raw mode, until a line with a correct checksum has arrived, every output is zero;
//   - outputs stay within the caps, change by at most the slew budget unless they are cut to zero,
//     and are zero whenever the device is IDLE;
//   - after watchdogMs of silence the device is IDLE with its outputs at zero;
//   - every frame the device writes is printable, at most 95 bytes, with a correct checksum.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../massager/src/core/config.h"
#include "../massager/src/core/crc8.h"
#include "../massager/src/core/device.h"

namespace {

uint32_t clockMs;
bool sawValidFrame;
int16_t lastVibration;
int16_t lastRotation;
uint32_t lastChangeMs;
char frame[128];
size_t frameLength;

void require(bool condition) {
  if (!condition) abort();
}

uint32_t now(void*) { return clockMs; }

// The largest change the slew limit allows over `elapsedMs` (with the carried fraction).
int32_t slewAllowance(uint32_t elapsedMs) {
  return static_cast<int32_t>((elapsedMs * 1000UL) / core::config::kSlewMs) + 1;
}

void outputs(void*, int16_t vibration, int16_t rotation) {
  require(vibration >= 0 && vibration <= core::config::kVibrationCap);
  require(rotation >= -core::config::kRotationCap && rotation <= core::config::kRotationCap);
  if (!sawValidFrame) require(vibration == 0 && rotation == 0);
  const int32_t allowance = slewAllowance(clockMs - lastChangeMs);
  const bool cut = vibration == 0 && rotation == 0;
  if (!cut) {
    require(abs(vibration - lastVibration) <= allowance);
    require(abs(rotation - lastRotation) <= allowance);
  }
  lastVibration = vibration;
  lastRotation = rotation;
  lastChangeMs = clockMs;
}

int8_t hexValue(uint8_t byte) {
  if (byte >= '0' && byte <= '9') return static_cast<int8_t>(byte - '0');
  if (byte >= 'A' && byte <= 'F') return static_cast<int8_t>(byte - 'A' + 10);
  if (byte >= 'a' && byte <= 'f') return static_cast<int8_t>(byte - 'a' + 10);
  return -1;
}

// True when `line` ends in "*HH" and HH is the CRC-8 of what comes before: judged here, not by the device.
bool checksumMatches(const char* line, size_t length) {
  if (length > 0 && line[length - 1] == '\r') length--;
  if (length < 3 || line[length - 3] != '*') return false;
  const int8_t high = hexValue(static_cast<uint8_t>(line[length - 2]));
  const int8_t low = hexValue(static_cast<uint8_t>(line[length - 1]));
  if (high < 0 || low < 0) return false;
  return core::crc8(line, static_cast<uint8_t>(length - 3)) == ((high << 4) | low) && length - 3 < 256;
}

// Every frame the device writes is well formed: printable, short, with a correct checksum.
void write(void*, const char* bytes, uint8_t length) {
  for (uint8_t i = 0; i < length; i++) {
    if (bytes[i] != '\n') {
      require(bytes[i] >= 0x20 && bytes[i] <= 0x7e);
      require(frameLength < sizeof(frame));
      frame[frameLength++] = bytes[i];
      continue;
    }
    require(frameLength <= core::kMaxLineLength && checksumMatches(frame, frameLength));
    frameLength = 0;
  }
}

const core::Hal hal = {nullptr, now, outputs, write};
core::Device device;

void checkRest() {
  if (device.state() == core::kIdle) require(device.vibration() == 0 && device.rotation() == 0);
}

void advance(uint32_t ms) {
  for (uint32_t i = 0; i < ms; i++) {
    clockMs++;
    device.tick();
    checkRest();
  }
}

void feed(const uint8_t* bytes, size_t length) {
  for (size_t i = 0; i < length; i++) {
    device.receive(bytes[i]);
    checkRest();
  }
}

void runRaw(const uint8_t* data, size_t size) {
  static char line[512];
  size_t lineLength = 0;
  for (size_t i = 0; i < size; i++) {
    if (data[i] == '\n') {
      // Any line with a matching checksum counts as valid, even one the device then refuses.
      if (lineLength <= sizeof(line) && checksumMatches(line, lineLength)) sawValidFrame = true;
      lineLength = 0;
    } else {
      if (lineLength < sizeof(line)) line[lineLength] = static_cast<char>(data[i]);
      lineLength++;
    }
    feed(&data[i], 1);
    if (data[i] == '\n' && i + 1 < size) advance(data[i + 1] & 15);
  }
}

void runRepaired(const uint8_t* data, size_t size) {
  size_t start = 0;
  for (size_t i = 0; i <= size; i++) {
    if (i < size && data[i] != '\n') continue;
    const uint8_t* line = data + start;
    const size_t length = i - start;
    start = i + 1;
    if (length > 1 && line[0] == '@') {
      uint32_t ms = 0;
      for (size_t j = 1; j < length && j < 6 && line[j] >= '0' && line[j] <= '9'; j++) ms = ms * 10 + (line[j] - '0');
      advance(ms > 5000 ? 5000 : ms);
      continue;
    }
    const uint8_t crc = core::crc8(reinterpret_cast<const char*>(line), static_cast<uint8_t>(length > 255 ? 255 : length));
    static const char kHex[] = "0123456789ABCDEF";
    const uint8_t tail[4] = {'*', static_cast<uint8_t>(kHex[crc >> 4]), static_cast<uint8_t>(kHex[crc & 15]), '\n'};
    feed(line, length);
    feed(tail, sizeof(tail));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  clockMs = 1000;
  sawValidFrame = false;
  lastVibration = 0;
  lastRotation = 0;
  lastChangeMs = clockMs;
  frameLength = 0;
  device.begin(&hal);
  if (data[0] & 1) {
    sawValidFrame = true;
    runRepaired(data + 1, size - 1);
  } else {
    runRaw(data + 1, size - 1);
  }
  // However the stream ended, silence trips the watchdog and nothing keeps running.
  advance(core::config::kWatchdogMs);
  require(device.state() == core::kIdle);
  require(device.vibration() == 0 && device.rotation() == 0);
  return 0;
}
