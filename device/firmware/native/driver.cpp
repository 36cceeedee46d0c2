// The native test driver: the portable core on the host, with a virtual clock, scripted on stdin.
//
// Commands (one per line):            Output lines:
//   F <hex>     feed bytes              < <t> <frame>          every frame the device writes
//   A <ms>      advance, ticking 1 ms   O <t> <vib> <rot>      every change of the outputs
//   R <t>       reboot at time t        state <S> <vib> <rot>  (Q)
//   Q           query the state         decoded ... / sample ... / frame ... (D, S, E)
//   D <hex>     decode one line alone (as protocol/codec.ts decode() would)
//   S <pos>     sample the committed program at pos with a fresh player
//   P <level> <steps>  the PWM steps a level keeps its pin high (core::pwmSteps)
//   E <kind> .. format a device frame: OK seq | ER seq code | ST state reason step pos |
//               TM t vib rot step pos | ID seq proto major minor patch caps pwm blocks keys wdog sess slew vcap rcap |
//               PN seq drv vib rot cw ccw stby hz
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../massager/src/core/decoder.h"
#include "../massager/src/core/flash.h"
#include "../massager/src/core/device.h"
#include "../massager/src/core/frames.h"
#include "../massager/src/core/line_reader.h"
#include "../massager/src/core/player.h"
#include "../massager/src/core/pwm.h"

namespace {

uint32_t clockMs = 0;
char pending[256];
size_t pendingLength = 0;
core::Device device;

uint32_t now(void*) { return clockMs; }

void outputs(void*, int16_t vibration, int16_t rotation) {
  printf("O %u %d %d\n", clockMs, vibration, rotation);
}

void write(void*, const char* bytes, uint8_t length) {
  for (uint8_t i = 0; i < length; i++) {
    if (bytes[i] == '\n') {
      printf("< %u %.*s\n", clockMs, static_cast<int>(pendingLength), pending);
      pendingLength = 0;
    } else if (pendingLength < sizeof(pending)) {
      pending[pendingLength++] = bytes[i];
    }
  }
}

const core::Hal hal = {nullptr, now, outputs, write};
// The default pin map (pins.h), as the simulator reports it too.
const core::PinReport pins = {core::kDriverPwmDir, 10, 9, 7, 8, 4, 20000};

size_t fromHex(const char* text, uint8_t* out, size_t capacity) {
  size_t count = 0;
  while (text[0] && text[1] && count < capacity) {
    char pair[3] = {text[0], text[1], 0};
    out[count++] = static_cast<uint8_t>(strtoul(pair, nullptr, 16));
    text += 2;
  }
  return count;
}

void printName(const char* flashName) {
  for (uint8_t i = 0; core::flashByte(flashName + i) != 0; i++) putchar(core::flashByte(flashName + i));
}

// Prints a decoded request in a canonical form: NAME seq field... (keys as dt,value,ease);
// a device frame as NAME seq *.
void printRequest(const core::Request& request) {
  printf("decoded message ");
  printName(core::commandName(request.command));
  printf(" %u", request.seq);
  if (request.command >= core::kRequestCount) {
    printf(" *\n");  // a device frame: the firmware checks its fields but keeps none of them
    return;
  }
  for (uint8_t index = 0; index < 3; index++) {
    const uint8_t kind = core::fieldKind(request.command, index);
    if (kind == core::kFieldNone) break;
    if (kind == core::kFieldTrack) {
      printf(" %c", request.track);
    } else if (kind == core::kFieldKeys) {
      for (uint8_t k = 0; k < request.keyCount; k++) {
        printf(" %u,%d,%u", request.keys[k].dtMs, request.keys[k].value, request.keys[k].ease);
      }
    } else {
      printf(" %ld", static_cast<long>(request.field[index]));
    }
  }
  printf("\n");
}

void decodeAlone(const char* hex) {
  static uint8_t bytes[70000];
  const size_t count = fromHex(hex, bytes, sizeof(bytes));
  core::LineReader reader;
  reader.reset();
  for (size_t i = 0; i < count; i++) reader.feed(bytes[i]);
  switch (reader.feed('\n')) {
    case core::LineReader::kIgnored:
      printf("decoded discarded\n");
      return;
    case core::LineReader::kOverlong:
      printf("decoded error %u 0\n", core::kLineTooLong);
      return;
    default:
      break;
  }
  core::Request request;
  const uint8_t code = core::decodeFrame(reader.line(), reader.length(), request);
  if (code != core::kNoError) {
    printf("decoded error %u %u\n", code, request.seq);
  } else {
    printRequest(request);
  }
}

void format(char* arguments) {
  char frame[core::kFrameBufferSize + 1];
  uint8_t length = 0;
  char kind[4] = {0};
  unsigned long v[16] = {0};
  long s[16] = {0};
  int n = sscanf(arguments, "%3s %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld", kind, &s[0], &s[1], &s[2],
                 &s[3], &s[4], &s[5], &s[6], &s[7], &s[8], &s[9], &s[10], &s[11], &s[12], &s[13]);
  for (int i = 0; i < 16; i++) v[i] = static_cast<unsigned long>(s[i]);
  if (n < 1) return;
  if (strcmp(kind, "OK") == 0) {
    length = core::formatOk(frame, static_cast<uint16_t>(v[0]));
  } else if (strcmp(kind, "ER") == 0) {
    length = core::formatError(frame, static_cast<uint16_t>(v[0]), static_cast<uint8_t>(v[1]));
  } else if (strcmp(kind, "ST") == 0) {
    length = core::formatState(frame, static_cast<uint8_t>(v[0]), static_cast<uint8_t>(v[1]), static_cast<uint8_t>(v[2]),
                               static_cast<uint32_t>(v[3]));
  } else if (strcmp(kind, "TM") == 0) {
    length = core::formatTelemetry(frame, static_cast<uint32_t>(v[0]), static_cast<int16_t>(s[1]),
                                   static_cast<int16_t>(s[2]), static_cast<uint8_t>(v[3]), static_cast<uint32_t>(v[4]));
  } else if (strcmp(kind, "ID") == 0) {
    core::Identity identity;
    identity.protocol = static_cast<uint8_t>(v[1]);
    identity.firmwareMajor = static_cast<uint16_t>(v[2]);
    identity.firmwareMinor = static_cast<uint16_t>(v[3]);
    identity.firmwarePatch = static_cast<uint16_t>(v[4]);
    identity.capabilities = static_cast<uint8_t>(v[5]);
    identity.pwmBits = static_cast<uint8_t>(v[6]);
    identity.maxBlocks = static_cast<uint8_t>(v[7]);
    identity.maxKeys = static_cast<uint16_t>(v[8]);
    identity.watchdogMs = static_cast<uint16_t>(v[9]);
    identity.maxSessionS = static_cast<uint32_t>(v[10]);
    identity.slewMs = static_cast<uint16_t>(v[11]);
    identity.vibrationCap = static_cast<uint16_t>(v[12]);
    identity.rotationCap = static_cast<uint16_t>(v[13]);
    length = core::formatIdentity(frame, static_cast<uint16_t>(v[0]), identity);
  } else if (strcmp(kind, "PN") == 0) {
    const core::PinReport report = {static_cast<uint8_t>(v[1]), static_cast<uint8_t>(v[2]), static_cast<uint8_t>(v[3]),
                                    static_cast<uint8_t>(v[4]), static_cast<uint8_t>(v[5]), static_cast<uint8_t>(v[6]),
                                    static_cast<uint16_t>(v[7])};
    length = core::formatPins(frame, static_cast<uint16_t>(v[0]), report);
  }
  if (length > 0 && frame[length - 1] == '\n') length--;
  printf("frame %.*s\n", static_cast<int>(length), frame);
}

// The program last uploaded, kept by the driver in its own store (fed the same frames as the device),
// so S samples exactly what the device was sent.
core::ProgramStore samplerProgram;

void sample(uint32_t positionMs) {
  core::Player player;
  player.reset();
  uint8_t step = 0;
  const core::Levels levels = player.sample(samplerProgram, positionMs, step);
  const bool done = positionMs >= samplerProgram.totalMs();
  printf("sample %d %d %u %s\n", levels.vibration, levels.rotation, step, done ? "true" : "false");
}

// Mirrors upload frames into the sampler's store, so S plays exactly what the device was sent.
void mirrorUpload(const uint8_t* bytes, size_t count) {
  static core::LineReader reader;
  static bool started = false;
  if (!started) {
    reader.reset();
    samplerProgram.clear();
    started = true;
  }
  for (size_t i = 0; i < count; i++) {
    if (reader.feed(bytes[i]) != core::LineReader::kLine) continue;
    core::Request request;
    if (core::decodeFrame(reader.line(), reader.length(), request) != core::kNoError) continue;
    switch (request.command) {
      case core::kLoad:
        samplerProgram.load(static_cast<uint8_t>(request.field[0]), static_cast<uint32_t>(request.field[1]));
        break;
      case core::kBlk:
        samplerProgram.addBlock(static_cast<uint32_t>(request.field[0]), static_cast<uint8_t>(request.field[1]));
        break;
      case core::kKey:
        samplerProgram.addKeys(request.track, request.keys, request.keyCount);
        break;
      case core::kCommit:
        samplerProgram.commit();
        break;
      default:
        break;
    }
  }
}

}  // namespace

