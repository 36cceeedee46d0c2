#include "slew.h"

#include "config.h"

namespace core {

namespace {
// Beyond a full reversal every change is allowed; capping keeps the arithmetic in 32 bits.
const uint16_t kUnlimited = 2 * kFullScale;
const uint32_t kLongestGrantMs = 60000;
}  // namespace

uint16_t SlewBudget::grant(uint32_t elapsedMs, uint16_t slewMs) {
  if (slewMs == 0) return kUnlimited;
  if (elapsedMs > kLongestGrantMs) elapsedMs = kLongestGrantMs;
  const uint32_t budget = carry_ + elapsedMs * static_cast<uint32_t>(kFullScale);
  carry_ = static_cast<uint16_t>(budget % slewMs);
  const uint32_t step = budget / slewMs;
  return step > kUnlimited ? kUnlimited : static_cast<uint16_t>(step);
}

int16_t slewToward(int16_t applied, int16_t target, uint16_t maxStep) {
  const int32_t difference = static_cast<int32_t>(target) - applied;
  if (difference > maxStep) return static_cast<int16_t>(applied + maxStep);
  if (difference < -static_cast<int32_t>(maxStep)) return static_cast<int16_t>(applied - maxStep);
  return target;
}

}  // namespace core
