// The slew limit (PROTOCOL.md, "Safety rules" 4): applied levels change by at most full scale
// (1000) per slewMs, so starts, stops and pauses are ramps and a reversal passes through zero.
// The same integer arithmetic as device/simulator/slew.ts, so both apply the same levels.
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
 * Moves `applied` toward `target` by at most `maxStep`. A reversal is one signed ramp, so it
 * passes through zero (the board layer turns the speed pin off before flipping direction).
 */
int16_t slewToward(int16_t applied, int16_t target, uint16_t maxStep);

}  // namespace core
