// Plain HTTP messages shared by the server, the client and every handler. No Beast types here,
// so handlers and adapters can be written and tested without sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::http {

// Ordered header fields with case-insensitive lookup (HTTP field names are case-insensitive).
class Headers {
 public:
  struct Field {
    std::string name;
    std::string value;
  };

  // Appends a field (a name may repeat).
  void Add(std::string name, std::string value);
  // Replaces every field called `name` with one field.
  void Set(std::string name, std::string value);
  // The first value of `name`, if present.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Every value of `name`, in order.
  std::vector<std::string_view> GetAll(std::string_view name) const;
  void Remove(std::string_view name);

  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }

 private:
  std::vector<Field> fields_;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // origin-form: "/v1/files?limit=2"
  Headers headers;
  std::string body;

  // The target without its query string: "/v1/files".
  std::string_view Path() const;
  // The raw value of query parameter `key` (not percent-decoded), if present.
  std::optional<std::string_view> Query(std::string_view key) const;
  // The value of query parameter `key` with '+' and percent-escapes decoded, if present (with a
  // broken escape, only '+' is decoded).
  std::optional<std::string> DecodedQuery(std::string_view key) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
};

// "a%20b" -> "a b"; nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view text);

// The value of `key` in "a=1&b=2" (a query string, or an application/x-www-form-urlencoded
// body) with '+' and percent-escapes decoded, if present (with a broken escape, only '+' is).
std::optional<std::string> FormValue(std::string_view pairs, std::string_view key);

// A response with `content-type: application/json`.
Response JsonResponse(int status, std::string body);

// OpenAI's error shape: {"error":{"message","type","param","code"}}; param and code may be null.
struct ApiError {
  int status = 500;
  std::string type = "server_error";  // invalid_request_error, authentication_error, ...
  std::string message;
  std::optional<std::string> code;
  std::optional<std::string> param;
};
Response ErrorResponse(const ApiError& error);
std::string ErrorBody(const ApiError& error);

// The reason phrase for a status code ("Not Found"); "Unknown" for codes it does not know.
std::string_view ReasonPhrase(int status);

}  // namespace sluice::http
