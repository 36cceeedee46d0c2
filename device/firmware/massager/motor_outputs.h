// The motor pins: inaudible 20 kHz PWM on Timer1 (D9, D10) and Timer2 (D3), the rotation's
// direction pins, and STBY, the driver's second, independent off. Pins: pins.h.
//
// analogWrite() would run D9/D10/D3 at 490 Hz and D5/D6 at 980 Hz, a whine small motors make
// audible. Timer1 runs here in fast PWM with TOP = ICR1 = 799 and no prescaler: 16 MHz / 800 =
// 20 kHz with 800 steps. Timer2 runs in fast PWM with TOP = OCR2A = 99 and a prescaler of 8:
// 16 MHz / 8 / 100 = 20 kHz with 100 steps on OC2B (D3); OCR2A is its TOP, so D11 cannot be a
// PWM output. Timer0 is left alone: it runs millis() and micros().
#pragma once
#include <Arduino.h>
#include <util/atomic.h>

#include "pins.h"
#include "src/core/pwm.h"

namespace outputs {

const uint16_t kTimer1Top = 799;
const uint8_t kTimer2Top = 99;
const uint8_t kTimer2Prescaler = 8;
/** Both timers' PWM frequency, Hz: reported in the PN frame. */
const uint16_t kPwmHz = F_CPU / (kTimer1Top + 1UL);
static_assert(F_CPU / kTimer2Prescaler / (kTimer2Top + 1UL) == kPwmHz, "Timer2 must run at Timer1's frequency");

/** A level (sign ignored) as the timer steps per period the pin is high: core::pwmSteps, 0..TOP + 1. */
inline uint16_t onSteps(uint8_t pin, int16_t permille) {
  return core::pwmSteps(permille, pin == 3 ? kTimer2Top + 1U : kTimer1Top + 1U);
}

/**
 * Sets a PWM pin's duty: the compare value first, then the compare unit connected (or, at 0, cut
 * off so the port's LOW drives the pin). Interrupts are held off so a stop from the UART
 * interrupt can never be undone by a read-modify-write of TCCRnA it interrupted.
 */
inline void writePwm(uint8_t pin, int16_t permille) {
  const uint16_t steps = onSteps(pin, permille);
  // Fast PWM holds the pin high for OCR + 1 steps of every TOP + 1: OCR = steps - 1.
  const bool on = steps > 0;
  const uint16_t value = on ? steps - 1 : 0;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    switch (pin) {
      case 9:
        OCR1A = value;
        if (on) TCCR1A |= _BV(COM1A1);
        else TCCR1A &= ~_BV(COM1A1);
        break;
      case 10:
        OCR1B = value;
        if (on) TCCR1A |= _BV(COM1B1);
        else TCCR1A &= ~_BV(COM1B1);
        break;
      case 3:
        OCR2B = static_cast<uint8_t>(value);
        if (on) TCCR2A |= _BV(COM2B1);
        else TCCR2A &= ~_BV(COM2B1);
        break;
      default:
        break;
    }
  }
}

/** Everything off at once: STBY low first, then every compare unit cut off. Safe in an interrupt. */
inline void off() {
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    *portOutputRegister(digitalPinToPort(PIN_STBY)) &= ~digitalPinToBitMask(PIN_STBY);
    TCCR1A &= ~(_BV(COM1A1) | _BV(COM1A0) | _BV(COM1B1) | _BV(COM1B0));
    TCCR2A &= ~(_BV(COM2A1) | _BV(COM2A0) | _BV(COM2B1) | _BV(COM2B0));
  }
}

/**
 * Every motor pin an output driving LOW (STBY first), then the timers set to their inaudible
 * frequencies. Called first thing in setup(): until then the pins float and the pull-downs hold them low.
 */
inline void begin() {
#ifdef ROTATION_DRIVER_PWM_DIR
  const uint8_t pins[] = {PIN_STBY, PIN_VIBRATION_PWM, PIN_ROTATION_PWM, PIN_ROTATION_IN1, PIN_ROTATION_IN2};
#else
  const uint8_t pins[] = {PIN_STBY, PIN_VIBRATION_PWM, PIN_ROTATION_PWM_CW, PIN_ROTATION_PWM_CCW};
#endif
  for (uint8_t pin : pins) {
    digitalWrite(pin, LOW);  // also cuts off any compare unit init() connected
    pinMode(pin, OUTPUT);
  }
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    // Timer1: mode 14 (fast PWM, TOP = ICR1), no prescaler, both outputs cut off.
    TCCR1B = 0;
    TCCR1A = _BV(WGM11);
    ICR1 = kTimer1Top;
    OCR1A = 0;
    OCR1B = 0;
    TCNT1 = 0;
    TCCR1B = _BV(WGM13) | _BV(WGM12) | _BV(CS10);
    // Timer2: mode 7 (fast PWM, TOP = OCR2A), prescaler 8, its output cut off.
    TCCR2B = 0;
    TCCR2A = _BV(WGM21) | _BV(WGM20);
    OCR2A = kTimer2Top;
    OCR2B = 0;
    TCNT2 = 0;
    TCCR2B = _BV(WGM22) | _BV(CS21);
  }
}

static int16_t lastRotation = 0;

/**
 * Drives the motors: vibration 0..1000, rotation -1000..1000 (the sign is the direction). STBY is
 * HIGH only while a level is non-zero: it goes low before the PWMs on the way down and high after
 * them on the way up, so every stop path (STOP's ramp's end, ESTOP, the silence watchdog, a
 * session limit, a fault) also puts the driver in standby.
 */
inline void apply(int16_t vibration, int16_t rotation) {
  const bool running = vibration != 0 || rotation != 0;
  if (!running) digitalWrite(PIN_STBY, LOW);
  writePwm(PIN_VIBRATION_PWM, vibration);
#ifdef ROTATION_DRIVER_PWM_DIR
  // The core ramps through zero on a reversal; the speed pin is also low whenever the direction pins change.
  const bool directionChanges = (lastRotation > 0) != (rotation > 0) || (lastRotation < 0) != (rotation < 0);
  if (directionChanges) {
    writePwm(PIN_ROTATION_PWM, 0);
    digitalWrite(PIN_ROTATION_IN1, rotation > 0 ? HIGH : LOW);
    digitalWrite(PIN_ROTATION_IN2, rotation < 0 ? HIGH : LOW);
  }
  writePwm(PIN_ROTATION_PWM, rotation);
#else
  writePwm(PIN_ROTATION_PWM_CW, rotation > 0 ? rotation : 0);
  writePwm(PIN_ROTATION_PWM_CCW, rotation < 0 ? rotation : 0);
#endif
  lastRotation = rotation;
  if (running) digitalWrite(PIN_STBY, HIGH);
}

}  // namespace outputs
