#include "store/redis/resp.h"

#include <gtest/gtest.h>

namespace sluice::store::redis {
namespace {

TEST(RespTest, EncodesACommandAsAnArrayOfBulkStrings) {
  EXPECT_EQ(EncodeCommand({"SET", "k", ""}), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
}

TEST(RespTest, ParsesEachTypeAndMovesPastIt) {
  std::string input = "+OK\r\n-ERR no\r\n:-42\r\n$5\r\na\r\nbc\r\n$-1\r\n*2\r\n:1\r\n*-1\r\n";
  std::size_t pos = 0;
  Reply ok = **ParseReply(input, &pos);
  EXPECT_EQ(ok.type, Reply::Type::kStatus);
  EXPECT_EQ(ok.text, "OK");
  Reply error = **ParseReply(input, &pos);
  EXPECT_TRUE(error.is_error());
  EXPECT_EQ(error.text, "ERR no");
  EXPECT_EQ((*ParseReply(input, &pos))->integer, -42);
  EXPECT_EQ((*ParseReply(input, &pos))->text, "a\r\nbc");  // binary-safe
  EXPECT_TRUE((*ParseReply(input, &pos))->is_nil());
  Reply array = **ParseReply(input, &pos);
  ASSERT_EQ(array.elements.size(), 2u);
  EXPECT_EQ(array.elements[0].integer, 1);
  EXPECT_TRUE(array.elements[1].is_nil());
  EXPECT_EQ(pos, input.size());
}

TEST(RespTest, IncompleteInputWaitsForMoreWithoutMoving) {
  for (std::string input : {"", "+OK", "$5\r\nab", "*2\r\n:1\r\n", "$3\r\nabc\r"}) {
    std::size_t pos = 0;
    auto parsed = ParseReply(input, &pos);
    ASSERT_TRUE(parsed.ok()) << input;
    EXPECT_FALSE(parsed->has_value()) << input;
    EXPECT_EQ(pos, 0u);
  }
}

TEST(RespTest, BytesThatAreNotRespAreDataLoss) {
  for (std::string input : {"?\r\n", ":x\r\n", "$3\r\nabcde\r\n"}) {
    std::size_t pos = 0;
    EXPECT_EQ(ParseReply(input, &pos).status().code(), StatusCode::kDataLoss) << input;
  }
}

}  // namespace
}  // namespace sluice::store::redis
