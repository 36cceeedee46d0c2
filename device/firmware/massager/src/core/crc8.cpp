#include "crc8.h"

namespace core {

uint8_t crc8Update(uint8_t crc, uint8_t byte) {
  crc ^= byte;
  for (uint8_t bit = 0; bit < 8; bit++) {
    crc = (crc & 0x80) ? static_cast<uint8_t>((crc << 1) ^ 0x07) : static_cast<uint8_t>(crc << 1);
  }
  return crc;
}

uint8_t crc8(const char* bytes, uint8_t length) {
  uint8_t crc = 0;
  for (uint8_t i = 0; i < length; i++) crc = crc8Update(crc, static_cast<uint8_t>(bytes[i]));
  return crc;
}

}  // namespace core
