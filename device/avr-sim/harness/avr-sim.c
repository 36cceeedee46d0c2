/*
 * avr-sim: an emulated Arduino Uno (ATmega328P, 16 MHz) on top of simavr.
 *
 *   host serial client <-> /dev/pts/N (slave) <-> pty master <-> UART0 of the simulated MCU
 *   motor pins (PORT/DDR/timer registers) -> one stdout line per change, stamped in simulation time
 *   stdin commands: "reset" (external reset, like the RESET pin or the DTR auto-reset), "time",
 *                   "hang ADDR" (the firmware hangs: see below), "quit"
 *
 * stdout protocol, one line each, flushed at once:
 *   pty: /dev/pts/N              first line, once the pseudo-terminal exists
 *   ready                        second line, once the firmware is loaded and the pins are sampled
 *   <t_us> pin <pin> <0|1>       the level the pin drives (PORT and DDR; 0 when it is an input)
 *   <t_us> pwm <pin> <0..255>    the effective duty of a PWM-capable pin: OCR scaled to 0..255
 *                                while its COM bits connect it, otherwise 0 or 255 from the port level
 *   <t_us> reset <cause>         the MCU was reset: external (stdin, pty open) | watchdog
 *   <t_us> time                  answers the stdin command "time": the simulation time now
 *   <t_us> hang 0xADDR           answers "hang ADDR": the program counter is now in the self-loop at
 *                                flash byte address ADDR (an `rjmp .-2` already in the firmware, such
 *                                as avr-libc's __stop_program); SREG, the stack and every peripheral
 *                                are left as they are, so interrupts keep running and only the
 *                                hardware watchdog can get the MCU out
 *   <t_us> refused hang <why>    "hang ADDR" was refused (ADDR is not a self-loop); nothing changed
 *   <t_us> halted <state>        the core stopped (crashed or done); the process exits after it
 *   <t_us> measured <pin> <periods> <period_ns>
 *                                answers "measure PIN MS": over the next MS ms of simulation time, how
 *                                often the pin was switched on (a rising port bit, or the start of a
 *                                PWM period: the timer's compare unit setting the pin), and the median
 *                                time between two of those (0 with fewer than two): the PWM period
 * Simulation time is monotonic across resets and counts from power-on. With --bootloader, the
 * bootloader's lowest address is the boot section start (what the BOOTRST and BOOTSZ fuses set).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <simavr/avr_ioport.h>
#include <simavr/avr_timer.h>
#include <simavr/avr_uart.h>
#include <simavr/sim_avr.h>
#include <simavr/sim_cycle_timers.h>
#include <simavr/sim_elf.h>
#include <simavr/sim_io.h>
#include <simavr/sim_irq.h>

#define FREQUENCY 16000000UL
#define CYCLES_PER_US (FREQUENCY / 1000000UL)
/* The main loop runs the core for this much simulation time between host I/O and pacing. */
#define SLICE_CYCLES (FREQUENCY / 2000UL) /* 0.5 ms */
#define MAX_PINS 20
#define IO_BUFFER 8192

/* ATmega328P data-space addresses of the registers that decide what a pin drives. */
enum {
  R_PINB = 0x23, R_DDRB = 0x24, R_PORTB = 0x25,
  R_PINC = 0x26, R_DDRC = 0x27, R_PORTC = 0x28,
  R_PIND = 0x29, R_DDRD = 0x2A, R_PORTD = 0x2B,
  R_TCCR0A = 0x44, R_TCCR0B = 0x45, R_OCR0A = 0x47, R_OCR0B = 0x48,
  R_MCUSR = 0x54,
  R_TCCR1A = 0x80, R_TCCR1B = 0x81, R_ICR1L = 0x86, R_ICR1H = 0x87,
  R_OCR1AL = 0x88, R_OCR1AH = 0x89, R_OCR1BL = 0x8A, R_OCR1BH = 0x8B,
  R_TCCR2A = 0xB0, R_TCCR2B = 0xB1, R_OCR2A = 0xB3, R_OCR2B = 0xB4,
  R_UCSR0A = 0xC0, R_UCSR0B = 0xC1, R_UBRR0L = 0xC4, R_UBRR0H = 0xC5,
};
#define UCSR0A_U2X0 0x02
#define UCSR0B_RXEN0 0x10
#define UCSR0B_TXEN0 0x08
#define MCUSR_PORF 0x01
#define MCUSR_EXTRF 0x02

static const uint8_t watched_registers[] = {
  R_PINB, R_DDRB, R_PORTB, R_PINC, R_DDRC, R_PORTC, R_PIND, R_DDRD, R_PORTD,
  R_TCCR0A, R_TCCR0B, R_OCR0A, R_OCR0B,
  R_TCCR1A, R_TCCR1B, R_ICR1L, R_ICR1H, R_OCR1AL, R_OCR1AH, R_OCR1BL, R_OCR1BH,
  R_TCCR2A, R_TCCR2B, R_OCR2A, R_OCR2B,
};

