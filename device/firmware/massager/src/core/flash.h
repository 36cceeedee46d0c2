// Constant tables live in flash on the AVR (RAM is only 2 KB) and in ordinary memory elsewhere.
#pragma once
#include <stdint.h>

#if defined(__AVR__)
#include <avr/pgmspace.h>
#define CORE_FLASH PROGMEM
namespace core {
inline uint8_t flashByte(const void* address) { return pgm_read_byte(address); }
inline uint32_t flashDword(const void* address) { return pgm_read_dword(address); }
}  // namespace core
#else
#define CORE_FLASH
namespace core {
inline uint8_t flashByte(const void* address) { return *static_cast<const uint8_t*>(address); }
inline uint32_t flashDword(const void* address) { return *static_cast<const uint32_t*>(address); }
}  // namespace core
#endif
