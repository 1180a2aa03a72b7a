#include "provider_batch/submissions.h"

#include <algorithm>
#include <boost/json.hpp>

#include "provider_batch/json_fields.h"

namespace sluice::provider_batch {
namespace json = boost::json;

IndexRuns RunsOf(std::vector<std::int64_t> indices) {
  std::sort(indices.begin(), indices.end());
  IndexRuns runs;
  for (std::int64_t i : indices) {
    if (!runs.empty() && i <= runs.back().second + 1) {
      runs.back().second = std::max(runs.back().second, i);
    } else {
      runs.emplace_back(i, i);
    }
  }
  return runs;
}

std::vector<std::int64_t> IndicesOf(const IndexRuns& runs) {
  std::vector<std::int64_t> out;
  for (auto [first, last] : runs) {
    for (std::int64_t i = first; i <= last; ++i) out.push_back(i);
  }
  return out;
}

bool Contains(const IndexRuns& runs, std::int64_t index) {
  auto it = std::upper_bound(runs.begin(), runs.end(), index,
                             [](std::int64_t i, const auto& run) { return i < run.first; });
  return it != runs.begin() && std::prev(it)->second >= index;
}

std::int64_t ProviderBatchState::TimesSent(std::int64_t index) const {
  std::int64_t n = 0;
  for (const Submission& s : submissions) n += Contains(s.lines, index) ? 1 : 0;
  return n;
}

bool ProviderBatchState::InFlight(std::int64_t index) const {
  return std::any_of(submissions.begin(), submissions.end(),
                     [&](const Submission& s) { return s.open && Contains(s.lines, index); });
}

std::string ProviderBatchState::NextId(const std::string& batch_id) const {
  return batch_id + "-" + std::to_string(submissions.size() + 1);
}

Result<ProviderBatchState> StateFromJson(const json::value& list) {
  ProviderBatchState state;
  if (!list.is_array()) return InvalidArgumentError("provider_batches is not a list");
  for (const json::value& v : list.as_array()) {
    if (!v.is_object()) return InvalidArgumentError("a provider batch is not an object");
    const json::object& o = v.as_object();
    Submission s;
    s.id = StringAt(o, "id");
    s.model = StringAt(o, "model");
    s.deployment = IntAt(o, "deployment");
    s.estimated_tokens = IntAt(o, "estimated_tokens");
    s.input_file_id = StringAt(o, "input_file_id");
    s.upstream_id = StringAt(o, "upstream_id");
    s.created_at_ms = IntAt(o, "created_at_ms");
    s.cancelled = StringAt(o, "cancelled");
    const json::value* open = o.if_contains("open");
    s.open = open && open->is_bool() && open->as_bool();
    if (const json::value* lines = o.if_contains("lines"); lines && lines->is_array()) {
      for (const json::value& run : lines->as_array()) {
        if (!run.is_array() || run.as_array().size() != 2 || !run.as_array()[0].is_int64() ||
            !run.as_array()[1].is_int64()) {
          return InvalidArgumentError("provider batch " + s.id + " has a malformed line run");
        }
        s.lines.emplace_back(run.as_array()[0].as_int64(), run.as_array()[1].as_int64());
      }
    }
    state.submissions.push_back(std::move(s));
  }
  return state;
}

json::value StateToJson(const ProviderBatchState& state) {
  json::array list;
  for (const Submission& s : state.submissions) {
    json::array runs;
    for (auto [first, last] : s.lines) runs.push_back(json::array{first, last});
    list.push_back(json::object{{"id", s.id},
                                {"model", s.model},
                                {"deployment", s.deployment},
                                {"lines", std::move(runs)},
                                {"estimated_tokens", s.estimated_tokens},
                                {"input_file_id", s.input_file_id},
                                {"upstream_id", s.upstream_id},
                                {"created_at_ms", s.created_at_ms},
                                {"open", s.open},
                                {"cancelled", s.cancelled}});
  }
  return list;
}

Result<ProviderBatchState> ReadState(const std::string& data) {
  boost::system::error_code ec;
  json::value root = json::parse(data.empty() ? std::string_view("{}") : data, ec);
  if (ec || !root.is_object()) return InvalidArgumentError("batch data is not a JSON object");
  const json::value* list = root.as_object().if_contains(kStateKey);
  if (!list) return ProviderBatchState();
  return StateFromJson(*list);
}

std::string WriteState(const std::string& data, const ProviderBatchState& state) {
  boost::system::error_code ec;
  json::value root = json::parse(data.empty() ? std::string_view("{}") : data, ec);
  if (ec || !root.is_object()) root = json::object();
  root.as_object()[kStateKey] = StateToJson(state);
  return json::serialize(root);
}

}  // namespace sluice::provider_batch
