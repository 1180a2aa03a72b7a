// The names of RedisStore's keys (docs/redis.md describes each). Two kinds of hash tags, so that
// every Lua script touches one Redis Cluster slot: the catalogue ({<prefix>}: batch and file
// records and their listings) and one slot per batch ({<prefix>:b:<id>}: its queue and results).
// Plain values; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace sluice::store::redis {

// The layout this code reads and writes; another number in the layout key is refused.
inline constexpr int kLayoutVersion = 1;

class Keys {
 public:
  explicit Keys(std::string prefix) : catalogue_("{" + prefix + "}:"), prefix_(std::move(prefix)) {}

  std::string Layout() const { return catalogue_ + "layout"; }
  std::string Sequence() const { return catalogue_ + "seq"; }
  std::string BatchPrefix() const { return catalogue_ + "batch:"; }
  std::string Batch(const std::string& id) const { return BatchPrefix() + id; }
  std::string Batches() const { return catalogue_ + "batches"; }
  std::string TenantBatches(const std::string& tenant) const {
    return catalogue_ + "tenant-batches:" + tenant;
  }
  std::string StatusPrefix() const { return catalogue_ + "status:"; }
  std::string WithStatus(const std::string& status) const { return StatusPrefix() + status; }
  std::string Fingerprint(const std::string& fingerprint) const {
    return catalogue_ + "fingerprint:" + fingerprint;
  }
  std::string FilePrefix() const { return catalogue_ + "file:"; }
  std::string File(const std::string& id) const { return FilePrefix() + id; }
  std::string TenantFilesPrefix() const { return catalogue_ + "tenant-files:"; }
  std::string TenantFiles(const std::string& tenant) const { return TenantFilesPrefix() + tenant; }
  std::string Expiring() const { return catalogue_ + "expiring"; }

  // One batch's keys.
  struct BatchKeys {
    std::string items;     // hash: index -> encoded NewItem
    std::string queue;     // stream of {i: index}, consumer group "workers"
    std::string entry;     // hash: index -> its stream entry id, while it has one
    std::string leases;    // sorted set: leased index, scored by lease end (µs)
    std::string delayed;   // sorted set: released index, scored by retry time (µs)
    std::string attempts;  // hash: index -> leases so far
    std::string results;   // hash: index -> encoded ResultRecord
    std::string answered;  // sorted set: answered index, scored by index
    std::string counts;    // hash: the counters of CountItems
    std::string copies;    // hash: a duplicate's index -> its member of `waiting`
    std::string waiting;   // sorted set (by lex): "<original> <index> <custom_id>", padded
    std::vector<std::string> All() const {
      return {items,   queue,    entry,  leases, delayed, attempts,
              results, answered, counts, copies, waiting};
    }
  };
  BatchKeys Of(const std::string& batch_id) const {
    std::string tag = "{" + prefix_ + ":b:" + batch_id + "}:";
    return {tag + "items",    tag + "queue",   tag + "entry",    tag + "leases",
            tag + "delayed",  tag + "attempts", tag + "results", tag + "answered",
            tag + "counts",   tag + "copies",  tag + "waiting"};
  }

 private:
  std::string catalogue_;
  std::string prefix_;
};

}  // namespace sluice::store::redis