typedef struct {
  int arduino;       /* Arduino pin number, D0..D19 (A0..A5 are 14..19) */
  uint8_t port_reg;  /* PORTx address */
  uint8_t ddr_reg;   /* DDRx address */
  uint8_t bit;
  int timer;         /* -1: no PWM; 0, 1, 2: the timer whose compare unit drives it */
  int channel;       /* 0: A, 1: B */
  int last_level;    /* last reported, -1 before the first report */
  int last_duty;
} pin_t;

static avr_t *avr;
static pin_t pins[MAX_PINS];
static int pin_count;
static int fast_mode;
/* --host-paced: the simulated clock holds while the parent is stalled (no 'tick' on stdin for
 * HOST_LEAD_US), so a host process the machine did not run for a second is not a host that was
 * silent for a second: the firmware's and the bootloader's watchdogs see only real silence. */
static int host_paced;
static uint64_t wall_us(void);
static uint64_t host_tick_wall;
#define HOST_LEAD_US 200000ULL
static int reset_on_open;
static int check_baud;
static int master_fd = -1;
static int verbose;

static uint8_t uart_in[IO_BUFFER];
static size_t uart_in_len;
static uint8_t uart_out[IO_BUFFER];
static size_t uart_out_len;
static int uart_xoff;

/* Simulation time survives resets: cycles before the last reset plus cycles since. */
static avr_cycle_count_t cycle_base;
static avr_cycle_count_t last_cycle;
static int sample_pending;
static const char *pending_reset_cause;
static int started; /* set once "ready" is printed: resets before it are the power-on */

static volatile sig_atomic_t stop_requested;

static void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "avr-sim: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  exit(2);
}

static uint64_t sim_us(void) {
  if (avr->cycle < last_cycle) cycle_base += last_cycle; /* simavr restarted its counter */
  last_cycle = avr->cycle;
  return (cycle_base + avr->cycle) / CYCLES_PER_US;
}

/* Maps an Arduino Uno pin number to its port bit and, for PWM pins, its timer channel. */
static int describe_pin(int arduino, pin_t *pin) {
  memset(pin, 0, sizeof(*pin));
  pin->arduino = arduino;
  pin->timer = -1;
  pin->last_level = -1;
  pin->last_duty = -1;
  if (arduino >= 0 && arduino <= 7) {
    pin->port_reg = R_PORTD; pin->ddr_reg = R_DDRD; pin->bit = (uint8_t)arduino;
  } else if (arduino >= 8 && arduino <= 13) {
    pin->port_reg = R_PORTB; pin->ddr_reg = R_DDRB; pin->bit = (uint8_t)(arduino - 8);
  } else if (arduino >= 14 && arduino <= 19) {
    pin->port_reg = R_PORTC; pin->ddr_reg = R_DDRC; pin->bit = (uint8_t)(arduino - 14);
  } else {
    return -1;
  }
  switch (arduino) {
    case 6: pin->timer = 0; pin->channel = 0; break;  /* OC0A */
    case 5: pin->timer = 0; pin->channel = 1; break;  /* OC0B */
    case 9: pin->timer = 1; pin->channel = 0; break;  /* OC1A */
    case 10: pin->timer = 1; pin->channel = 1; break; /* OC1B */
    case 11: pin->timer = 2; pin->channel = 0; break; /* OC2A */
    case 3: pin->timer = 2; pin->channel = 1; break;  /* OC2B */
    default: break;
  }
  return 0;
}

static uint16_t reg16(uint8_t low) { return (uint16_t)(avr->data[low] | (avr->data[low + 1] << 8)); }

/*
 * The duty (0..255) the compare unit produces on a pin, or -1 when the unit does not drive it
 * (COM bits off, or a mode that is not PWM: then the port level decides).
 */
