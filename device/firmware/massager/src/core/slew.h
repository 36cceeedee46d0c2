// The slew limit (PROTOCOL.md, "Safety rules" 4): applied levels change by at most full scale
// (1000) per slewMs, so starts, stops and pauses are ramps and a reversal passes through zero.
#pragma once
#include <stdint.h>

namespace core {

class SlewBudget {
 public:
  void reset() { carry_ = 0; }
  /** The change allowed over `elapsedMs`; the remainder carries over, so the rate is exact whatever the tick. */
  uint16_t grant(uint32_t elapsedMs, uint16_t slewMs);

 private:
  uint16_t carry_;
};

/**
 * Moves `applied` toward `target` by at most `maxStep`. A change of direction stops at zero
 * first, so the motor is at rest (for at least one tick) before its direction pins flip.
 */
int16_t slewToward(int16_t applied, int16_t target, uint16_t maxStep);

}  // namespace core
