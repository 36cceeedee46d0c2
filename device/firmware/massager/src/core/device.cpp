#include "device.h"

#include "config.h"
#include "decoder.h"

namespace core {

namespace {

int16_t lesser(int32_t a, int16_t b) { return a < b ? static_cast<int16_t>(a) : b; }

int16_t clampLevel(int16_t level, int16_t low, int16_t high) {
  if (level < low) return low;
  if (level > high) return high;
  return level;
}

}  // namespace

void Device::begin(const Hal* hal) {
  hal_ = hal;
  const uint32_t now = hal_->nowMs(hal_->context);
  vibration_ = 0;
  rotation_ = 0;
  hal_->applyOutputs(hal_->context, 0, 0);
  reader_.reset();
  program_.clear();
  player_.reset();
  slew_.reset();
  lastTickMs_ = now;
  lastFrameMs_ = now;
  sessionMs_ = 0;
  sessionLimitMs_ = 0;
  positionMs_ = 0;
  lastTelemetryMs_ = now;
  telemetryMs_ = config::kDefaultTelemetryMs;
  vibrationCap_ = 0;
  rotationCap_ = 0;
  setVibration_ = 0;
  setRotation_ = 0;
  holdAtZero_ = false;
  vibrationGain_ = kFullScale;
  rotationGain_ = kFullScale;
  state_ = kIdle;
  reason_ = kReasonBoot;
  stopReason_ = kReasonHost;
  step_ = 0;
  sendState();
}

void Device::receive(uint8_t byte) {
  if (byte == kStopByte) {
    // Outputs to zero first, and held there while the clock is brought up to the byte's arrival.
    holdAtZero_ = true;
    apply(0, 0);
    reader_.reset();
    tick();
    holdAtZero_ = false;
    cutToIdle(kReasonEstop);
    return;
  }
  switch (reader_.feed(byte)) {
    case LineReader::kLine:
      tick();  // bring the clock up to the frame's arrival before acting on it
      handleLine(reader_.line(), reader_.length());
      break;
    case LineReader::kOverlong:
      tick();
      refuseUndecodable(0, kLineTooLong);
      break;
    default:
      break;
  }
}

void Device::handleLine(const char* line, uint8_t length) {
  Request request;
  uint8_t code = decodeFrame(line, length, request);
  // A device frame (OK, ER, ID, ST, TM) decodes, but it is not a request.
  if (code == kNoError && request.command >= kRequestCount) code = kUnknownCommand;
  if (code != kNoError) {
    refuseUndecodable(request.seq, code);
    return;
  }
  lastFrameMs_ = lastTickMs_;  // every valid frame feeds the watchdog, even one refused for its state
  handle(request);
}

// PROTOCOL.md, "Safety rules" 5: a frame that fails to decode is refused, and while streaming it cuts the outputs.
void Device::refuseUndecodable(uint16_t seq, uint8_t code) {
  sendError(seq, code);
  if (state_ == kStreaming) cutToIdle(kReasonFault);
}

void Device::handle(const Request& request) {
  const uint16_t seq = request.seq;
  const bool idle = state_ == kIdle;
  uint8_t code = kNoError;
  switch (request.command) {
    case kHello:
      sendIdentity(seq);
      return;
    case kLoad:
      code = idle ? program_.load(static_cast<uint8_t>(request.field[0]), static_cast<uint32_t>(request.field[1]))
                  : kBadState;
      break;
    case kBlk:
      code = idle ? program_.addBlock(static_cast<uint32_t>(request.field[0]), static_cast<uint8_t>(request.field[1]))
                  : kBadState;
      break;
    case kKey:
      code = idle ? program_.addKeys(request.track, request.keys, request.keyCount) : kBadState;
      break;
    case kCommit:
      code = idle ? program_.commit() : kBadState;
      break;
    case kStart:
      if (!idle) {
        code = kBadState;
      } else if (!program_.committed()) {
        code = kProgramIncomplete;
      } else {
        sendOk(seq);
        beginSession(kPlaying, request);
        return;
      }
      break;
    case kStream:
      if (!idle) {
        code = kBadState;
      } else {
        sendOk(seq);
        beginSession(kStreaming, request);
        return;
      }
      break;
    case kSet:
      if (state_ != kStreaming) {
        code = kBadState;
      } else {
        setVibration_ = static_cast<int16_t>(request.field[0]);
        setRotation_ = static_cast<int16_t>(request.field[1]);
      }
      break;
    case kPause:
    case kResume: {
      const bool pausing = request.command == kPause;
      if (state_ != (pausing ? kPlaying : kPaused)) {
        code = kBadState;
        break;
      }
      sendOk(seq);
      enter(pausing ? kPaused : kPlaying, kReasonHost);
      return;
    }
    case kStop:
      sendOk(seq);
      if (!idle && state_ != kStopping) beginStop(kReasonHost);
      return;
    case kEstop:
      sendOk(seq);
      cutToIdle(kReasonEstop);
      return;
    case kGain:
      vibrationGain_ = static_cast<int16_t>(request.field[0]);
      rotationGain_ = static_cast<int16_t>(request.field[1]);
      break;
    case kStatus:
      sendOk(seq);
      sendState();
      return;
    case kPins:
      if (pins_ == nullptr) {
        code = kUnknownCommand;
        break;
      }
      sendPins(seq);  // PN is the reply, as ID is HELLO's
      return;
    case kTelem: {
      const int32_t period = request.field[0];
      telemetryMs_ = static_cast<uint16_t>(period == 0 || period >= config::kMinTelemetryMs ? period
                                                                                             : config::kMinTelemetryMs);
      break;
    }
    default:  // PING
      break;
  }
  if (code != kNoError) {
    sendError(seq, code);
  } else {
    sendOk(seq);
  }
}

void Device::beginSession(uint8_t state, const Request& request) {
  vibrationCap_ = lesser(request.field[0], config::kVibrationCap);
  rotationCap_ = lesser(request.field[1], config::kRotationCap);
  const uint32_t limitS = static_cast<uint32_t>(lesser(request.field[2], config::kMaxSessionS));
  sessionLimitMs_ = limitS * 1000UL;
  sessionMs_ = 0;
  positionMs_ = 0;
  setVibration_ = 0;
  setRotation_ = 0;
  player_.reset();
  step_ = state == kPlaying ? program_.block(0).step : 0;
  lastTelemetryMs_ = lastTickMs_;
  enter(state, kReasonHost);
}

void Device::beginStop(uint8_t reason) {
  stopReason_ = reason;
  enter(kStopping, reason);
}

// ESTOP, the watchdog and faults: outputs to zero at once, no ramp.
void Device::cutToIdle(uint8_t reason) {
  apply(0, 0);
  setVibration_ = 0;
  setRotation_ = 0;
  if (state_ != kIdle) enter(kIdle, reason);
}

void Device::enter(uint8_t state, uint8_t reason) {
  state_ = state;
  reason_ = reason;
  sendState();
  // The last TM, with the outputs at rest; none when telemetry is off.
  if (state == kIdle && telemetryMs_ != 0) sendTelemetry(lastTickMs_);
}

void Device::tick() {
  const uint32_t now = hal_->nowMs(hal_->context);
  const uint32_t elapsed = now - lastTickMs_;
  if (elapsed == 0) return;
  lastTickMs_ = now;
  if (state_ == kIdle) return;

  sessionMs_ += elapsed;
  // The session position (the program's while playing, the time since STREAM while streaming) and
  // the step of the block playing there come first, so every frame this tick sends reports them now.
  if (state_ == kPlaying || state_ == kStreaming) positionMs_ += elapsed;
  const bool ended = state_ == kPlaying && positionMs_ >= program_.totalMs();
  Levels program = {0, 0};
  if (ended) {
    positionMs_ = program_.totalMs();
    step_ = program_.block(static_cast<uint8_t>(program_.blockCount() - 1)).step;
  } else if (state_ == kPlaying) {
    program = player_.sample(program_, positionMs_, step_);
  }
  if (now - lastFrameMs_ >= config::kWatchdogMs) {
    cutToIdle(kReasonWatchdog);
    return;
  }
  // The program's end before the limit: a program that ends on the same step as the limit ends DONE
  // (PROTOCOL.md, safety rule 2).
  if (ended) beginStop(kReasonDone);
  if (sessionMs_ >= sessionLimitMs_ && state_ != kStopping) beginStop(kReasonLimit);

  const Levels wanted = target(program);
  const uint16_t maxStep = slew_.grant(elapsed, config::kSlewMs);
  apply(slewToward(vibration_, wanted.vibration, maxStep), slewToward(rotation_, wanted.rotation, maxStep));
  if (state_ == kStopping && vibration_ == 0 && rotation_ == 0) {
    enter(kIdle, stopReason_);
    return;
  }

  if (telemetryMs_ != 0 && now - lastTelemetryMs_ >= telemetryMs_) sendTelemetry(now);
}

// The level the outputs slew toward: the program's (`program`) while playing, the setpoint while
// streaming, else rest; times the gain, then capped.
Levels Device::target(Levels program) {
  Levels levels = {0, 0};
  if (state_ == kPlaying) {
    levels = program;
  } else if (state_ == kStreaming) {
    levels.vibration = setVibration_;
    levels.rotation = setRotation_;
  } else {
    return levels;
  }
  // Division truncates toward zero, as the simulator's Math.trunc does.
  levels.vibration = static_cast<int16_t>(static_cast<int32_t>(levels.vibration) * vibrationGain_ / kFullScale);
  levels.rotation = static_cast<int16_t>(static_cast<int32_t>(levels.rotation) * rotationGain_ / kFullScale);
  levels.vibration = clampLevel(levels.vibration, 0, vibrationCap_);
  levels.rotation = clampLevel(levels.rotation, static_cast<int16_t>(-rotationCap_), rotationCap_);
  return levels;
}

void Device::apply(int16_t vibration, int16_t rotation) {
  if (holdAtZero_) vibration = rotation = 0;
  if (vibration == vibration_ && rotation == rotation_) return;
  vibration_ = vibration;
  rotation_ = rotation;
  hal_->applyOutputs(hal_->context, vibration, rotation);
}

void Device::sendOk(uint16_t seq) {
  char frame[kFrameBufferSize];
  send(frame, formatOk(frame, seq));
}

void Device::sendError(uint16_t seq, uint8_t code) {
  char frame[kFrameBufferSize];
  send(frame, formatError(frame, seq, code));
}

void Device::sendIdentity(uint16_t seq) {
  Identity identity;
  identity.protocol = config::kProtocolVersion;
  identity.firmwareMajor = config::kFirmwareMajor;
  identity.firmwareMinor = config::kFirmwareMinor;
  identity.firmwarePatch = config::kFirmwarePatch;
  identity.capabilities = config::kCapabilities | (pins_ != nullptr ? config::kCapabilityPins : 0);
  identity.pwmBits = config::kPwmBits;
  identity.maxBlocks = config::kMaxBlocks;
  identity.maxKeys = config::kMaxKeys;
  identity.watchdogMs = config::kWatchdogMs;
  identity.maxSessionS = config::kMaxSessionS;
  identity.slewMs = config::kSlewMs;
  identity.vibrationCap = config::kVibrationCap;
  identity.rotationCap = config::kRotationCap;
  char frame[kFrameBufferSize];
  send(frame, formatIdentity(frame, seq, identity));
}

void Device::sendPins(uint16_t seq) {
  char frame[kFrameBufferSize];
  send(frame, formatPins(frame, seq, *pins_));
}

void Device::sendState() {
  char frame[kFrameBufferSize];
  send(frame, formatState(frame, state_, reason_, step_, positionMs_));
}

void Device::sendTelemetry(uint32_t now) {
  lastTelemetryMs_ = now;
  // While streaming there is no program: posMs is the time since STREAM, so the host can show progress.
  char frame[kFrameBufferSize];
  send(frame, formatTelemetry(frame, now, vibration_, rotation_, step_, positionMs_));
}

void Device::send(const char* frame, uint8_t length) { hal_->write(hal_->context, frame, length); }

}  // namespace core