static int compare_duty(const pin_t *pin) {
  uint8_t tccra, tccrb;
  uint32_t ocr, top;
  int wgm;
  if (pin->timer == 0 || pin->timer == 2) {
    tccra = avr->data[pin->timer == 0 ? R_TCCR0A : R_TCCR2A];
    tccrb = avr->data[pin->timer == 0 ? R_TCCR0B : R_TCCR2B];
    wgm = (tccra & 0x03) | ((tccrb & 0x08) >> 1);
    if (pin->timer == 0) ocr = avr->data[pin->channel == 0 ? R_OCR0A : R_OCR0B];
    else ocr = avr->data[pin->channel == 0 ? R_OCR2A : R_OCR2B];
    if (wgm == 1 || wgm == 3) top = 0xFF;
    else if ((wgm == 5 || wgm == 7) && pin->channel == 1) top = avr->data[pin->timer == 0 ? R_OCR0A : R_OCR2A];
    else return -1;
  } else if (pin->timer == 1) {
    tccra = avr->data[R_TCCR1A];
    tccrb = avr->data[R_TCCR1B];
    wgm = (tccra & 0x03) | ((tccrb & 0x18) >> 1);
    ocr = reg16(pin->channel == 0 ? R_OCR1AL : R_OCR1BL);
    switch (wgm) {
      case 1: case 5: top = 0xFF; break;
      case 2: case 6: top = 0x1FF; break;
      case 3: case 7: top = 0x3FF; break;
      case 8: case 10: case 14: top = reg16(R_ICR1L); break;
      case 9: case 11: case 15:
        if (pin->channel == 0) return -1;
        top = reg16(R_OCR1AL);
        break;
      default: return -1;
    }
  } else {
    return -1;
  }
  int com = (tccra >> (pin->channel == 0 ? 6 : 4)) & 0x03;
  if (com < 2) return -1; /* disconnected (or toggle, which is not a duty) */
  if (top == 0) return 0;
  if (ocr > top) ocr = top;
  uint32_t duty = (ocr * 255 + top / 2) / top;
  return com == 3 ? (int)(255 - duty) : (int)duty;
}

static void sample_pins(void) {
  uint64_t t = sim_us();
  for (int i = 0; i < pin_count; i++) {
    pin_t *pin = &pins[i];
    int output = (avr->data[pin->ddr_reg] >> pin->bit) & 1;
    int level = output ? (avr->data[pin->port_reg] >> pin->bit) & 1 : 0;
    if (level != pin->last_level) {
      printf("%llu pin %d %d\n", (unsigned long long)t, pin->arduino, level);
      pin->last_level = level;
    }
    if (pin->timer < 0) continue;
    int duty = output ? compare_duty(pin) : 0;
    if (duty < 0) duty = level ? 255 : 0;
    if (duty != pin->last_duty) {
      printf("%llu pwm %d %d\n", (unsigned long long)t, pin->arduino, duty);
      pin->last_duty = duty;
    }
  }
  fflush(stdout);
}

static avr_cycle_count_t sample_timer(avr_t *a, avr_cycle_count_t when, void *param) {
  (void)a; (void)when; (void)param;
  sample_pending = 0;
  sample_pins();
  return 0;
}

/* The handlers simavr's own modules installed on the watched registers, called first. */
static struct {
  avr_io_write_t c;
  void *param;
} original_write[MAX_IOs];

/*
 * Timer1's 16-bit registers are written through the chip's TEMP register: the high byte waits in
 * TEMP and both bytes land together when the low byte is written. simavr stores the high byte at
 * once, so between the two `sts` instructions OCR1A would read as the new high byte with the old
 * low byte (0x00FF -> 0x01FF -> 0x0100), a duty glitch the real chip never shows. TEMP is modelled here.
 */
static uint8_t timer1_temp;

static int is_timer1_high(avr_io_addr_t addr) { return addr == R_OCR1AH || addr == R_OCR1BH || addr == R_ICR1H; }
static int is_timer1_low(avr_io_addr_t addr) { return addr == R_OCR1AL || addr == R_OCR1BL || addr == R_ICR1L; }

/* A watched register was written: let its module store it, then sample after the instruction. */
static void on_register_write(avr_t *a, avr_io_addr_t addr, uint8_t v, void *param) {
  (void)param;
  if (is_timer1_high(addr)) {
    timer1_temp = v;
    return;
  }
  if (is_timer1_low(addr)) a->data[addr + 1] = timer1_temp;
  int io = AVR_DATA_TO_IO(addr);
  if (original_write[io].c) original_write[io].c(a, addr, v, original_write[io].param);
  else avr_core_watch_write(a, addr, v);
  if (!sample_pending) {
    sample_pending = 1;
    avr_cycle_timer_register(a, 1, sample_timer, NULL);
  }
}

/* simavr calls every IO module's reset on any reset; ours reports it and samples the pins. */
static void on_reset(avr_io_t *io) {
  (void)io;
  sample_pending = 0;
  /* External resets are ours; the only reset simavr makes by itself is the watchdog's (it sets
   * WDRF only after this callback). */
  const char *cause = pending_reset_cause ? pending_reset_cause : "watchdog";
  if (started) printf("%llu reset %s\n", (unsigned long long)sim_us(), cause);
  sample_pins();
}

static avr_io_t reset_watcher = { .kind = "avr-sim-reset", .reset = on_reset };

