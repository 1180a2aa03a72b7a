// The conversation and tool parts of the OpenAI → Anthropic request translation (used by
// request.cc): messages to `system` plus alternating user / assistant turns of
// content blocks, OpenAI tool definitions and tool_choice to Anthropic's. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <variant>

#include "providers/provider.h"

namespace sluice::providers {

// Sets out["system"] (every system and developer message, in order, joined by blank lines) and
// out["messages"] from chat["messages"]: a `tool` message becomes a tool_result block, assistant
// tool_calls become tool_use blocks, and consecutive turns of one role are merged into one.
std::optional<Refusal> TranslateMessages(const boost::json::object& chat, boost::json::object& out);

// {"type":"function","function":{name, description, parameters}} → {name, description,
// input_schema}. `path` names the tool in a refusal ("tools[0]").
std::variant<boost::json::object, Refusal> ToolDefinition(const boost::json::value& tool,
                                                          const std::string& path);

// "none" / "auto" / "required" / {"type":"function","function":{"name"}} → Anthropic's
// {"type":"none"|"auto"|"any"|"tool"}; `serial` (parallel_tool_calls false) sets
// disable_parallel_tool_use. A null `choice` is "auto".
std::variant<boost::json::object, Refusal> ToolChoice(const boost::json::value& choice,
                                                      bool serial);

}  // namespace sluice::providers
