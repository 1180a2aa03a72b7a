// RedisStore: opening, the layout check and batch records. Members of the listing sets are
// "<sortable created> <id>" (and "<sortable created> <sequence> <id>" where ties go by creation
// order), so lexicographic ranges page through them.
#include "store/redis/redis_store.h"

#include <unistd.h>

#include "store/redis/redis_records.h"
#include "store/redis/redis_scripts.h"

namespace sluice::store::redis {
namespace {

constexpr std::size_t kTimeWidth = 20;                        // SortableTime's digits
constexpr std::size_t kIdAfterTime = kTimeWidth + 1;          // "<time> <id>"
constexpr std::size_t kIdAfterSequence = 2 * kTimeWidth + 2;  // "<time> <seq> <id>"

const std::vector<std::string> kBatchFields = {"fingerprint", "status", "created", "data",
                                               "tenant"};

std::string DefaultConsumer() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

std::vector<std::string> HmGet(const std::string& key, const std::vector<std::string>& fields) {
  std::vector<std::string> command = {"HMGET", key};
  command.insert(command.end(), fields.begin(), fields.end());
  return command;
}

// A batch from HMGET kBatchFields; nullopt when the hash does not exist.
Result<std::optional<BatchRecord>> BatchFrom(const std::string& id, const Reply& reply) {
  const auto& f = reply.elements;
  if (f.size() != kBatchFields.size() || f[1].is_nil()) return std::optional<BatchRecord>();
  SLUICE_ASSIGN_OR_RETURN(WallTime created, TimeFromText(f[2].text));
  return std::optional<BatchRecord>(
      BatchRecord{id, f[0].text, f[1].text, created, f[3].text, f[4].text});
}

}  // namespace

RedisStore::RedisStore(std::unique_ptr<RedisClient> client, RedisStoreOptions options)
    : client_(std::move(client)), options_(std::move(options)), keys_(options_.key_prefix) {}

Result<std::unique_ptr<RedisStore>> RedisStore::Open(const std::string& url,
                                                     RedisStoreOptions options) {
  SLUICE_ASSIGN_OR_RETURN(RedisUrl parsed, ParseRedisUrl(url));
  if (options.consumer.empty()) options.consumer = DefaultConsumer();
  SLUICE_ASSIGN_OR_RETURN(auto client, RedisClient::Connect(parsed, options.connection));
  std::unique_ptr<RedisStore> store(new RedisStore(std::move(client), std::move(options)));
  SLUICE_RETURN_IF_ERROR(store->CheckLayout());
  return store;
}

Status RedisStore::CheckLayout() {
  const std::string version = std::to_string(kLayoutVersion);
  SLUICE_ASSIGN_OR_RETURN(auto replies, client_->Pipeline({{"SET", keys_.Layout(), version, "NX"},
                                                           {"GET", keys_.Layout()}}));
  if (replies[1].text == version) return OkStatus();
  return FailedPreconditionError("Redis at " + client_->url().Redacted() + " holds sluice layout " +
                                 replies[1].text + " (key " + keys_.Layout() +
                                 "); this sluice reads and writes layout " + version +
                                 ": use a sluice of that layout or another database");
}

Status RedisStore::Ping() { return client_->Call({"PING"}).status(); }

Status RedisStore::CreateBatch(const BatchRecord& batch) {
  return client_
      ->Eval(
          scripts::CreateBatch(),
          {keys_.Batch(batch.id), keys_.Batches(), keys_.TenantBatches(batch.tenant),
           keys_.WithStatus(batch.status), keys_.Fingerprint(batch.fingerprint), keys_.Sequence()},
          {batch.id, batch.fingerprint, batch.status, TimeText(batch.created_at), batch.data,
           batch.tenant, SortableTime(batch.created_at)})
      .status();
}

Status RedisStore::UpdateBatch(const BatchRecord& batch) {
  return client_
      ->Eval(scripts::UpdateBatch(), {keys_.Batch(batch.id)},
             {batch.id, batch.status, batch.data, keys_.StatusPrefix()})
      .status();
}

Result<BatchRecord> RedisStore::GetBatch(const std::string& id) {
  SLUICE_ASSIGN_OR_RETURN(Reply reply, client_->Call(HmGet(keys_.Batch(id), kBatchFields)));
  SLUICE_ASSIGN_OR_RETURN(auto batch, BatchFrom(id, reply));
  if (!batch) return NotFoundError("no batch " + id);
  return std::move(*batch);
}

Result<std::vector<BatchRecord>> RedisStore::BatchesOf(const std::vector<Reply>& members,
                                                       std::size_t id_at) {
  std::vector<std::string> ids;
  std::vector<std::vector<std::string>> reads;
  for (const Reply& member : members) {
    ids.push_back(member.text.substr(std::min(id_at, member.text.size())));
    reads.push_back(HmGet(keys_.Batch(ids.back()), kBatchFields));
  }
  std::vector<BatchRecord> batches;
  if (reads.empty()) return batches;
  SLUICE_ASSIGN_OR_RETURN(auto replies, client_->Pipeline(reads));
  for (std::size_t i = 0; i < replies.size(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(auto batch, BatchFrom(ids[i], replies[i]));
    if (batch) batches.push_back(std::move(*batch));
  }
  return batches;
}

Result<std::optional<BatchRecord>> RedisStore::FindBatchByFingerprint(
    const std::string& fingerprint) {
  SLUICE_ASSIGN_OR_RETURN(Reply newest,
                          client_->Call({"ZREVRANGEBYLEX", keys_.Fingerprint(fingerprint), "+", "-",
                                         "LIMIT", "0", "1"}));
  SLUICE_ASSIGN_OR_RETURN(auto batches, BatchesOf(newest.elements, kIdAfterSequence));
  if (batches.empty()) return std::optional<BatchRecord>();
  return std::optional<BatchRecord>(std::move(batches.front()));
}

Result<std::vector<BatchRecord>> RedisStore::ListBatches(const std::optional<std::string>& tenant,
                                                         const std::optional<std::string>& after,
                                                         std::size_t limit) {
  std::string from = "+";
  if (after) {
    SLUICE_ASSIGN_OR_RETURN(Reply order, client_->Call({"HGET", keys_.Batch(*after), "order"}));
    if (order.is_nil()) return std::vector<BatchRecord>();
    from = "(" + order.text + " " + *after;
  }
  std::string key = tenant ? keys_.TenantBatches(*tenant) : keys_.Batches();
  SLUICE_ASSIGN_OR_RETURN(Reply page,
                          client_->Call({"ZREVRANGEBYLEX", key, from, "-", "LIMIT", "0",
                                         std::to_string(std::min<std::size_t>(limit, 1 << 30))}));
  return BatchesOf(page.elements, kIdAfterTime);
}

Result<std::vector<BatchRecord>> RedisStore::ListBatchesWithStatus(
    const std::vector<std::string>& statuses) {
  std::vector<BatchRecord> listed;
  for (const std::string& status : statuses) {
    SLUICE_ASSIGN_OR_RETURN(Reply members,
                            client_->Call({"ZRANGEBYLEX", keys_.WithStatus(status), "-", "+"}));
    SLUICE_ASSIGN_OR_RETURN(auto batches, BatchesOf(members.elements, kIdAfterSequence));
    for (BatchRecord& batch : batches) listed.push_back(std::move(batch));
  }
  return listed;
}

}  // namespace sluice::store::redis