static void on_uart_output(avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq; (void)param;
  if (uart_out_len < IO_BUFFER) uart_out[uart_out_len++] = (uint8_t)value;
}

static void on_uart_xon(avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq; (void)value; (void)param;
  uart_xoff = 0;
}

static void on_uart_xoff(avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq; (void)value; (void)param;
  uart_xoff = 1;
}

static void sleep_nothing(avr_t *a, avr_cycle_count_t how_long) {
  (void)a; (void)how_long; /* pacing is done by the main loop, not by sleeping the core */
}

static void log_to_stderr(avr_t *a, const int level, const char *format, va_list ap) {
  (void)a;
  if (level <= LOG_ERROR || verbose) vfprintf(stderr, format, ap);
}

static int hex_byte(const char *s) {
  int v = 0;
  for (int i = 0; i < 2; i++) {
    char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= c - '0';
    else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
    else return -1;
  }
  return v;
}

/*
 * Loads an Intel HEX file into the flash, only where it has data (so a bootloader and an
 * application can be loaded one after the other). Our own reader: simavr's refuses record
 * type 03, which Debian's Optiboot hex carries.
 */
static uint32_t load_hex(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) fail("cannot open %s: %s", path, strerror(errno));
  uint32_t size = avr->flashend + 1u;
  uint8_t *image = calloc(size, 1);
  uint8_t *present = calloc(size, 1);
  if (!image || !present) fail("out of memory");
  uint32_t base = 0;
  int line_no = 0, done = 0;
  char line[600];
  while (!done && fgets(line, sizeof(line), f)) {
    line_no++;
    size_t len = strcspn(line, "\r\n");
    line[len] = 0;
    if (len == 0) continue;
    if (line[0] != ':' || len < 11 || (len - 1) % 2) fail("%s:%d: not an Intel HEX record", path, line_no);
    uint8_t rec[300];
    size_t n = (len - 1) / 2;
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++) {
      int b = hex_byte(line + 1 + 2 * i);
      if (b < 0) fail("%s:%d: bad hex digit", path, line_no);
      rec[i] = (uint8_t)b;
      sum = (uint8_t)(sum + b);
    }
    if (sum != 0 || n != (size_t)rec[0] + 5) fail("%s:%d: bad record checksum or length", path, line_no);
    uint32_t offset = ((uint32_t)rec[1] << 8) | rec[2];
    switch (rec[3]) {
      case 0:
        for (uint32_t i = 0; i < rec[0]; i++) {
          uint32_t addr = base + offset + i;
          if (addr >= size) fail("%s:%d: data at 0x%x is past the end of the flash", path, line_no, addr);
          image[addr] = rec[4 + i];
          present[addr] = 1;
        }
        break;
      case 1: done = 1; break;
      case 2: base = (((uint32_t)rec[4] << 8) | rec[5]) << 4; break;
      case 4: base = (((uint32_t)rec[4] << 8) | rec[5]) << 16; break;
      case 3: case 5: break; /* start addresses: the reset vector decides */
      default: fail("%s:%d: unknown record type %d", path, line_no, rec[3]);
    }
  }
  fclose(f);
  uint32_t lowest = UINT32_MAX;
  for (uint32_t addr = 0; addr < size;) {
    if (!present[addr]) { addr++; continue; }
    uint32_t end = addr;
    while (end < size && present[end]) end++;
    avr_loadcode(avr, image + addr, end - addr, addr);
    if (addr < lowest) lowest = addr;
    addr = end;
  }
  free(image);
  free(present);
  if (lowest == UINT32_MAX) fail("%s holds no data", path);
  return lowest;
}

