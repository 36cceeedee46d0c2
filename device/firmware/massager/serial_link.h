// The serial link to the host, in place of Arduino's Serial: the same 115200 baud 8N1 and
// interrupt-driven buffers, plus the one thing Serial cannot do: act on the stop byte (protocol
// 1.1, PROTOCOL.md "The stop byte") inside the receive interrupt. The byte cuts the motors there,
// about 90 µs after its stop bit, whatever the main loop and the line reader are doing; the core
// then handles it in order with the bytes before it (it drops the partial line and reports
// `ST IDLE ESTOP`). Until it has, every output write is held at zero.
//
//   RX pin ──► ISR(USART_RX_vect) ──► stop byte? outputs::off(), stopsPending++ ──► rx ring ──► read()
//   write() ──► tx ring ──► ISR(USART_UDRE_vect) ──► TX pin
#pragma once
#include <Arduino.h>
#include <util/atomic.h>

#include "motor_outputs.h"
#include "src/core/config.h"

namespace serial_link {

// Powers of two, so the ring indices wrap with a mask.
const uint8_t kRxSize = 64;
const uint8_t kTxSize = 128;

static uint8_t rxBuffer[kRxSize];
static volatile uint8_t rxHead = 0;
static volatile uint8_t rxTail = 0;
static uint8_t txBuffer[kTxSize];
static volatile uint8_t txHead = 0;
static volatile uint8_t txTail = 0;
/** Stop bytes the interrupt has acted on that the core has not yet read: outputs are held at zero. */
static volatile uint8_t stopsPending = 0;

/** 8N1 at `baud`, double speed, with Arduino's rounding (115200 runs at 117647, 2.1 % fast, as with Serial). */
inline void begin(uint32_t baud) {
  const uint16_t setting = static_cast<uint16_t>((F_CPU / 4 / baud - 1) / 2);
  UCSR0A = _BV(U2X0);
  UBRR0H = static_cast<uint8_t>(setting >> 8);
  UBRR0L = static_cast<uint8_t>(setting);
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);
  UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
}

/** True while a stop byte has cut the outputs and the core has not acted on it yet. */
inline bool holdingStop() { return stopsPending != 0; }

/** The next received byte, or -1. */
inline int16_t read() {
  int16_t byte = -1;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    if (rxHead != rxTail) {
      byte = rxBuffer[rxTail];
      rxTail = static_cast<uint8_t>((rxTail + 1) & (kRxSize - 1));
    }
  }
  return byte;
}

/** Called once the core has handled a stop byte read with read(). */
inline void stopHandled() {
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    if (stopsPending > 0) stopsPending--;
  }
}

/** Queues bytes to send, waiting for room when the ring is full (as Serial.write does). */
inline void write(const uint8_t* bytes, uint8_t length) {
  for (uint8_t i = 0; i < length; i++) {
    const uint8_t next = static_cast<uint8_t>((txHead + 1) & (kTxSize - 1));
    while (next == txTail) {
      // With interrupts off (never the case in loop()), drain by hand so this cannot hang.
      if (!(SREG & _BV(SREG_I)) && (UCSR0A & _BV(UDRE0))) {
        UDR0 = txBuffer[txTail];
        txTail = static_cast<uint8_t>((txTail + 1) & (kTxSize - 1));
      }
    }
    txBuffer[txHead] = bytes[i];
    txHead = next;
    UCSR0B |= _BV(UDRIE0);
  }
}

inline void write(uint8_t byte) { write(&byte, 1); }

}  // namespace serial_link

ISR(USART_RX_vect) {
  const uint8_t byte = UDR0;
  const bool stop = byte == core::kStopByte;
  if (stop) {
    outputs::off();
    serial_link::stopsPending = static_cast<uint8_t>(serial_link::stopsPending + 1);
  }
  const uint8_t head = serial_link::rxHead;
  const uint8_t next = static_cast<uint8_t>((head + 1) & (serial_link::kRxSize - 1));
  if (next == serial_link::rxTail) {
    // Full. Other bytes are dropped, as Serial drops them; a stop byte never is: it takes the
    // oldest byte's place (the line that byte began is cut by the stop byte anyway).
    if (!stop) return;
    if (serial_link::rxBuffer[serial_link::rxTail] == core::kStopByte) serial_link::stopsPending--;  // this one counts
    serial_link::rxTail = static_cast<uint8_t>((serial_link::rxTail + 1) & (serial_link::kRxSize - 1));
  }
  serial_link::rxBuffer[head] = byte;
  serial_link::rxHead = next;
}

ISR(USART_UDRE_vect) {
  if (serial_link::txHead == serial_link::txTail) {
    UCSR0B &= static_cast<uint8_t>(~_BV(UDRIE0));
    return;
  }
  UDR0 = serial_link::txBuffer[serial_link::txTail];
  serial_link::txTail = static_cast<uint8_t>((serial_link::txTail + 1) & (serial_link::kTxSize - 1));
}
