// Scalp massager firmware for the ATmega328P (Arduino Uno, Nano).
// The protocol, the state machine and every safety rule live in the portable core (src/core);
// this sketch only gives it a clock, the motor pins and the serial port. Pins: pins.h.
#include <avr/wdt.h>

#include "pins.h"
#include "src/core/device.h"

static_assert(digitalPinHasPWM(PIN_VIBRATION_PWM), "PIN_VIBRATION_PWM must be a PWM pin (3, 5, 6, 9, 10, 11)");
#ifdef ROTATION_DRIVER_PWM_DIR
static_assert(digitalPinHasPWM(PIN_ROTATION_PWM), "PIN_ROTATION_PWM must be a PWM pin (3, 5, 6, 9, 10, 11)");
#else
static_assert(digitalPinHasPWM(PIN_ROTATION_PWM_CW) && digitalPinHasPWM(PIN_ROTATION_PWM_CCW),
              "PIN_ROTATION_PWM_CW and PIN_ROTATION_PWM_CCW must be PWM pins (3, 5, 6, 9, 10, 11)");
#endif

static const long kBaudRate = 115200;
// A hung loop resets the board within this time; the board boots with its outputs off.
static const uint8_t kHardwareWatchdog = WDTO_250MS;
// Bytes handled per loop pass, so a flood of input never starves the clock.
static const uint8_t kBytesPerPass = 32;

static core::Device device;
static uint8_t resetCause __attribute__((section(".noinit")));

// Runs before main() and before any constructor: a reset by the hardware watchdog leaves it
// running, and it must be stopped before the (slow) start-up or the board resets forever.
void stopWatchdogEarly() __attribute__((naked, used, section(".init3")));
void stopWatchdogEarly() {
  resetCause = MCUSR;
  MCUSR = 0;
  wdt_disable();
}

static void forceOutputsLow() {
#ifdef ROTATION_DRIVER_PWM_DIR
  const uint8_t pins[] = {PIN_VIBRATION_PWM, PIN_ROTATION_PWM, PIN_ROTATION_IN1, PIN_ROTATION_IN2};
#else
  const uint8_t pins[] = {PIN_VIBRATION_PWM, PIN_ROTATION_PWM_CW, PIN_ROTATION_PWM_CCW};
#endif
  for (uint8_t pin : pins) {
    digitalWrite(pin, LOW);
    pinMode(pin, OUTPUT);
  }
}

// Permille (0..1000) to an 8-bit duty, rounded.
static uint8_t duty(int16_t permille) {
  const uint16_t magnitude = permille < 0 ? -permille : permille;
  return static_cast<uint8_t>((magnitude * 255UL + 500) / 1000);
}

// analogWrite() connects a pin to its timer before it writes the new duty, so for a few cycles
// the pin would follow the duty left from before it was switched off. Write the duty first.
static void writePwm(uint8_t pin, uint8_t value) {
  switch (digitalPinToTimer(pin)) {
    case TIMER0A:
      OCR0A = value;
      break;
    case TIMER0B:
      OCR0B = value;
      break;
    case TIMER1A:
      OCR1A = value;
      break;
    case TIMER1B:
      OCR1B = value;
      break;
    case TIMER2A:
      OCR2A = value;
      break;
    case TIMER2B:
      OCR2B = value;
      break;
    default:
      break;
  }
  analogWrite(pin, value);
}

// Whole milliseconds since boot, counted from micros(): millis() advances in steps of 1.024 ms
// (and now and then skips one), which would put up to a millisecond of jitter on the program clock.
static uint32_t halNow(void*) {
  static uint32_t lastMicros = 0;
  static uint32_t pendingMicros = 0;
  static uint32_t milliseconds = 0;
  const uint32_t now = micros();
  pendingMicros += now - lastMicros;  // unsigned: right across micros()' wrap every 71 minutes
  lastMicros = now;
  while (pendingMicros >= 1000) {
    pendingMicros -= 1000;
    milliseconds++;
  }
  return milliseconds;
}

static int16_t lastRotation = 0;

static void halApplyOutputs(void*, int16_t vibration, int16_t rotation) {
  writePwm(PIN_VIBRATION_PWM, duty(vibration));
#ifdef ROTATION_DRIVER_PWM_DIR
  // The core ramps through zero on a reversal; the speed pin is also low whenever the direction pins change.
  const bool directionChanges = (lastRotation > 0) != (rotation > 0) || (lastRotation < 0) != (rotation < 0);
  if (directionChanges) {
    writePwm(PIN_ROTATION_PWM, 0);
    digitalWrite(PIN_ROTATION_IN1, rotation > 0 ? HIGH : LOW);
    digitalWrite(PIN_ROTATION_IN2, rotation < 0 ? HIGH : LOW);
  }
  writePwm(PIN_ROTATION_PWM, duty(rotation));
#else
  writePwm(PIN_ROTATION_PWM_CW, rotation > 0 ? duty(rotation) : 0);
  writePwm(PIN_ROTATION_PWM_CCW, rotation < 0 ? duty(rotation) : 0);
#endif
  lastRotation = rotation;
}

static void halWrite(void*, const char* bytes, uint8_t length) {
  Serial.write(reinterpret_cast<const uint8_t*>(bytes), length);
}

static const core::Hal hal = {nullptr, halNow, halApplyOutputs, halWrite};

void setup() {
  forceOutputsLow();
  Serial.begin(kBaudRate);
  Serial.write('\n');  // ends any line a reset cut short; hosts discard the empty line
  device.begin(&hal);  // writes ST IDLE BOOT 0 0
  if (resetCause & _BV(WDRF)) Serial.print(F("# reset by the hardware watchdog\n"));
  wdt_enable(kHardwareWatchdog);
}

void loop() {
  wdt_reset();
  for (uint8_t i = 0; i < kBytesPerPass && Serial.available() > 0; i++) {
    device.receive(static_cast<uint8_t>(Serial.read()));
  }
  device.tick();
}
