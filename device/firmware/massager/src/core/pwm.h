// Level to PWM (PROTOCOL.md, "Playback"): an applied level drives its pin high for
// round(|level| * steps / 1000) of the PWM period's `steps`, halves rounded up, in integers, as
// protocol/pwm.ts does (test/vectors/pwm.json holds both to it). The board layer turns that into
// its timer's compare value.
#pragma once
#include <stdint.h>

#include "protocol_table.h"

namespace core {

inline uint16_t pwmSteps(int16_t level, uint16_t steps) {
  uint32_t magnitude = level < 0 ? static_cast<uint32_t>(-static_cast<int32_t>(level)) : static_cast<uint32_t>(level);
  if (magnitude > static_cast<uint32_t>(kFullScale)) magnitude = kFullScale;
  return static_cast<uint16_t>((magnitude * steps + kFullScale / 2) / kFullScale);
}

}  // namespace core
