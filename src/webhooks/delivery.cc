#include "webhooks/delivery.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice::webhooks {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

bool IsTerminal(std::string_view status) {
  return status == "completed" || status == "failed" || status == "expired" ||
         status == "cancelled";
}

std::string StringOf(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

std::int64_t IntOf(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_int64() ? value->get_int64() : 0;
}

Status WriteDurably(const std::string& path, const std::string& content) {
  std::string temporary = path + ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return UnavailableError("cannot write " + temporary + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      return UnavailableError("cannot write " + temporary + ": " + why);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return UnavailableError("cannot write " + temporary + ": " + std::strerror(errno));
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) return UnavailableError("cannot write " + path + ": " + ec.message());
  return OkStatus();
}

}  // namespace

std::optional<Delivery> BatchEvent(const json::object& batch, const std::string& url,
                                   WallTime now) {
  std::string status = StringOf(batch, "status");
  if (!IsTerminal(status)) return std::nullopt;
  std::string id = StringOf(batch, "id");
  Delivery delivery;
  delivery.event_id = "evt_" + id + "_" + status;
  delivery.url = url;
  delivery.created_at =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  delivery.body = json::serialize(json::object{{"id", delivery.event_id},
                                               {"object", "event"},
                                               {"created_at", delivery.created_at},
                                               {"type", "batch." + status},
                                               {"data", json::object{{"id", id}}}});
  return delivery;
}

std::string Outbox::Path(const std::string& event_id) const {
  return (fs::path(directory_) / (event_id + ".json")).string();
}

Status Outbox::Put(const Delivery& delivery) const {
  std::error_code ec;
  fs::create_directories(directory_, ec);
  if (ec) return UnavailableError("cannot create " + directory_ + ": " + ec.message());
  json::object record{{"event_id", delivery.event_id},
                      {"url", delivery.url},
                      {"body", delivery.body},
                      {"created_at", delivery.created_at},
                      {"attempts", delivery.attempts},
                      {"next_attempt_ms", delivery.next_attempt_ms}};
  return WriteDurably(Path(delivery.event_id), json::serialize(record));
}

Status Outbox::Remove(const std::string& event_id) const {
  std::error_code ec;
  fs::remove(Path(event_id), ec);
  if (ec) return UnavailableError("cannot remove " + Path(event_id) + ": " + ec.message());
  return OkStatus();
}

Result<std::vector<Delivery>> Outbox::Load(std::vector<std::string>* unreadable) const {
  std::vector<Delivery> deliveries;
  std::error_code ec;
  if (!fs::exists(directory_, ec)) return deliveries;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory_, ec)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code parse_error;
    json::value value = json::parse(text.str(), parse_error);
    if (parse_error || !value.is_object() || StringOf(value.get_object(), "url").empty()) {
      if (unreadable != nullptr) unreadable->push_back(entry.path().string());
      continue;
    }
    const json::object& record = value.get_object();
    deliveries.push_back({StringOf(record, "event_id"), StringOf(record, "url"),
                          StringOf(record, "body"), IntOf(record, "created_at"),
                          static_cast<int>(IntOf(record, "attempts")),
                          IntOf(record, "next_attempt_ms")});
  }
  if (ec) return UnavailableError("cannot read " + directory_ + ": " + ec.message());
  return deliveries;
}

}  // namespace sluice::webhooks
