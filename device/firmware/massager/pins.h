// The pin map: change it here to match your wiring, then rebuild and flash.
//
// Vibration motor: one PWM pin into a logic-level MOSFET (or one channel of a motor driver).
// Rotation motor: an H-bridge, wired one of two ways:
//   - ROTATION_DRIVER_PWM_DIR (default): TB6612FNG, L298N, L9110 with an enable pin, ...:
//       one PWM pin for speed (PWMA / ENA) and two direction pins (AIN1/AIN2, IN1/IN2).
//   - ROTATION_DRIVER_TWO_PWM: DRV8833, BTS7960, MX1508, ...: one PWM pin per direction.
// STBY: the driver's standby / enable input (TB6612FNG STBY, DRV8833 nSLEEP, BTS7960 R_EN+L_EN),
//   a second, independent off: HIGH only while a motor runs. Give it a 10k pull-down to GND so it
//   stays low while the board is in reset or in its bootloader (the pins float then).
//
// PWM pins: D9, D10 (Timer1) and D3 (Timer2), all run at 20 kHz so the motors do not whine.
// D5 and D6 are refused: their Timer0 runs millis(), and analogWrite's 980 Hz there is audible
// in small motors; D11 is refused: Timer2's TOP register (OCR2A) sets its 20 kHz, so it has no
// compare output left. Any of these can also be given on the build command line, e.g. -DPIN_STBY=2.
// A pin map that breaks a rule below fails the build with the rule it breaks.
#pragma once

#if !defined(ROTATION_DRIVER_PWM_DIR) && !defined(ROTATION_DRIVER_TWO_PWM)
#define ROTATION_DRIVER_PWM_DIR
#endif
#if defined(ROTATION_DRIVER_PWM_DIR) && defined(ROTATION_DRIVER_TWO_PWM)
#error "define only one of ROTATION_DRIVER_PWM_DIR and ROTATION_DRIVER_TWO_PWM"
#endif

#ifndef PIN_STBY
#define PIN_STBY 4  // TB6612FNG STBY (10k pull-down to GND)
#endif

#ifdef ROTATION_DRIVER_PWM_DIR
#ifndef PIN_VIBRATION_PWM
#define PIN_VIBRATION_PWM 10  // a MOSFET's gate, or PWMB on a TB6612FNG (BIN1 high, BIN2 low)
#endif
#ifndef PIN_ROTATION_PWM
#define PIN_ROTATION_PWM 9  // PWMA on a TB6612FNG, ENA on an L298N
#endif
#ifndef PIN_ROTATION_IN1
#define PIN_ROTATION_IN1 7  // HIGH (with IN2 LOW) turns clockwise
#endif
#ifndef PIN_ROTATION_IN2
#define PIN_ROTATION_IN2 8  // HIGH (with IN1 LOW) turns counter-clockwise
#endif
#endif

#ifdef ROTATION_DRIVER_TWO_PWM
#ifndef PIN_VIBRATION_PWM
#define PIN_VIBRATION_PWM 3  // Timer2: D9 and D10 drive the rotation
#endif
#ifndef PIN_ROTATION_PWM_CW
#define PIN_ROTATION_PWM_CW 9  // driven while turning clockwise, LOW otherwise
#endif
#ifndef PIN_ROTATION_PWM_CCW
#define PIN_ROTATION_PWM_CCW 10  // driven while turning counter-clockwise, LOW otherwise
#endif
#endif

// ---- The rules. Each message names the pin setting and the rule it breaks. ----

