// The uploaded program, in fixed arrays sized by config (PROTOCOL.md, "Uploading a program").
// It also keeps the upload order: LOAD, then per block BLK, its V keyframes, its R keyframes, then COMMIT.
#pragma once
#include <stdint.h>

#include "config.h"
#include "request.h"

namespace core {

/** A keyframe in four bytes: the level and its ease share one word (value * 8 + ease). */
struct StoredKey {
  uint16_t dtMs;
  int16_t valueAndEase;

  int16_t value() const { return static_cast<int16_t>((valueAndEase - ease()) / 8); }
  uint8_t ease() const { return static_cast<uint8_t>(valueAndEase & 7); }
};

struct StoredBlock {
  uint32_t durationMs;
  uint8_t step;
  /** The block's vibration keys start at firstKey; its rotation keys follow them. */
  uint8_t firstKey;
  uint8_t vibrationKeys;
  uint8_t rotationKeys;
};

class ProgramStore {
 public:
  void clear();

  /**
   * Each returns kNoError or the ER code (200 order, 201 too large, 202 incomplete); a refusal
   * changes nothing. Field ranges (a V level below 0 included) are the decoder's part.
   */
  uint8_t load(uint8_t blocks, uint32_t totalMs);
  uint8_t addBlock(uint32_t durationMs, uint8_t step);
  uint8_t addKeys(uint8_t track, const WireKey* keys, uint8_t count);
  uint8_t commit();

  bool committed() const { return phase_ == kCommitted; }
  uint8_t blockCount() const { return blockCount_; }
  uint32_t totalMs() const { return totalMs_; }
  const StoredBlock& block(uint8_t index) const { return blocks_[index]; }
  const StoredKey* vibrationKeys(const StoredBlock& block) const { return keys_ + block.firstKey; }
  const StoredKey* rotationKeys(const StoredBlock& block) const { return keys_ + block.firstKey + block.vibrationKeys; }

 private:
  enum Phase : uint8_t { kEmpty, kUploading, kCommitted };

  StoredBlock blocks_[config::kMaxBlocks];
  StoredKey keys_[config::kMaxKeys];
  uint32_t totalMs_;
  uint8_t announcedBlocks_;
  uint8_t blockCount_;
  uint8_t keyCount_;
  uint8_t phase_;
};

}  // namespace core
