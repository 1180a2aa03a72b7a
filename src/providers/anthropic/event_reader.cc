#include "providers/anthropic/event_reader.h"

#include "providers/anthropic/json.h"

namespace sluice::providers {

using anthropic_json::ObjectAt;
using anthropic_json::StringAt;

void MessagesEventReader::Observe(const boost::json::object& event) {
  if (over()) return;
  std::string_view type = StringAt(event, "type");
  if (type == "message_start") {
    const boost::json::object* message = ObjectAt(event, "message");
    const boost::json::object* usage = message != nullptr ? ObjectAt(*message, "usage") : nullptr;
    if (usage != nullptr) usage_.Update(*usage);
  } else if (type == "message_delta") {
    if (const boost::json::object* usage = ObjectAt(event, "usage")) usage_.Update(*usage);
  } else if (type == "message_stop") {
    stopped_ = true;
  } else if (type == "error") {
    failed_ = true;
    const boost::json::object* error = ObjectAt(event, "error");
    std::string kind(error != nullptr ? StringAt(*error, "type") : "api_error");
    std::string message(error != nullptr ? StringAt(*error, "message") : "");
    outcome_.verdict = Verdict::kFail;
    outcome_.status = UnavailableError("upstream stream failed: " + kind + ": " + message);
  }
}

Outcome MessagesEventReader::Finish(const Status& ended) const {
  Outcome outcome = outcome_;
  outcome.usage = usage_.ToUsage();
  if (!ended.ok()) {
    outcome.verdict = Verdict::kFail;
    outcome.status = ended;
  } else if (!over()) {
    outcome.verdict = Verdict::kFail;
    outcome.status = UnavailableError("the upstream stream ended before message_stop");
  }
  return outcome;
}

}  // namespace sluice::providers
