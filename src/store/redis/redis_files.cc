// RedisStore's file records: a hash per file, the tenant's listing in a sorted set of
// "<sortable created> <id>" and the expiring files in one of "<sortable expiry> <id>".
#include <charconv>

#include "store/redis/redis_records.h"
#include "store/redis/redis_scripts.h"
#include "store/redis/redis_store.h"

namespace sluice::store::redis {
namespace {

constexpr std::size_t kIdAfterTime = 21;  // "<20-digit time> <id>"

const std::vector<std::string> kFileFields = {"tenant",  "filename", "purpose", "bytes",
                                              "created", "expires",  "status"};

Result<std::int64_t> Bytes(const std::string& text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return DataLossError("a file's size in Redis is not a number: " + text);
  }
  return value;
}

// A file from `fields` (filename, purpose, bytes, created, expires, status; one Reply each).
Result<FileRecord> FileFrom(std::string id, std::string tenant, const Reply* fields) {
  FileRecord file;
  file.id = std::move(id);
  file.tenant = std::move(tenant);
  file.filename = fields[0].text;
  file.purpose = fields[1].text;
  SLUICE_ASSIGN_OR_RETURN(file.bytes, Bytes(fields[2].text));
  SLUICE_ASSIGN_OR_RETURN(file.created_at, TimeFromText(fields[3].text));
  if (!fields[4].is_nil()) {
    SLUICE_ASSIGN_OR_RETURN(WallTime expires, TimeFromText(fields[4].text));
    file.expires_at = expires;
  }
  file.status = fields[5].text;
  return file;
}

std::vector<std::string> GetFileCommand(const std::string& key) {
  std::vector<std::string> command = {"HMGET", key};
  command.insert(command.end(), kFileFields.begin(), kFileFields.end());
  return command;
}

}  // namespace

Status RedisStore::CreateFile(const FileRecord& file) {
  std::string expires = file.expires_at ? TimeText(*file.expires_at) : "";
  std::string sortable_expires = file.expires_at ? SortableTime(*file.expires_at) : "";
  return client_
      ->Eval(scripts::CreateFile(),
             {keys_.File(file.id), keys_.TenantFiles(file.tenant), keys_.Expiring()},
             {file.id, file.tenant, file.filename, file.purpose, std::to_string(file.bytes),
              TimeText(file.created_at), SortableTime(file.created_at), expires, sortable_expires,
              file.status})
      .status();
}

Result<FileRecord> RedisStore::GetFile(const std::string& id) {
  SLUICE_ASSIGN_OR_RETURN(Reply reply, client_->Call(GetFileCommand(keys_.File(id))));
  if (reply.elements.size() != kFileFields.size() || reply.elements[0].is_nil()) {
    return NotFoundError("no file " + id);
  }
  return FileFrom(id, reply.elements[0].text, &reply.elements[1]);
}

Result<FilePage> RedisStore::ListFiles(const FileQuery& query) {
  bool ascending = query.order == SortOrder::kAscending;
  SLUICE_ASSIGN_OR_RETURN(
      Reply listed,
      client_->Eval(scripts::ListFiles(), {keys_.TenantFiles(query.tenant)},
                    {query.tenant, keys_.FilePrefix(), query.after.value_or(""),
                     ascending ? "1" : "0", query.purpose ? "1" : "0", query.purpose.value_or(""),
                     query.unexpired_at ? SortableTime(*query.unexpired_at) : "",
                     std::to_string(query.limit)}));
  FilePage page;
  for (const Reply& entry : listed.elements) {
    if (entry.elements.size() != 7) return DataLossError("ListFiles: unexpected reply");
    if (page.files.size() == query.limit) {
      page.has_more = true;
      break;
    }
    SLUICE_ASSIGN_OR_RETURN(FileRecord file,
                            FileFrom(entry.elements[0].text, query.tenant, &entry.elements[1]));
    page.files.push_back(std::move(file));
  }
  return page;
}

Status RedisStore::DeleteFile(const std::string& id) {
  return client_
      ->Eval(scripts::DeleteFile(), {keys_.File(id), keys_.Expiring()},
             {id, keys_.TenantFilesPrefix()})
      .status();
}

Result<std::vector<FileRecord>> RedisStore::ListExpiredFiles(WallTime now, std::size_t limit) {
  // Every member "<expiry> <id>" with expiry <= now sorts before "<now + 1ns>".
  std::string until = "(" + SortableTime(now + std::chrono::nanoseconds(1));
  std::size_t count = std::min<std::size_t>(limit, 1 << 30);
  SLUICE_ASSIGN_OR_RETURN(Reply members, client_->Call({"ZRANGEBYLEX", keys_.Expiring(), "-", until,
                                                        "LIMIT", "0", std::to_string(count)}));
  return FilesOf(members.elements);
}

Result<std::vector<FileRecord>> RedisStore::FilesOf(const std::vector<Reply>& members) {
  std::vector<std::string> ids;
  std::vector<std::vector<std::string>> reads;
  for (const Reply& member : members) {
    ids.push_back(member.text.substr(std::min(kIdAfterTime, member.text.size())));
    reads.push_back(GetFileCommand(keys_.File(ids.back())));
  }
  std::vector<FileRecord> files;
  if (reads.empty()) return files;
  SLUICE_ASSIGN_OR_RETURN(auto replies, client_->Pipeline(reads));
  for (std::size_t i = 0; i < replies.size(); ++i) {
    const auto& f = replies[i].elements;
    if (f.size() != kFileFields.size() || f[0].is_nil()) continue;
    SLUICE_ASSIGN_OR_RETURN(FileRecord file, FileFrom(ids[i], f[0].text, &f[1]));
    files.push_back(std::move(file));
  }
  return files;
}

}  // namespace sluice::store::redis
