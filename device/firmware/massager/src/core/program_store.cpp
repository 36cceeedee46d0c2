#include "program_store.h"

namespace core {

void ProgramStore::clear() {
  totalMs_ = 0;
  announcedBlocks_ = 0;
  blockCount_ = 0;
  keyCount_ = 0;
  phase_ = kEmpty;
}

uint8_t ProgramStore::load(uint8_t blocks, uint32_t totalMs) {
  if (blocks > config::kMaxBlocks) return kProgramTooLarge;
  clear();
  announcedBlocks_ = blocks;
  totalMs_ = totalMs;
  phase_ = kUploading;
  return kNoError;
}

uint8_t ProgramStore::addBlock(uint32_t durationMs, uint8_t step) {
  if (phase_ != kUploading) return kBadState;
  if (blockCount_ >= announcedBlocks_ || blockCount_ >= config::kMaxBlocks) return kProgramTooLarge;
  StoredBlock& block = blocks_[blockCount_++];
  block.durationMs = durationMs;
  block.step = step;
  block.firstKey = keyCount_;
  block.vibrationKeys = 0;
  block.rotationKeys = 0;
  return kNoError;
}

uint8_t ProgramStore::addKeys(uint8_t track, const WireKey* keys, uint8_t count) {
  if (phase_ != kUploading || blockCount_ == 0) return kBadState;
  StoredBlock& block = blocks_[blockCount_ - 1];
  // A block's V keyframes come before its R keyframes.
  if (track == 'V' && block.rotationKeys > 0) return kBadState;
  if (static_cast<uint16_t>(keyCount_) + count > config::kMaxKeys) return kProgramTooLarge;
  for (uint8_t i = 0; i < count; i++) {
    StoredKey& stored = keys_[keyCount_++];
    stored.dtMs = keys[i].dtMs;
    stored.valueAndEase = static_cast<int16_t>(keys[i].value * 8 + keys[i].ease);
  }
  if (track == 'V') {
    block.vibrationKeys = static_cast<uint8_t>(block.vibrationKeys + count);
  } else {
    block.rotationKeys = static_cast<uint8_t>(block.rotationKeys + count);
  }
  return kNoError;
}

uint8_t ProgramStore::commit() {
  if (phase_ != kUploading) return kBadState;
  if (blockCount_ != announcedBlocks_) return kProgramIncomplete;
  uint32_t sum = 0;
  for (uint8_t i = 0; i < blockCount_; i++) sum += blocks_[i].durationMs;
  if (sum != totalMs_) return kProgramIncomplete;
  phase_ = kCommitted;
  return kNoError;
}

}  // namespace core
