#include "player.h"

#include "easing.h"

namespace core {

int16_t trackLevel(const StoredKey* keys, uint8_t count, int16_t entry, uint32_t u, bool atEnd) {
  if (count == 0) return entry;
  if (atEnd && u == 0) return entry;
  uint32_t cycle = 0;
  for (uint8_t j = 0; j < count; j++) cycle += keys[j].dtMs;
  // At the end, look just left of u so a cut cycle ends on the value it had reached.
  const uint32_t shifted = atEnd ? u - 1 : u;
  const uint32_t round = shifted / cycle;
  const uint32_t inCycle = shifted - round * cycle + (atEnd ? 1 : 0);
  uint32_t start = 0;
  for (uint8_t j = 0; j < count; j++) {
    const uint32_t end = start + keys[j].dtMs;
    if (atEnd ? inCycle <= end : inCycle < end) {
      int16_t from;
      if (j > 0) {
        from = keys[j - 1].value();
      } else {
        from = round == 0 ? entry : keys[count - 1].value();
      }
      const uint16_t progress = static_cast<uint16_t>(((inCycle - start) * kQ) / keys[j].dtMs);
      return interpolate(from, keys[j].value(), keys[j].ease(), progress);
    }
    start = end;
  }
  return keys[count - 1].value();
}

void Player::reset() {
  blockStartMs_ = 0;
  entry_.vibration = 0;
  entry_.rotation = 0;
  block_ = 0;
}

Levels Player::sample(const ProgramStore& program, uint32_t positionMs, uint8_t& step) {
  const uint8_t blocks = program.blockCount();
  // Cross every block that has ended; each one's end level is the next one's entry level.
  while (block_ < blocks) {
    const StoredBlock& block = program.block(block_);
    if (positionMs - blockStartMs_ < block.durationMs) break;
    entry_.vibration = trackLevel(program.vibrationKeys(block), block.vibrationKeys, entry_.vibration, block.durationMs, true);
    entry_.rotation = trackLevel(program.rotationKeys(block), block.rotationKeys, entry_.rotation, block.durationMs, true);
    blockStartMs_ += block.durationMs;
    block_++;
  }
  if (block_ >= blocks) {
    step = blocks > 0 ? program.block(blocks - 1).step : 0;
    return entry_;
  }
  const StoredBlock& block = program.block(block_);
  const uint32_t u = positionMs - blockStartMs_;
  step = block.step;
  Levels levels;
  levels.vibration = trackLevel(program.vibrationKeys(block), block.vibrationKeys, entry_.vibration, u, false);
  levels.rotation = trackLevel(program.rotationKeys(block), block.rotationKeys, entry_.rotation, u, false);
  return levels;
}

}  // namespace core
