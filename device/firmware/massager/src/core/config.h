// What this firmware reports in `ID` and enforces on itself (PROTOCOL.md, "Device frames" and "Safety rules").
#pragma once
#include <stdint.h>

#include "protocol_table.h"

namespace core {
namespace config {

// The protocol version, the firmware's version and its capability bits come from the TypeScript
// source of truth, through the generated protocol_table.h.
const uint8_t kProtocolVersion = ::core::kProtocolVersion;
const uint8_t kFirmwareMajor = ::core::kFirmwareMajor;
const uint8_t kFirmwareMinor = ::core::kFirmwareMinor;
const uint8_t kFirmwarePatch = ::core::kFirmwarePatch;
const uint8_t kCapabilities = ::core::kCapabilities;
/** PINS (64): set in ID when the board gave the core its pin map (Device::setPins). */
const uint8_t kCapabilityPins = 64;
const uint8_t kPwmBits = 8;
/** Program store size: every block and every keyframe is kept in RAM. */
const uint8_t kMaxBlocks = 16;
const uint8_t kMaxKeys = 96;
/** Heartbeat watchdog: outputs cut when no valid frame arrives for this long, in every state but IDLE. */
const uint16_t kWatchdogMs = 1000;
const uint16_t kMaxSessionS = 3600;
/** A full-scale change (1000 permille) takes this long under the slew limit. */
const uint16_t kSlewMs = 400;
/** Hard output caps, permille. */
const int16_t kVibrationCap = 1000;
const int16_t kRotationCap = 1000;
const uint16_t kDefaultTelemetryMs = 50;
const uint16_t kMinTelemetryMs = 10;

}  // namespace config

}  // namespace core