static int has_elf_magic(const char *path) {
  unsigned char magic[4] = { 0 };
  FILE *f = fopen(path, "rb");
  if (!f) fail("cannot open %s: %s", path, strerror(errno));
  size_t got = fread(magic, 1, sizeof(magic), f);
  fclose(f);
  return got == 4 && memcmp(magic, "\x7f" "ELF", 4) == 0;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* An external reset, as the RESET pin or the Uno's DTR auto-reset capacitor would cause. */
static void external_reset(void) {
  pending_reset_cause = "external";
  avr_reset(avr);
  pending_reset_cause = NULL;
  avr->data[R_MCUSR] = MCUSR_EXTRF;
}

static void open_pty(void) {
  int slave_fd;
  char name[128];
  struct termios tio;
  if (openpty(&master_fd, &slave_fd, name, NULL, NULL) < 0) fail("openpty failed: %s", strerror(errno));
  cfmakeraw(&tio);
  if (tcgetattr(slave_fd, &tio) == 0) {
    cfmakeraw(&tio);
    tcsetattr(slave_fd, TCSANOW, &tio);
  }
  /* Closing our slave end leaves the master in "hung up" state until a client opens the slave:
   * that is how a client opening the port is seen (the DTR auto-reset emulation). */
  close(slave_fd);
  fcntl(master_fd, F_SETFL, fcntl(master_fd, F_GETFL) | O_NONBLOCK);
  printf("pty: %s\n", name);
  fflush(stdout);
}

static int client_connected;

/* The baud rate the MCU's UART0 runs at (0 while it is off): F_CPU / (8 or 16 * (UBRR0 + 1)). */
static unsigned long mcu_baud(void) {
  if (!(avr->data[R_UCSR0B] & (UCSR0B_RXEN0 | UCSR0B_TXEN0))) return 0;
  unsigned long ubrr = (unsigned long)(avr->data[R_UBRR0L] | ((avr->data[R_UBRR0H] & 0x0F) << 8));
  unsigned long divisor = (avr->data[R_UCSR0A] & UCSR0A_U2X0) ? 8 : 16;
  return FREQUENCY / (divisor * (ubrr + 1));
}

/* The baud rate the client set on the pty (a pty master's termios calls reach its slave). */
static unsigned long host_baud(void) {
  struct termios tio;
  if (tcgetattr(master_fd, &tio) != 0) return 0;
  switch (cfgetospeed(&tio)) {
    case B9600: return 9600;
    case B19200: return 19200;
    case B38400: return 38400;
    case B57600: return 57600;
    case B115200: return 115200;
    case B230400: return 230400;
    case B460800: return 460800;
    case B500000: return 500000;
    case B1000000: return 1000000;
    default: return 0;
  }
}

/*
 * --check-baud: a client at another baud rate than the MCU's UART (more than 5 % off, beyond what
 * a UART tolerates) gets wrong bytes both ways, as on a real board where the UART reads framing
 * errors and garbage: `massager flash --board nano` on an emulated Uno (Optiboot at 115200) fails
 * as it would on the real one. Without the option a pty carries bytes at any rate.
 */
static int baud_mismatch(void) {
  if (!check_baud) return 0;
  unsigned long mcu = mcu_baud(), host = host_baud();
  if (mcu == 0 || host == 0) return 0;
  unsigned long diff = mcu > host ? mcu - host : host - mcu;
  return diff * 20 > host;
}

static uint8_t garble(uint8_t byte) { return (uint8_t)(((byte << 3) | (byte >> 5)) ^ 0xA5); }

/* Moves bytes between the pty master and the UART; notices a client opening the port. */
static void service_pty(void) {
  struct pollfd p = { .fd = master_fd, .events = POLLIN };
  int n = poll(&p, 1, 0);
  int hung_up = n > 0 && (p.revents & POLLHUP);
  if (!hung_up && !client_connected) {
    client_connected = 1;
    if (reset_on_open) external_reset();
  } else if (hung_up && client_connected) {
    client_connected = 0;
  }
  /* Read even after a hang-up: what the client wrote just before it closed is still queued. */
  if ((p.revents & POLLIN) && uart_in_len < IO_BUFFER) {
    ssize_t got = read(master_fd, uart_in + uart_in_len, IO_BUFFER - uart_in_len);
    if (got > 0) uart_in_len += (size_t)got;
  }
  if (uart_out_len > 0) {
    if (client_connected && baud_mismatch())
      for (size_t i = 0; i < uart_out_len; i++) uart_out[i] = garble(uart_out[i]);
    if (client_connected) {
      ssize_t put = write(master_fd, uart_out, uart_out_len);
      if (put > 0) {
        memmove(uart_out, uart_out + put, uart_out_len - (size_t)put);
        uart_out_len -= (size_t)put;
      } else if (put < 0 && errno != EAGAIN) {
        uart_out_len = 0;
      }
    } else {
      uart_out_len = 0; /* nobody listens: the bytes are lost, as on a real unopened port */
    }
  }
}

/* Feeds pending host bytes into the UART's receive FIFO while it has room. */
static void feed_uart(avr_irq_t *input) {
  size_t used = 0;
  int garbled = baud_mismatch();
  while (used < uart_in_len && !uart_xoff) {
    uint8_t byte = uart_in[used++];
    avr_raise_irq(input, garbled ? garble(byte) : byte);
  }
  if (used > 0) {
    memmove(uart_in, uart_in + used, uart_in_len - used);
    uart_in_len -= used;
  }
}

/* An `rjmp .-2`: the instruction that jumps to itself, little-endian in the flash. */
#define SELF_LOOP_OPCODE 0xCFFFu

/*
 * Makes the firmware hang as a stuck main loop would: the program counter moves into a self-loop
 * the firmware already holds. No instruction is written and no register but the PC changes, so the
 * firmware under test is the production image, and what stops the motors is only what would stop
 * them on a real chip (its own watchdog).
 */
static void hang(const char *argument) {
  char *end;
  errno = 0;
  unsigned long address = strtoul(argument, &end, 0);
  const char *why = NULL;
  if (errno || end == argument || *end) why = "the address is not a number";
  else if (address & 1u) why = "the address is odd (instructions are word-aligned)";
  else if (address + 1 > avr->flashend) why = "the address is past the end of the flash";
  else if ((avr->flash[address] | (avr->flash[address + 1] << 8)) != SELF_LOOP_OPCODE)
    why = "the instruction there is not a self-loop (rjmp .-2)";
  if (why) {
    printf("%llu refused hang %s\n", (unsigned long long)sim_us(), why);
  } else {
    avr->pc = (avr_flashaddr_t)address;
    printf("%llu hang 0x%04lx\n", (unsigned long long)sim_us(), address);
  }
  fflush(stdout);
}

/*
 * "measure PIN MS": how fast a pin is really switched, in simulation time. A PWM pin's periods are
 * counted where its timer's compare unit sets it (simavr raises the compare output IRQ with 1 at
 * the start of every fast-PWM period; it lowers it again in the same cycle instead of at the
 * compare match, so the waveform gives the frequency but not the duty: the duty is the `pwm`
 * line's, from the registers). simavr now and then drops one period start (about 1 in 20, a
 * 1600-cycle gap at 20 kHz), so the period is the median gap, not the mean. Other pins: rising
 * edges of the port bit.
 */
#define MAX_GAPS 8192
static void *measure_state_param;
static struct {
  int active;
  int arduino;
  avr_irq_t *irq;
  int level;
  avr_cycle_count_t last_rise;
  unsigned long rising;
  uint32_t gaps[MAX_GAPS];
  unsigned gap_count;
} measure_state;

static int compare_gaps(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static void on_measured_rise(avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq; (void)param;
  int level = (value & 1) ? 1 : 0;
  int timer_pin = param != NULL;
  if (!measure_state.active) return;
  /* The compare output is raised once per period; a port bit only counts when it changes. */
  if (!timer_pin && level == measure_state.level) return;
  measure_state.level = level;
  if (!level) return;
  if (measure_state.rising > 0 && measure_state.gap_count < MAX_GAPS)
    measure_state.gaps[measure_state.gap_count++] = (uint32_t)(avr->cycle - measure_state.last_rise);
  measure_state.last_rise = avr->cycle;
  measure_state.rising++;
}

static avr_cycle_count_t measure_done(avr_t *a, avr_cycle_count_t when, void *param) {
  (void)a; (void)when; (void)param;
  unsigned long long period_ns = 0;
  if (measure_state.gap_count > 0) {
    qsort(measure_state.gaps, measure_state.gap_count, sizeof(uint32_t), compare_gaps);
    period_ns = (unsigned long long)measure_state.gaps[measure_state.gap_count / 2] * 1000ULL / CYCLES_PER_US;
  }
  avr_irq_unregister_notify(measure_state.irq, on_measured_rise, measure_state_param);
  measure_state.active = 0;
  printf("%llu measured %d %lu %llu\n", (unsigned long long)sim_us(), measure_state.arduino, measure_state.rising,
         period_ns);
  fflush(stdout);
  return 0;
}

static void measure(const char *argument) {
  int arduino = 0, ms = 0;
  pin_t pin;
  if (measure_state.active || sscanf(argument, "%d %d", &arduino, &ms) != 2 || ms <= 0 || ms > 10000 ||
      describe_pin(arduino, &pin) < 0) {
    fprintf(stderr, "avr-sim: measure PIN MS (pin 0..19, 1..10000 ms, one at a time)\n");
    printf("%llu measured %d 0 0\n", (unsigned long long)sim_us(), arduino);
    fflush(stdout);
    return;
  }
  memset(&measure_state, 0, sizeof(measure_state));
  measure_state.active = 1;
  measure_state.arduino = arduino;
  static int timer_marker;
  void *param = NULL;
  if (pin.timer >= 0) {
    measure_state.irq =
        avr_io_getirq(avr, AVR_IOCTL_TIMER_GETIRQ('0' + pin.timer), TIMER_IRQ_OUT_COMP + pin.channel);
    param = &timer_marker;
  } else {
    char port = pin.port_reg == R_PORTB ? 'B' : pin.port_reg == R_PORTC ? 'C' : 'D';
    measure_state.irq = avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(port), pin.bit);
    measure_state.level = measure_state.irq->value & 1;
  }
  measure_state_param = param;
  avr_irq_register_notify(measure_state.irq, on_measured_rise, param);
  avr_cycle_timer_register(avr, (avr_cycle_count_t)ms * 1000 * CYCLES_PER_US, measure_done, NULL);
}

static char command[256];
static size_t command_len;

static void service_stdin(void) {
  char buf[256];
  ssize_t got = read(STDIN_FILENO, buf, sizeof(buf));
  if (got == 0) { stop_requested = 1; return; } /* the parent went away */
  for (ssize_t i = 0; i < got; i++) {
    if (buf[i] != '\n') {
      if (command_len < sizeof(command) - 1) command[command_len++] = buf[i];
      continue;
    }
    command[command_len] = 0;
    command_len = 0;
    if (strcmp(command, "reset") == 0) external_reset();
    else if (strcmp(command, "time") == 0) {
      printf("%llu time\n", (unsigned long long)sim_us());
      fflush(stdout);
    }
    else if (strncmp(command, "hang ", 5) == 0) hang(command + 5);
    else if (strncmp(command, "measure ", 8) == 0) measure(command + 8);
    else if (strcmp(command, "tick") == 0) host_tick_wall = wall_us();
    else if (strcmp(command, "quit") == 0) stop_requested = 1;
    else if (command[0]) fprintf(stderr, "avr-sim: unknown command '%s' (reset, time, hang ADDR, measure PIN MS, tick, quit)\n", command);
  }
}

static uint64_t wall_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
}

