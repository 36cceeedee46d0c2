// Writes the device's frames (OK, ER, ID, ST, TM) with their checksums, without printf.
#pragma once
#include <stdint.h>

namespace core {

/** Large enough for the longest device frame (an ID with every field at its maximum) and its "*CC\n". */
const uint8_t kFrameBufferSize = 80;

enum State : uint8_t { kIdle, kPlaying, kPaused, kStreaming, kStopping, kStateCount };
enum Reason : uint8_t {
  kReasonBoot,
  kReasonHost,
  kReasonDone,
  kReasonEstop,
  kReasonWatchdog,
  kReasonLimit,
  kReasonFault,
  kReasonCount,
};

/** The state and reason names as they travel, in flash: kStateCount rows of kStateNameSize bytes, and so on. */
const uint8_t kStateNameSize = 10;
const uint8_t kReasonNameSize = 6;
const char* stateNames();
const char* reasonNames();

/** How the rotation motor is driven (PN's drv): one PWM and two direction pins, or one PWM per direction. */
enum Driver : uint8_t { kDriverPwmDir, kDriverTwoPwm, kDriverCount };
const uint8_t kDriverNameSize = 3;
const char* driverNames();

/** The board's pin map and PWM frequency, as PN reports them (PROTOCOL.md, "Pins"). Pin 0: none. */
struct PinReport {
  uint8_t driver;
  uint8_t vibration;
  uint8_t rotation;
  uint8_t clockwise;
  uint8_t counterClockwise;
  uint8_t standby;
  uint16_t pwmHz;
};

struct Identity {
  uint8_t protocol;
  uint16_t firmwareMajor, firmwareMinor, firmwarePatch;
  uint8_t capabilities;
  uint8_t pwmBits;
  uint8_t maxBlocks;
  uint16_t maxKeys;
  uint16_t watchdogMs;
  uint32_t maxSessionS;
  uint16_t slewMs;
  uint16_t vibrationCap;
  uint16_t rotationCap;
};

/** Each writes one frame ending in '\n' into `out` (kFrameBufferSize bytes) and returns its length. */
uint8_t formatOk(char* out, uint16_t seq);
uint8_t formatError(char* out, uint16_t seq, uint8_t code);
uint8_t formatIdentity(char* out, uint16_t seq, const Identity& identity);
uint8_t formatState(char* out, uint8_t state, uint8_t reason, uint8_t step, uint32_t positionMs);
uint8_t formatPins(char* out, uint16_t seq, const PinReport& pins);
uint8_t formatTelemetry(char* out, uint32_t timeMs, int16_t vibration, int16_t rotation, uint8_t step,
                        uint32_t positionMs);

}  // namespace core
