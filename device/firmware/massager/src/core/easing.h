// Easing curves in Q10 fixed point, exactly as protocol/easing.ts computes them (PROTOCOL.md, "Playback").
#pragma once
#include <stdint.h>

namespace core {

const uint16_t kQ = 1024;

/** The eased fraction (0..1024) at progress `p` (0..1024) for an Ease code. */
uint16_t easeCurve(uint8_t ease, uint16_t p);

/** from + trunc((to - from) * curve(p) / 1024): truncation toward zero, as the TypeScript player does. */
int16_t interpolate(int16_t from, int16_t to, uint8_t ease, uint16_t p);

}  // namespace core
