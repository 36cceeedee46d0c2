// CRC-8/SMBUS (polynomial 0x07, initial 0, no reflection, no final XOR) over a frame's bytes before its '*'.
#pragma once
#include <stdint.h>

namespace core {

uint8_t crc8Update(uint8_t crc, uint8_t byte);
uint8_t crc8(const char* bytes, uint8_t length);

}  // namespace core
