// The three things the portable core needs from a board. The Arduino sketch implements them
// with millis(), analogWrite/digitalWrite and Serial; the native test driver with a virtual clock.
#pragma once
#include <stdint.h>

namespace core {

struct Hal {
  void* context;
  /** Milliseconds since boot; wraps at 2^32. */
  uint32_t (*nowMs)(void* context);
  /** Drives the motors: vibration 0..1000, rotation -1000..1000 (the sign is the direction). */
  void (*applyOutputs)(void* context, int16_t vibration, int16_t rotation);
  /** Sends bytes to the host (one whole frame per call). */
  void (*write)(void* context, const char* bytes, uint8_t length);
};

}  // namespace core
