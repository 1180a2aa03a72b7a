#include "cli/json_log_formatter.h"

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <boost/json.hpp>
#include <regex>
#include <sstream>

namespace sluice::cli {
namespace {

TEST(JsonLogFormatterTest, WritesOneJsonObjectPerLine) {
  std::ostringstream stream;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(stream);
  spdlog::logger logger("test", sink);
  logger.set_formatter(std::make_unique<JsonLogFormatter>());
  logger.info("listening on \"{}\"\nnext", "127.0.0.1:0");
  logger.warn("second");

  std::istringstream lines(stream.str());
  std::string first, second, third;
  ASSERT_TRUE(std::getline(lines, first));
  ASSERT_TRUE(std::getline(lines, second));
  EXPECT_FALSE(std::getline(lines, third));
  boost::json::value record = boost::json::parse(first);
  EXPECT_EQ(record.at("level"), "info");
  EXPECT_EQ(record.at("msg"), "listening on \"127.0.0.1:0\"\nnext");
  std::string ts(record.at("ts").as_string());
  EXPECT_TRUE(std::regex_match(ts, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"))) << ts;
  EXPECT_EQ(boost::json::parse(second).at("level"), "warning");
}

}  // namespace
}  // namespace sluice::cli
