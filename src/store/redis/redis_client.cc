#include "store/redis/redis_client.h"

#include <openssl/sha.h>

#include <cstdio>

namespace sluice::store::redis {
namespace {

std::string Sha1Hex(const std::string& text) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  std::string hex;
  char pair[3];
  for (unsigned char byte : digest) {
    std::snprintf(pair, sizeof pair, "%02x", byte);
    hex += pair;
  }
  return hex;
}

bool StartsWithWord(const std::string& text, std::string_view word) {
  return text.starts_with(word) && (text.size() == word.size() || text[word.size()] == ' ');
}

}  // namespace

Script::Script(std::string text) : source(std::move(text)), sha1(Sha1Hex(source)) {}

Status ErrorOf(const Reply& reply) {
  const std::string& text = reply.text;
  // A script's redis.error_reply("NOTFOUND …") arrives as is; a runtime error inside a script
  // arrives wrapped ("ERR user_script:…"), which is kInternal.
  if (StartsWithWord(text, "NOTFOUND")) return NotFoundError(text.substr(9));
  if (StartsWithWord(text, "EXISTS")) return AlreadyExistsError(text.substr(7));
  if (StartsWithWord(text, "LOADING") || StartsWithWord(text, "BUSY") ||
      StartsWithWord(text, "TRYAGAIN") || StartsWithWord(text, "CLUSTERDOWN") ||
      StartsWithWord(text, "MASTERDOWN") || StartsWithWord(text, "READONLY")) {
    return UnavailableError("Redis: " + text);
  }
  if (StartsWithWord(text, "OOM")) return ResourceExhaustedError("Redis: " + text);
  return InternalError("Redis: " + text);
}

Result<std::unique_ptr<RedisClient>> RedisClient::Connect(const RedisUrl& url,
                                                          const ConnectionOptions& options) {
  std::unique_ptr<RedisClient> client(new RedisClient(url, options));
  SLUICE_ASSIGN_OR_RETURN(auto connection, RedisConnection::Open(url, options));
  client->Give(std::move(connection));
  return client;
}

Result<std::unique_ptr<RedisConnection>> RedisClient::Take() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  return RedisConnection::Open(url_, options_);
}

void RedisClient::Give(std::unique_ptr<RedisConnection> connection) {
  if (connection->broken()) return;
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(connection));
}

Result<std::vector<Reply>> RedisClient::Raw(const std::vector<std::vector<std::string>>& commands) {
  SLUICE_ASSIGN_OR_RETURN(auto connection, Take());
  auto replies = connection->Pipeline(commands);
  Give(std::move(connection));
  return replies;
}

Result<std::vector<Reply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Reply> replies, Raw(commands));
  for (const Reply& reply : replies) {
    if (reply.is_error()) return ErrorOf(reply);
  }
  return replies;
}

Result<Reply> RedisClient::Call(const std::vector<std::string>& command) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Reply> replies, Pipeline({command}));
  return std::move(replies.front());
}

Result<Reply> RedisClient::Eval(const Script& script, const std::vector<std::string>& keys,
                                const std::vector<std::string>& args) {
  std::vector<std::string> command = {"EVALSHA", script.sha1, std::to_string(keys.size())};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  SLUICE_ASSIGN_OR_RETURN(std::vector<Reply> replies, Raw({command}));
  if (replies.front().is_error() && StartsWithWord(replies.front().text, "NOSCRIPT")) {
    command[0] = "EVAL";
    command[1] = script.source;
    SLUICE_ASSIGN_OR_RETURN(replies, Raw({command}));
  }
  if (replies.front().is_error()) return ErrorOf(replies.front());
  return std::move(replies.front());
}

}  // namespace sluice::store::redis
