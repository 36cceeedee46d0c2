// The massager as PROTOCOL.md describes it: requests and replies, the session state machine,
// on-device playback, the heartbeat watchdog, the session limit, caps, the slew limit and telemetry.
//
//   bytes --receive()--> LineReader --> decodeFrame --> handle(): reply, then state change
//   clock --tick()-----> watchdog, limit, program end --> target --> caps --> slew --> outputs, TM
#pragma once
#include <stdint.h>

#include "frames.h"
#include "hal.h"
#include "line_reader.h"
#include "player.h"
#include "program_store.h"
#include "request.h"
#include "slew.h"

namespace core {

class Device {
 public:
  /** Cuts the outputs, forgets everything and announces `ST IDLE BOOT 0 0`. */
  void begin(const Hal* hal);
  /**
   * Feeds one byte received from the host; a complete line is handled at once. The stop byte
   * (kStopByte) cuts the outputs and drops the partial line, whatever the line reader holds.
   */
  void receive(uint8_t byte);
  /** Advances the device to the HAL's current time; call it at least once a millisecond. */
  void tick();
  /** The pin map PINS reports (kept across begin()); without one, PINS is refused as unknown. */
  void setPins(const PinReport* pins) { pins_ = pins; }

  uint8_t state() const { return state_; }
  int16_t vibration() const { return vibration_; }
  int16_t rotation() const { return rotation_; }

 private:
  void handleLine(const char* line, uint8_t length);
  void handle(const Request& request);
  void refuseUndecodable(uint16_t seq, uint8_t code);
  void beginSession(uint8_t state, const Request& request);
  void beginStop(uint8_t reason);
  void cutToIdle(uint8_t reason);
  void enter(uint8_t state, uint8_t reason);
  void apply(int16_t vibration, int16_t rotation);
  Levels target(Levels program);
  void sendOk(uint16_t seq);
  void sendError(uint16_t seq, uint8_t code);
  void sendIdentity(uint16_t seq);
  void sendPins(uint16_t seq);
  void sendState();
  void sendTelemetry(uint32_t now);
  void send(const char* frame, uint8_t length);

  const Hal* hal_;
  const PinReport* pins_;
  LineReader reader_;
  ProgramStore program_;
  Player player_;
  SlewBudget slew_;
  uint32_t lastTickMs_;
  uint32_t lastFrameMs_;
  uint32_t sessionMs_;
  uint32_t sessionLimitMs_;
  uint32_t positionMs_;
  uint32_t lastTelemetryMs_;
  uint16_t telemetryMs_;
  int16_t vibrationCap_;
  int16_t rotationCap_;
  int16_t setVibration_;
  int16_t setRotation_;
  /** GAIN, permille: applied to the program's or the stream's level before the caps. */
  int16_t vibrationGain_;
  int16_t rotationGain_;
  int16_t vibration_;
  int16_t rotation_;
  uint8_t state_;
  uint8_t reason_;
  uint8_t stopReason_;
  uint8_t step_;
  /** Set while a stop byte is handled: every output write is zero. */
  bool holdAtZero_;
};

}  // namespace core
