// The pin map: change it here to match your wiring, then rebuild and flash.
//
// Vibration motor: one PWM pin into a logic-level MOSFET (or one channel of a motor driver).
// Rotation motor: an H-bridge, wired one of two ways:
//   - ROTATION_DRIVER_PWM_DIR (default): L298N, TB6612FNG, L9110 with an enable pin, ...:
//       one PWM pin for speed (ENA / PWMA) and two direction pins (IN1/IN2, AIN1/AIN2).
//   - ROTATION_DRIVER_TWO_PWM: DRV8833, BTS7960, MX1508, ...: one PWM pin per direction.
// Every PWM pin must be one of the Uno/Nano's PWM pins: 3, 5, 6, 9, 10, 11.
// Any of these can also be given on the build command line, e.g. -DPIN_VIBRATION_PWM=6.
#pragma once

#if !defined(ROTATION_DRIVER_PWM_DIR) && !defined(ROTATION_DRIVER_TWO_PWM)
#define ROTATION_DRIVER_PWM_DIR
#endif

#ifndef PIN_VIBRATION_PWM
#define PIN_VIBRATION_PWM 5
#endif

#ifdef ROTATION_DRIVER_PWM_DIR
#ifndef PIN_ROTATION_PWM
#define PIN_ROTATION_PWM 9  // ENA on an L298N, PWMA on a TB6612FNG
#endif
#ifndef PIN_ROTATION_IN1
#define PIN_ROTATION_IN1 7  // HIGH (with IN2 LOW) turns clockwise
#endif
#ifndef PIN_ROTATION_IN2
#define PIN_ROTATION_IN2 8  // HIGH (with IN1 LOW) turns counter-clockwise
#endif
#endif

#ifdef ROTATION_DRIVER_TWO_PWM
#ifndef PIN_ROTATION_PWM_CW
#define PIN_ROTATION_PWM_CW 9  // driven while turning clockwise, LOW otherwise
#endif
#ifndef PIN_ROTATION_PWM_CCW
#define PIN_ROTATION_PWM_CCW 10  // driven while turning counter-clockwise, LOW otherwise
#endif
#endif