/* Waits, serving the pty and stdin, until the parent ticks again; returns the wall time held. */
static uint64_t hold_for_host(void) {
  uint64_t from = wall_us();
  while (!stop_requested && wall_us() > host_tick_wall + HOST_LEAD_US) {
    struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
    poll(&p, 1, 50);
    service_pty();
    service_stdin();
  }
  return wall_us() - from;
}

static void on_signal(int sig) { (void)sig; stop_requested = 1; }

static void usage(void) {
  fprintf(stderr,
          "usage: avr-sim [--fast] [--pins 5,6,7,8,9,10,11,3] [--bootloader BOOT.hex] [--reset-on-open] [--check-baud]\n"
          "               [--verbose] [FIRMWARE.elf|FIRMWARE.hex]\n"
          "  Runs FIRMWARE on an emulated ATmega328P at 16 MHz (an Arduino Uno), UART0 on a new pty.\n"
          "  --fast           do not pace the simulation to real time\n"
          "  --pins LIST      Arduino pins to report (default 5,6,7,8,9,10,11,3)\n"
          "  --bootloader F   load F (e.g. Optiboot) too and start there (BOOTRST), after an external reset\n"
          "  --reset-on-open  reset the MCU when a client opens the pty (the Uno's DTR auto-reset)\n"
          "  --check-baud     garble bytes both ways while the client's baud rate is not the MCU's UART's\n"
          "  --host-paced     hold the simulated clock while no 'tick' came on stdin for 200 ms (a stalled parent)\n"
          "  stdin: 'reset' resets the MCU (external reset), 'time' prints the simulation time,\n"
          "         'hang ADDR' moves the PC into the self-loop (rjmp .-2) at flash byte address ADDR,\n"
          "         'measure PIN MS' counts PIN's switch-ons over MS ms and their mean period,\n"
          "         'tick' says the parent runs (--host-paced),\n"
          "         'quit' exits; EOF exits.\n");
  exit(2);
}

