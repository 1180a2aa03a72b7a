// The checks Anthropic makes of a Messages request before anything else, made by sluice's
// POST /v1/messages before it routes the request (to an Anthropic deployment, which would make
// them too, or to an OpenAI-shaped one, which would not): model, max_tokens and messages are
// required, each turn has role user or assistant and string or block content, stream is a
// boolean. Messages worded as Anthropic words them ("max_tokens: Field required").
// Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <variant>

#include "providers/provider.h"

namespace sluice::providers {

// What routing needs of a valid request.
struct MessagesRequestHead {
  std::string model;
  bool stream = false;
};

// The request's head, or the Refusal naming the first field that fails a check.
std::variant<MessagesRequestHead, Refusal> ValidateMessagesRequest(const boost::json::object& body);

}  // namespace sluice::providers
