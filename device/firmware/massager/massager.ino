// Scalp massager firmware for the ATmega328P (Arduino Uno, Nano).
// The protocol, the state machine and every safety rule live in the portable core (src/core);
// this sketch only gives it a clock, the motor pins and the serial port.
// Pins: pins.h (checked at build time); PWM and STBY: motor_outputs.h.
#include <avr/wdt.h>

#include "motor_outputs.h"
#include "pins.h"
#include "serial_link.h"
#include "src/core/device.h"

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

// While a stop byte the UART interrupt acted on waits for the core, the outputs stay at zero.
static void halApplyOutputs(void*, int16_t vibration, int16_t rotation) {
  if (serial_link::holdingStop()) vibration = rotation = 0;
  outputs::apply(vibration, rotation);
}

static void halWrite(void*, const char* bytes, uint8_t length) {
  serial_link::write(reinterpret_cast<const uint8_t*>(bytes), length);
}

static const core::Hal hal = {nullptr, halNow, halApplyOutputs, halWrite};

// What PINS reports (PN): this build's pin map (pins.h) and motor PWM frequency (motor_outputs.h).
#ifdef ROTATION_DRIVER_PWM_DIR
static const core::PinReport pinReport = {core::kDriverPwmDir, PIN_VIBRATION_PWM, PIN_ROTATION_PWM, PIN_ROTATION_IN1,
                                          PIN_ROTATION_IN2,    PIN_STBY,          outputs::kPwmHz};
#else
static const core::PinReport pinReport = {core::kDriverTwoPwm,  PIN_VIBRATION_PWM, 0, PIN_ROTATION_PWM_CW,
                                          PIN_ROTATION_PWM_CCW, PIN_STBY,          outputs::kPwmHz};
#endif

void setup() {
  outputs::begin();  // STBY and every motor pin LOW, the timers at their inaudible frequencies
  serial_link::begin(kBaudRate);
  serial_link::write('\n');  // ends any line a reset cut short; hosts discard the empty line
  device.setPins(&pinReport);
  device.begin(&hal);  // writes ST IDLE BOOT 0 0
  if (resetCause & _BV(WDRF)) {
    static const char kNote[] PROGMEM = "# reset by the hardware watchdog\n";
    for (uint8_t i = 0; i < sizeof(kNote) - 1; i++) serial_link::write(pgm_read_byte(&kNote[i]));
  }
  wdt_enable(kHardwareWatchdog);
}

void loop() {
  wdt_reset();
  for (uint8_t i = 0; i < kBytesPerPass; i++) {
    const int16_t byte = serial_link::read();
    if (byte < 0) break;
    device.receive(static_cast<uint8_t>(byte));
    if (byte == core::kStopByte) serial_link::stopHandled();
  }
  device.tick();
}