int main(int argc, char **argv) {
  const char *firmware = NULL, *bootloader = NULL, *pin_list = "5,6,7,8,9,10,11,3";
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--fast") == 0) fast_mode = 1;
    else if (strcmp(argv[i], "--reset-on-open") == 0) reset_on_open = 1;
    else if (strcmp(argv[i], "--check-baud") == 0) check_baud = 1;
    else if (strcmp(argv[i], "--verbose") == 0) verbose = 1;
    else if (strcmp(argv[i], "--host-paced") == 0) host_paced = 1;
    else if (strcmp(argv[i], "--pins") == 0 && i + 1 < argc) pin_list = argv[++i];
    else if (strcmp(argv[i], "--bootloader") == 0 && i + 1 < argc) bootloader = argv[++i];
    else if (argv[i][0] == '-') usage();
    else if (!firmware) firmware = argv[i];
    else usage();
  }
  if (!firmware && !bootloader) usage();

  char list[256];
  snprintf(list, sizeof(list), "%s", pin_list);
  for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
    char *end;
    long n = strtol(tok, &end, 10);
    if (*end || pin_count >= MAX_PINS || describe_pin((int)n, &pins[pin_count]) < 0)
      fail("bad --pins entry '%s' (Arduino Uno pins 0..19)", tok);
    pin_count++;
  }

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGPIPE, SIG_IGN);
  avr_global_logger_set(log_to_stderr);

  elf_firmware_t elf;
  memset(&elf, 0, sizeof(elf));
  int is_elf = firmware && !ends_with(firmware, ".hex");
  if (is_elf && (!has_elf_magic(firmware) || elf_read_firmware(firmware, &elf) != 0 || elf.flashsize == 0))
    fail("%s is not an AVR ELF file with code (give an .elf, or an Intel .hex)", firmware);

  avr = avr_make_mcu_by_name("atmega328p");
  if (!avr) fail("simavr has no atmega328p core");
  avr_init(avr);
  avr->frequency = FREQUENCY;
  avr->log = verbose ? LOG_TRACE : LOG_ERROR;
  avr->sleep = sleep_nothing;

  if (is_elf) {
    snprintf(elf.mmcu, sizeof(elf.mmcu), "atmega328p");
    elf.frequency = FREQUENCY;
    avr_load_firmware(avr, &elf);
  } else if (firmware) {
    load_hex(firmware);
  }
  if (bootloader) {
    /* BOOTRST: the reset vector is the start of the boot section the bootloader was linked for
     * (0x7E00 for the Uno's 512-byte Optiboot, 0x7800 for the old Nano's 2 KB ATmegaBOOT). */
    avr->reset_pc = load_hex(bootloader);
  }

  /* stdout carries only the lines defined above (simavr would echo UART lines there), and a
   * firmware polling an empty UART must not make simavr sleep the host thread (POLL_SLEEP):
   * pacing is ours. */
  uint32_t flags = 0;
  avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
  flags &= ~(uint32_t)(AVR_UART_FLAG_STDIO | AVR_UART_FLAG_POLL_SLEEP);
  avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
  avr_irq_t *uart_input = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), on_uart_output, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON), on_uart_xon, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XOFF), on_uart_xoff, NULL);

  for (size_t i = 0; i < sizeof(watched_registers); i++) {
    /* simavr allows only a few shared registers, so chain to the owner's handler ourselves. */
    int io = AVR_DATA_TO_IO(watched_registers[i]);
    original_write[io].c = avr->io[io].w.c;
    original_write[io].param = avr->io[io].w.param;
    avr->io[io].w.c = on_register_write;
    avr->io[io].w.param = NULL;
  }
  avr_register_io(avr, &reset_watcher);

  open_pty();
  if (bootloader) external_reset();
  else {
    avr_reset(avr);
    avr->data[R_MCUSR] = MCUSR_PORF;
  }
  sample_pins();
  started = 1;
  printf("ready\n");
  fflush(stdout);

  fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
  uint64_t wall_start = wall_us();
  uint64_t sim_start = sim_us();
  int state = cpu_Running;
  host_tick_wall = wall_start;
  while (!stop_requested) {
    if (host_paced && !fast_mode && wall_us() > host_tick_wall + HOST_LEAD_US) {
      wall_start += hold_for_host();
      continue;
    }
    avr_cycle_count_t until = avr->cycle + SLICE_CYCLES;
    while (avr->cycle < until) {
      state = avr_run(avr);
      if ((state == cpu_Done || state == cpu_Crashed) && avr->pc > avr->flashend) {
        /* Off the end of the flash (an empty application, all 0xFFFF, runs there): the real
         * chip's program counter wraps to 0; simavr stops instead. */
        avr->pc = 0;
        avr->state = state = cpu_Running;
      }
      if (state == cpu_Done || state == cpu_Crashed) break;
    }
    if (state == cpu_Done || state == cpu_Crashed) {
      printf("%llu halted %s\n", (unsigned long long)sim_us(), state == cpu_Done ? "done" : "crashed");
      fflush(stdout);
      break;
    }
    service_pty();
    feed_uart(uart_input);
    service_stdin();
    if (!fast_mode) {
      uint64_t sim_elapsed = sim_us() - sim_start;
      uint64_t wall_elapsed = wall_us() - wall_start;
      if (sim_elapsed > wall_elapsed + 200) {
        /* Ahead of the wall clock: wait, but wake at once for host bytes. */
        struct pollfd p[2] = { { .fd = master_fd, .events = POLLIN }, { .fd = STDIN_FILENO, .events = POLLIN } };
        int wait_ms = (int)((sim_elapsed - wall_elapsed) / 1000);
        if (wait_ms > 0 && client_connected) poll(p, 2, wait_ms);
        else {
          struct timespec ts = { 0, (long)(sim_elapsed - wall_elapsed) * 1000L };
          nanosleep(&ts, NULL);
        }
      } else if (wall_elapsed > sim_elapsed + 100000) {
        /* Far behind (host busy): do not try to catch up in a burst. */
        wall_start += wall_elapsed - sim_elapsed;
      }
    }
  }
  avr_terminate(avr);
  return 0;
}
