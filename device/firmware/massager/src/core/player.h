// The integer program player: the level a program asks for at a position, by the same rules
// and arithmetic as protocol/player.ts (PROTOCOL.md, "Playback").
#pragma once
#include <stdint.h>

#include "program_store.h"

namespace core {

struct Levels {
  int16_t vibration;
  int16_t rotation;
};

/**
 * The level of one track at `u` ms into its block. With `atEnd`, `u` is the block's end and the
 * result is the limit from the left (a keyframe that ends exactly there has reached its value).
 */
int16_t trackLevel(const StoredKey* keys, uint8_t count, int16_t entry, uint32_t u, bool atEnd);

/** Plays a program forward; positions must not go backwards between reset()s. */
class Player {
 public:
  void reset();

  /** The program's levels at `positionMs` and the step of the block playing there (or the last block's, past the end). */
  Levels sample(const ProgramStore& program, uint32_t positionMs, uint8_t& step);

 private:
  uint32_t blockStartMs_;
  Levels entry_;
  uint8_t block_;
};

}  // namespace core
