#include "easing.h"

#include "flash.h"
#include "request.h"

namespace core {

namespace {

// round(1024 * (1 - cos(pi * k / 16)) / 2), k = 0..16; sine interpolates linearly between entries.
const uint16_t kSineTable[17] CORE_FLASH = {0, 10, 39, 86, 150, 228, 316, 412, 512, 612, 708, 796, 874, 938, 985, 1014, 1024};

uint16_t sineEntry(uint8_t index) {
  const uint8_t* address = reinterpret_cast<const uint8_t*>(&kSineTable[index]);
  return static_cast<uint16_t>(flashByte(address) | (flashByte(address + 1) << 8));
}

}  // namespace

uint16_t easeCurve(uint8_t ease, uint16_t p) {
  if (p >= kQ) return kQ;
  if (p == 0) return ease == kEaseStep ? kQ : 0;
  switch (ease) {
    case kEaseLinear:
      return p;
    case kEaseIn:
      return static_cast<uint16_t>((static_cast<uint32_t>(p) * p) / kQ);
    case kEaseOut: {
      const uint32_t rest = kQ - p;
      return static_cast<uint16_t>(kQ - (rest * rest) / kQ);
    }
    case kEaseInOut:
      return static_cast<uint16_t>((static_cast<uint32_t>(p) * p * (3UL * kQ - 2UL * p)) / (1UL * kQ * kQ));
    case kEaseSine: {
      const uint8_t index = static_cast<uint8_t>(p >> 6);
      const uint16_t low = sineEntry(index);
      const uint16_t high = sineEntry(static_cast<uint8_t>(index + 1));
      return static_cast<uint16_t>(low + (((high - low) * (p & 63)) >> 6));
    }
    default:  // step, and any code the decoder would have refused
      return kQ;
  }
}

int16_t interpolate(int16_t from, int16_t to, uint8_t ease, uint16_t p) {
  const int32_t span = static_cast<int32_t>(to) - from;
  return static_cast<int16_t>(from + (span * static_cast<int32_t>(easeCurve(ease, p))) / kQ);
}

}  // namespace core
