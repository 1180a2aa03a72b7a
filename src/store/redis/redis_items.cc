// RedisStore's queue and results: each batch's keys in one hash slot, every change one Lua script
// (redis_scripts.cc). Large calls are cut into scripts of a bounded size, so that no one script
// holds Redis for long; each piece is atomic and repeating it is harmless.
#include <algorithm>
#include <charconv>
#include <limits>
#include <map>

#include "store/redis/redis_records.h"
#include "store/redis/redis_scripts.h"
#include "store/redis/redis_store.h"

namespace sluice::store::redis {
namespace {

constexpr std::size_t kItemsPerScript = 500;
constexpr std::size_t kResultsPerScript = 200;

Result<std::int64_t> IntegerOf(const Reply& reply) {
  if (reply.type == Reply::Type::kInteger) return reply.integer;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(reply.text.data(), reply.text.data() + reply.text.size(), value);
  if (ec != std::errc() || reply.text.empty()) {
    return DataLossError("a counter in Redis is not a number: " + reply.text);
  }
  return value;
}

// A duplicate's member of `waiting`: "<original> <index> <custom_id>", the numbers padded so that
// one original's duplicates are one lexicographic range, in index order.
std::string WaitingMember(std::int64_t original, const NewItem& item) {
  return Padded(original) + " " + Padded(item.index) + " " + item.custom_id;
}

Result<batch::Duplicate> DuplicateOf(const std::string& member) {
  constexpr std::size_t kDigits = 20;
  std::int64_t index = 0;
  const char* start = member.data() + kDigits + 1;
  if (member.size() < 2 * kDigits + 2 ||
      std::from_chars(start, start + kDigits, index).ec != std::errc()) {
    return DataLossError("a waiting duplicate in Redis is not in sluice's layout: " + member);
  }
  return batch::Duplicate{index, member.substr(2 * kDigits + 2)};
}

}  // namespace

Status RedisStore::AddItems(const std::string& batch_id, const std::vector<NewItem>& items) {
  Keys::BatchKeys k = keys_.Of(batch_id);
  for (std::size_t start = 0; start < items.size(); start += kItemsPerScript) {
    std::vector<std::string> args;
    for (std::size_t i = start; i < std::min(items.size(), start + kItemsPerScript); ++i) {
      const NewItem& item = items[i];
      args.push_back(std::to_string(item.index));
      args.push_back(EncodeItem(item));
      args.push_back(item.duplicate_of ? std::to_string(*item.duplicate_of) : "");
      args.push_back(item.duplicate_of ? WaitingMember(*item.duplicate_of, item) : "");
    }
    SLUICE_RETURN_IF_ERROR(client_
                               ->Eval(scripts::AddItems(),
                                      {k.items, k.queue, k.entry, k.counts, k.copies, k.waiting,
                                       k.results},
                                      args)
                               .status());
  }
  return OkStatus();
}

Result<std::vector<LeasedItem>> RedisStore::LeaseItems(const std::string& batch_id, std::size_t max,
                                                       WallTime now, Duration lease) {
  Keys::BatchKeys k = keys_.Of(batch_id);
  WallTime until = now + std::chrono::duration_cast<WallTime::duration>(lease);
  SLUICE_ASSIGN_OR_RETURN(
      Reply leased,
      client_->Eval(
          scripts::LeaseItems(),
          {k.queue, k.entry, k.leases, k.delayed, k.attempts, k.items, k.counts, k.results,
           k.waiting},
          {ScoreOf(now), ScoreOf(until), std::to_string(max), options_.consumer}));
  std::vector<LeasedItem> out;
  for (const Reply& entry : leased.elements) {
    if (entry.elements.size() != 4) return DataLossError("LeaseItems: unexpected reply");
    SLUICE_ASSIGN_OR_RETURN(NewItem item, DecodeItem(entry.elements[2].text));
    SLUICE_ASSIGN_OR_RETURN(std::int64_t attempt, IntegerOf(entry.elements[1]));
    LeasedItem leased_item{std::move(item), static_cast<int>(attempt), {}};
    for (const Reply& member : entry.elements[3].elements) {
      SLUICE_ASSIGN_OR_RETURN(batch::Duplicate copy, DuplicateOf(member.text));
      leased_item.duplicates.push_back(std::move(copy));
    }
    out.push_back(std::move(leased_item));
  }
  std::sort(out.begin(), out.end(),
            [](const LeasedItem& a, const LeasedItem& b) { return a.item.index < b.item.index; });
  return out;
}

Status RedisStore::ReleaseItem(const std::string& batch_id, std::int64_t index,
                               WallTime not_before) {
  Keys::BatchKeys k = keys_.Of(batch_id);
  return client_
      ->Eval(scripts::ReleaseItem(), {k.queue, k.entry, k.leases, k.delayed, k.counts},
             {std::to_string(index), ScoreOf(not_before)})
      .status();
}

Status RedisStore::ExpireLeases(const std::string& batch_id) {
  Keys::BatchKeys k = keys_.Of(batch_id);
  return client_
      ->Eval(scripts::ExpireLeases(), {k.queue, k.entry, k.leases, k.delayed, k.counts}, {})
      .status();
}

Status RedisStore::DropItems(const std::string& batch_id) {
  // UNLINK frees the values on Redis's background thread: one step, however many items.
  std::vector<std::string> command = {"UNLINK"};
  for (std::string& key : keys_.Of(batch_id).All()) command.push_back(std::move(key));
  return client_->Call(command).status();
}

Status RedisStore::AddResults(const std::string& batch_id,
                              const std::vector<ResultRecord>& results) {
  Keys::BatchKeys k = keys_.Of(batch_id);
  for (std::size_t start = 0; start < results.size(); start += kResultsPerScript) {
    std::vector<std::string> args;
    for (std::size_t i = start; i < std::min(results.size(), start + kResultsPerScript); ++i) {
      const ResultRecord& r = results[i];
      std::vector<std::string> fields = {std::to_string(r.index),
                                         EncodeResult(r),
                                         r.success ? "1" : "0",
                                         std::to_string(r.usage.prompt_tokens),
                                         std::to_string(r.usage.completion_tokens),
                                         std::to_string(r.usage.total_tokens),
                                         std::to_string(r.usage.cached_tokens),
                                         std::to_string(r.usage.reasoning_tokens),
                                         r.cost_nanousd ? std::to_string(*r.cost_nanousd) : "",
                                         r.failure_code,
                                         r.duplicate_of ? "1" : "0",
                                         std::to_string(r.saved_nanousd)};
      args.insert(args.end(), fields.begin(), fields.end());
    }
    SLUICE_RETURN_IF_ERROR(client_
                               ->Eval(scripts::AddResults(),
                                      {k.results, k.answered, k.leases, k.delayed, k.entry, k.queue,
                                       k.counts, k.items, k.copies, k.waiting},
                                      args)
                               .status());
  }
  return OkStatus();
}

Result<std::vector<ResultRecord>> RedisStore::ReadResults(const std::string& batch_id,
                                                          std::int64_t after_index,
                                                          std::size_t limit) {
  Keys::BatchKeys k = keys_.Of(batch_id);
  std::size_t count = std::min<std::size_t>(limit, std::numeric_limits<std::int32_t>::max());
  SLUICE_ASSIGN_OR_RETURN(Reply page,
                          client_->Eval(scripts::ReadResults(), {k.answered, k.results},
                                        {std::to_string(after_index), std::to_string(count)}));
  std::vector<ResultRecord> out;
  for (const Reply& encoded : page.elements) {
    if (encoded.is_nil()) continue;
    SLUICE_ASSIGN_OR_RETURN(ResultRecord result, DecodeResult(encoded.text));
    out.push_back(std::move(result));
  }
  return out;
}

Result<ItemCounts> RedisStore::CountItems(const std::string& batch_id) {
  SLUICE_ASSIGN_OR_RETURN(Reply all, client_->Call({"HGETALL", keys_.Of(batch_id).counts}));
  ItemCounts counts;
  std::map<std::string, std::int64_t*> fields = {
      {"total", &counts.total},
      {"pending", &counts.pending},
      {"leased", &counts.leased},
      {"succeeded", &counts.succeeded},
      {"failed", &counts.failed},
      {"prompt_tokens", &counts.usage.prompt_tokens},
      {"completion_tokens", &counts.usage.completion_tokens},
      {"total_tokens", &counts.usage.total_tokens},
      {"cached_tokens", &counts.usage.cached_tokens},
      {"reasoning_tokens", &counts.usage.reasoning_tokens},
      {"cost_nanousd", &counts.cost_nanousd},
      {"unpriced", &counts.unpriced},
      {"deduplicated", &counts.deduplicated},
      {"saved_nanousd", &counts.saved_nanousd}};
  for (std::size_t i = 0; i + 1 < all.elements.size(); i += 2) {
    const std::string& name = all.elements[i].text;
    SLUICE_ASSIGN_OR_RETURN(std::int64_t value, IntegerOf(all.elements[i + 1]));
    if (name.starts_with("failure:")) {
      if (value != 0) counts.failures[name.substr(8)] = value;
    } else if (auto it = fields.find(name); it != fields.end()) {
      *it->second = value;
    }
  }
  return counts;
}

}  // namespace sluice::store::redis