// Each rule stringizes the setting's name itself (#name): passed through another macro, it would expand.
#define PIN_RULE_DIGITAL(name)                                                                                  \
  static_assert((name) >= 0 && (name) <= 19, #name " must be an Uno/Nano pin, D2..D19 (A0..A5 are 14..19)");   \
  static_assert((name) != 0 && (name) != 1,                                                                    \
                #name " is on D0 or D1: they carry the USB serial link (RX/TX); use D2..D19");                  \
  static_assert((name) != 13, #name " is on D13: the bootloader blinks the LED there at every reset, so the " \
                                    "motor would twitch")
#define PIN_RULE_PWM(name)                                                                               \
  static_assert((name) == 9 || (name) == 10 || (name) == 3,                                              \
                #name " must be a PWM pin the firmware runs at 20 kHz: D9, D10 (Timer1) or D3 (Timer2); " \
                "D5 and D6 belong to Timer0, which runs millis(), and D11's compare register sets Timer2's 20 kHz")
#define PIN_RULE_DISTINCT(a, b, why) static_assert((a) != (b), #a " and " #b " are the same pin: " why)

PIN_RULE_DIGITAL(PIN_VIBRATION_PWM);
PIN_RULE_PWM(PIN_VIBRATION_PWM);
PIN_RULE_DIGITAL(PIN_STBY);
PIN_RULE_DISTINCT(PIN_STBY, PIN_VIBRATION_PWM, "STBY needs a pin of its own");

#ifdef ROTATION_DRIVER_PWM_DIR
PIN_RULE_DIGITAL(PIN_ROTATION_PWM);
PIN_RULE_PWM(PIN_ROTATION_PWM);
PIN_RULE_DIGITAL(PIN_ROTATION_IN1);
PIN_RULE_DIGITAL(PIN_ROTATION_IN2);
PIN_RULE_DISTINCT(PIN_ROTATION_PWM, PIN_VIBRATION_PWM, "both PWMs on one pin would drive both motors together");
PIN_RULE_DISTINCT(PIN_ROTATION_IN1, PIN_ROTATION_IN2, "the H-bridge needs two direction inputs, driven opposite");
PIN_RULE_DISTINCT(PIN_ROTATION_IN1, PIN_ROTATION_PWM, "a direction pin on the PWM pin would flip with the speed");
PIN_RULE_DISTINCT(PIN_ROTATION_IN2, PIN_ROTATION_PWM, "a direction pin on the PWM pin would flip with the speed");
PIN_RULE_DISTINCT(PIN_ROTATION_IN1, PIN_VIBRATION_PWM, "a direction pin on the vibration PWM pin");
PIN_RULE_DISTINCT(PIN_ROTATION_IN2, PIN_VIBRATION_PWM, "a direction pin on the vibration PWM pin");
PIN_RULE_DISTINCT(PIN_STBY, PIN_ROTATION_PWM, "STBY needs a pin of its own");
PIN_RULE_DISTINCT(PIN_STBY, PIN_ROTATION_IN1, "STBY needs a pin of its own");
PIN_RULE_DISTINCT(PIN_STBY, PIN_ROTATION_IN2, "STBY needs a pin of its own");
#endif

#ifdef ROTATION_DRIVER_TWO_PWM
PIN_RULE_DIGITAL(PIN_ROTATION_PWM_CW);
PIN_RULE_DIGITAL(PIN_ROTATION_PWM_CCW);
PIN_RULE_PWM(PIN_ROTATION_PWM_CW);
PIN_RULE_PWM(PIN_ROTATION_PWM_CCW);
PIN_RULE_DISTINCT(PIN_ROTATION_PWM_CW, PIN_ROTATION_PWM_CCW, "each direction needs its own PWM pin");
PIN_RULE_DISTINCT(PIN_ROTATION_PWM_CW, PIN_VIBRATION_PWM, "two-PWM mode cannot use the vibration pin");
PIN_RULE_DISTINCT(PIN_ROTATION_PWM_CCW, PIN_VIBRATION_PWM, "two-PWM mode cannot use the vibration pin");
PIN_RULE_DISTINCT(PIN_STBY, PIN_ROTATION_PWM_CW, "STBY needs a pin of its own");
PIN_RULE_DISTINCT(PIN_STBY, PIN_ROTATION_PWM_CCW, "STBY needs a pin of its own");
#endif
