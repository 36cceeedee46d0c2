// What this firmware reports in `ID` and enforces on itself (PROTOCOL.md, "Device frames" and "Safety rules").
#pragma once
#include <stdint.h>

namespace core {
namespace config {

const uint8_t kProtocolVersion = 1;
const uint8_t kFirmwareMajor = 1;
const uint8_t kFirmwareMinor = 1;
const uint8_t kFirmwarePatch = 0;
/** Vibration (1), rotation (2), program playback (4), streaming (8), stop byte (16), GAIN (32). */
const uint8_t kCapabilities = 63;
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

/** Longest frame, checksum included, line ending excluded. */
const uint8_t kMaxLineLength = 95;
const uint8_t kMaxKeysPerFrame = 4;
/** The out-of-band emergency stop (protocol 1.1): ASCII CAN. No frame can hold it. */
const uint8_t kStopByte = 0x18;
const int16_t kFullScale = 1000;

}  // namespace core
