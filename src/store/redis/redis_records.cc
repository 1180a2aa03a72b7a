#include "store/redis/redis_records.h"

#include <charconv>
#include <cstdio>
#include <vector>

namespace sluice::store::redis {
namespace {

// Fields as "<length>:<bytes>", one after another.
class FieldWriter {
 public:
  FieldWriter& Add(std::string_view field) {
    out_ += std::to_string(field.size());
    out_ += ':';
    out_ += field;
    return *this;
  }
  FieldWriter& Add(std::int64_t value) { return Add(std::to_string(value)); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class FieldReader {
 public:
  explicit FieldReader(std::string_view text) : text_(text) {}

  std::string_view Next() {
    std::size_t colon = text_.find(':');
    std::size_t length = 0;
    if (colon == std::string_view::npos ||
        std::from_chars(text_.data(), text_.data() + colon, length).ec != std::errc() ||
        colon + 1 + length > text_.size()) {
      failed_ = true;
      text_ = {};
      return {};
    }
    std::string_view field = text_.substr(colon + 1, length);
    text_.remove_prefix(colon + 1 + length);
    return field;
  }
  std::int64_t NextInt() {
    std::string_view field = Next();
    std::int64_t value = 0;
    if (std::from_chars(field.data(), field.data() + field.size(), value).ec != std::errc()) {
      failed_ = true;
    }
    return value;
  }
  bool ok() const { return !failed_; }
  bool AtEnd() const { return text_.empty(); }

 private:
  std::string_view text_;
  bool failed_ = false;
};

Status Corrupt(std::string_view what) {
  return DataLossError("a " + std::string(what) + " in Redis is not in sluice's layout");
}

}  // namespace

std::string EncodeItem(const batch::NewItem& item) {
  return FieldWriter()
      .Add(item.index)
      .Add(item.custom_id)
      .Add(item.model)
      .Add(item.endpoint)
      .Add(item.body)
      .Add(item.estimated_tokens)
      .Take();
}

Result<batch::NewItem> DecodeItem(std::string_view text) {
  FieldReader in(text);
  batch::NewItem item;
  item.index = in.NextInt();
  item.custom_id = in.Next();
  item.model = in.Next();
  item.endpoint = in.Next();
  item.body = in.Next();
  item.estimated_tokens = in.NextInt();
  if (!in.ok()) return Corrupt("item");
  return item;
}

std::string EncodeResult(const batch::ResultRecord& r) {
  FieldWriter out;
  out.Add(r.index).Add(r.custom_id).Add(r.success ? 1 : 0).Add(r.status_code).Add(r.request_id);
  out.Add(r.body).Add(r.error_code).Add(r.error_message);
  out.Add(r.usage.prompt_tokens).Add(r.usage.completion_tokens).Add(r.usage.total_tokens);
  out.Add(r.usage.cached_tokens).Add(r.usage.reasoning_tokens);
  out.Add(r.model).Add(r.cost_nanousd ? std::to_string(*r.cost_nanousd) : "").Add(r.failure_code);
  if (r.duplicate_of) out.Add(*r.duplicate_of).Add(r.saved_nanousd);
  return out.Take();
}

Result<batch::ResultRecord> DecodeResult(std::string_view text) {
  FieldReader in(text);
  batch::ResultRecord r;
  r.index = in.NextInt();
  r.custom_id = in.Next();
  r.success = in.NextInt() != 0;
  r.status_code = static_cast<int>(in.NextInt());
  r.request_id = in.Next();
  r.body = in.Next();
  r.error_code = in.Next();
  r.error_message = in.Next();
  r.usage.prompt_tokens = in.NextInt();
  r.usage.completion_tokens = in.NextInt();
  r.usage.total_tokens = in.NextInt();
  r.usage.cached_tokens = in.NextInt();
  r.usage.reasoning_tokens = in.NextInt();
  r.model = in.Next();
  std::string_view cost = in.Next();
  if (!cost.empty()) {
    std::int64_t value = 0;
    if (std::from_chars(cost.data(), cost.data() + cost.size(), value).ec != std::errc()) {
      return Corrupt("result");
    }
    r.cost_nanousd = value;
  }
  r.failure_code = in.Next();
  if (!in.AtEnd()) {  // a copy of another line's answer (dedup): which line, and what it saved
    r.duplicate_of = in.NextInt();
    r.saved_nanousd = in.NextInt();
  }
  if (!in.ok()) return Corrupt("result");
  return r;
}

std::string TimeText(WallTime at) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count());
}

Result<WallTime> TimeFromText(std::string_view text) {
  std::int64_t ns = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ns);
  if (ec != std::errc() || end != text.data() + text.size()) return Corrupt("time");
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::nanoseconds(ns)));
}

std::string Padded(std::int64_t value) {
  char text[32];
  std::snprintf(text, sizeof text, "%020lld", static_cast<long long>(value < 0 ? 0 : value));
  return text;
}

std::string SortableTime(WallTime at) {
  return Padded(
      std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count());
}

std::string ScoreOf(WallTime at) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count());
}

}  // namespace sluice::store::redis