int main() {
  setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
  static char line[200000];
  static uint8_t bytes[100000];
  device.setPins(&pins);
  device.begin(&hal);
  while (fgets(line, sizeof(line), stdin)) {
    size_t length = strlen(line);
    while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) line[--length] = 0;
    if (length == 0) continue;
    char* argument = length > 2 ? line + 2 : line + length;
    switch (line[0]) {
      case 'F': {
        const size_t count = fromHex(argument, bytes, sizeof(bytes));
        mirrorUpload(bytes, count);
        for (size_t i = 0; i < count; i++) device.receive(bytes[i]);
        break;
      }
      case 'A': {
        const unsigned long ms = strtoul(argument, nullptr, 10);
        for (unsigned long i = 0; i < ms; i++) {
          clockMs++;
          device.tick();
        }
        break;
      }
      case 'R':
        clockMs = static_cast<uint32_t>(strtoul(argument, nullptr, 10));
        device.begin(&hal);
        break;
      case 'Q':
        printf("state %u %d %d\n", device.state(), device.vibration(), device.rotation());
        break;
      case 'D':
        decodeAlone(argument);
        break;
      case 'S':
        sample(static_cast<uint32_t>(strtoul(argument, nullptr, 10)));
        break;
      case 'E':
        format(argument);
        break;
      case 'P': {
        char* rest = nullptr;
        const long level = strtol(argument, &rest, 10);
        const unsigned long steps = strtoul(rest, nullptr, 10);
        printf("pwm %u\n", core::pwmSteps(static_cast<int16_t>(level), static_cast<uint16_t>(steps)));
        break;
      }
      default:
        fprintf(stderr, "unknown command: %s\n", line);
        return 2;
    }
  }
  fflush(stdout);
  return 0;
}
