#include "frames.h"

#include "crc8.h"
#include "flash.h"

namespace core {

namespace {

const char kStateNames[kStateCount][kStateNameSize] CORE_FLASH = {"IDLE", "PLAYING", "PAUSED", "STREAMING", "STOPPING"};
const char kReasonNames[kReasonCount][kReasonNameSize] CORE_FLASH = {"BOOT", "HOST", "DONE", "ESTOP", "WDOG", "LIMIT", "FAULT"};
const char kOk[] CORE_FLASH = "OK";
const char kEr[] CORE_FLASH = "ER";
const char kId[] CORE_FLASH = "ID";
const char kSt[] CORE_FLASH = "ST";
const char kTm[] CORE_FLASH = "TM";
const char kPn[] CORE_FLASH = "PN";
const char kDriverNames[kDriverCount][kDriverNameSize] CORE_FLASH = {"PD", "2P"};
const char kHexDigits[] CORE_FLASH = "0123456789ABCDEF";

// Appends tokens to a frame, never past the buffer.
class Writer {
 public:
  Writer(char* out, const char* flashName) : out_(out), length_(0) { text(flashName); }

  void text(const char* flashText) {
    for (uint8_t i = 0;; i++) {
      const char byte = static_cast<char>(flashByte(flashText + i));
      if (byte == 0) break;
      put(byte);
    }
  }

  void space() { put(' '); }
  void dot() { put('.'); }

  void number(uint32_t value) {
    char digits[10];
    uint8_t count = 0;
    do {
      digits[count++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value > 0);
    while (count > 0) put(digits[--count]);
  }

  void signedNumber(int32_t value) {
    if (value < 0) {
      put('-');
      number(static_cast<uint32_t>(-(value + 1)) + 1);
    } else {
      number(static_cast<uint32_t>(value));
    }
  }

  void field(uint32_t value) {
    space();
    number(value);
  }

  uint8_t finish() {
    const uint8_t crc = crc8(out_, length_);
    put('*');
    put(static_cast<char>(flashByte(kHexDigits + (crc >> 4))));
    put(static_cast<char>(flashByte(kHexDigits + (crc & 15))));
    put('\n');
    return length_;
  }

 private:
  void put(char byte) {
    if (length_ < kFrameBufferSize) out_[length_++] = byte;
  }

  char* out_;
  uint8_t length_;
};

}  // namespace

const char* stateNames() { return kStateNames[0]; }
const char* reasonNames() { return kReasonNames[0]; }
const char* driverNames() { return kDriverNames[0]; }

uint8_t formatOk(char* out, uint16_t seq) {
  Writer writer(out, kOk);
  writer.field(seq);
  return writer.finish();
}

uint8_t formatError(char* out, uint16_t seq, uint8_t code) {
  Writer writer(out, kEr);
  writer.field(seq);
  writer.field(code);
  return writer.finish();
}

uint8_t formatIdentity(char* out, uint16_t seq, const Identity& identity) {
  Writer writer(out, kId);
  writer.field(seq);
  writer.field(identity.protocol);
  writer.field(identity.firmwareMajor);
  writer.dot();
  writer.number(identity.firmwareMinor);
  writer.dot();
  writer.number(identity.firmwarePatch);
  writer.field(identity.capabilities);
  writer.field(identity.pwmBits);
  writer.field(identity.maxBlocks);
  writer.field(identity.maxKeys);
  writer.field(identity.watchdogMs);
  writer.field(identity.maxSessionS);
  writer.field(identity.slewMs);
  writer.field(identity.vibrationCap);
  writer.field(identity.rotationCap);
  return writer.finish();
}

uint8_t formatState(char* out, uint8_t state, uint8_t reason, uint8_t step, uint32_t positionMs) {
  Writer writer(out, kSt);
  writer.space();
  writer.text(kStateNames[state < kStateCount ? state : static_cast<uint8_t>(kIdle)]);
  writer.space();
  writer.text(kReasonNames[reason < kReasonCount ? reason : static_cast<uint8_t>(kReasonFault)]);
  writer.field(step);
  writer.field(positionMs);
  return writer.finish();
}

uint8_t formatPins(char* out, uint16_t seq, const PinReport& pins) {
  Writer writer(out, kPn);
  writer.field(seq);
  writer.space();
  writer.text(kDriverNames[pins.driver < kDriverCount ? pins.driver : static_cast<uint8_t>(kDriverPwmDir)]);
  writer.field(pins.vibration);
  writer.field(pins.rotation);
  writer.field(pins.clockwise);
  writer.field(pins.counterClockwise);
  writer.field(pins.standby);
  writer.field(pins.pwmHz);
  return writer.finish();
}

uint8_t formatTelemetry(char* out, uint32_t timeMs, int16_t vibration, int16_t rotation, uint8_t step,
                        uint32_t positionMs) {
  Writer writer(out, kTm);
  writer.field(timeMs);
  writer.space();
  writer.signedNumber(vibration);
  writer.space();
  writer.signedNumber(rotation);
  writer.field(step);
  writer.field(positionMs);
  return writer.finish();
}

}  // namespace core
