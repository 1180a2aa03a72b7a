#include "providers/fallback_class_of.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace sluice::providers {
namespace {

std::string_view StringAt(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string_view(value->get_string())
                                                : std::string_view();
}

bool Contains(std::string_view text, std::string_view what) {
  return std::search(text.begin(), text.end(), what.begin(), what.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         }) != text.end();
}

// The class an error body in OpenAI's shape ({"error":{"message","type","code"}}) names.
std::optional<FallbackClass> ErrorClass(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const boost::json::value* error = parsed.get_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return std::nullopt;
  std::string_view code = StringAt(error->get_object(), "code");
  std::string_view message = StringAt(error->get_object(), "message");
  constexpr std::array<std::string_view, 4> kContextPhrases = {
      "maximum context length", "prompt is too long",
      "input length and `max_tokens` exceed context limit", "context window"};
  if (code == "context_length_exceeded" ||
      std::any_of(kContextPhrases.begin(), kContextPhrases.end(),
                  [message](std::string_view p) { return Contains(message, p); })) {
    return FallbackClass::kContextWindow;
  }
  if (code == "content_policy_violation" || code == "content_filter" ||
      (code == "invalid_prompt" && Contains(message, "usage policy")) ||
      Contains(message, "content management policy")) {
    return FallbackClass::kContentPolicy;
  }
  return std::nullopt;
}

// A chat or completions answer with choices, every one of them stopped by a content filter.
bool FilteredAnswer(std::string_view body) {
  if (body.find("content_filter") == std::string_view::npos) return false;  // the common case
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return false;
  const boost::json::value* choices = parsed.get_object().if_contains("choices");
  if (choices == nullptr || !choices->is_array() || choices->get_array().empty()) return false;
  return std::all_of(choices->get_array().begin(), choices->get_array().end(),
                     [](const boost::json::value& choice) {
                       return choice.is_object() &&
                              StringAt(choice.get_object(), "finish_reason") == "content_filter";
                     });
}

}  // namespace

std::optional<FallbackClass> FallbackClassOf(const Outcome& outcome) {
  int status = outcome.status_code;
  if (status == 0) return FallbackClass::kUnavailable;
  if (status >= 200 && status < 300) {
    if (FilteredAnswer(outcome.body)) return FallbackClass::kContentPolicy;
    return std::nullopt;
  }
  if (status == 429) return FallbackClass::kRateLimited;
  if (status == 401 || status == 403 || status == 408 || status == 409 || status >= 500) {
    return FallbackClass::kUnavailable;
  }
  return ErrorClass(outcome.body);
}

}  // namespace sluice::providers
