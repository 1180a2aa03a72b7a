#include "store/redis/redis_client.h"

#include <gtest/gtest.h>

namespace sluice::store::redis {
namespace {

Reply Error(std::string text) {
  Reply reply;
  reply.type = Reply::Type::kError;
  reply.text = std::move(text);
  return reply;
}

TEST(RedisClientTest, ErrorRepliesBecomeTheStatusCallersDecideOn) {
  EXPECT_EQ(ErrorOf(Error("NOTFOUND no batch b1")).code(), StatusCode::kNotFound);
  EXPECT_EQ(ErrorOf(Error("NOTFOUND no batch b1")).message(), "no batch b1");
  EXPECT_EQ(ErrorOf(Error("EXISTS file f exists")).code(), StatusCode::kAlreadyExists);
  // Worth trying again later (store::IsTransient): loading, busy, failing over, out of memory.
  for (const char* text : {"LOADING Redis is loading the dataset in memory", "BUSY Redis is busy",
                           "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "READONLY replica"}) {
    EXPECT_EQ(ErrorOf(Error(text)).code(), StatusCode::kUnavailable) << text;
  }
  EXPECT_EQ(ErrorOf(Error("OOM command not allowed")).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorOf(Error("ERR user_script:3: bad")).code(), StatusCode::kInternal);
  EXPECT_EQ(ErrorOf(Error("NOTFOUNDX")).code(), StatusCode::kInternal);  // a word, not a prefix
}

TEST(RedisClientTest, AScriptIsRunByItsSha1) {
  EXPECT_EQ(Script("return 1").sha1, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
}

}  // namespace
}  // namespace sluice::store::redis
