// The Lua scripts of RedisStore: each change that touches more than one key is one script, so it
// is atomic (Redis runs a script alone) and one round trip. Each script's keys and arguments are
// described beside its text in redis_scripts.cc. Immutable; thread-safe.
#pragma once

#include "store/redis/redis_client.h"

namespace sluice::store::redis::scripts {

const Script& CreateBatch();
const Script& UpdateBatch();
const Script& CreateFile();
const Script& DeleteFile();
const Script& ListFiles();
const Script& AddItems();
const Script& LeaseItems();
const Script& ReleaseItem();
const Script& ExpireLeases();
const Script& AddResults();
const Script& ReadResults();

}  // namespace sluice::store::redis::scripts
