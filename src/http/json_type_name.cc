#include "http/json_type_name.h"

namespace sluice::http {

std::string_view JsonTypeName(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "an integer";
    case boost::json::kind::double_:
      return "a decimal";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
    case boost::json::kind::null:
      return "null";
  }
  return "a value";
}

}  // namespace sluice::http
