#include "webhooks/signature.h"

#include <gtest/gtest.h>

#include <vector>

namespace sluice::webhooks {
namespace {

// The example of the Standard Webhooks specification (standard-webhooks/spec.md).
TEST(SignatureTest, MatchesTheStandardWebhooksExample) {
  auto key = DecodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(Sign(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(SignatureTest, SecretsAreCheckedWithAClearMessage) {
  EXPECT_EQ(DecodeSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").status().message(),
            "a webhook secret starts with whsec_ (then base64)");
  EXPECT_EQ(DecodeSecret("whsec_not base64!").status().message(),
            "the webhook secret after whsec_ is not base64");
  EXPECT_NE(DecodeSecret("whsec_c2hvcnQ=").status().message().find("shorter than 24 bytes"),
            std::string::npos);
}

TEST(SignatureTest, Base64RoundTrips) {
  for (const std::string& bytes : std::vector<std::string>{"", "a", "ab", "abc", "abcd",
                                                          std::string("\0\xff\x10", 3)}) {
    auto decoded = Base64Decode(Base64Encode(bytes));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, bytes);
  }
  EXPECT_EQ(Base64Encode("abcd"), "YWJjZA==");
  EXPECT_FALSE(Base64Decode("abc").ok());
}

}  // namespace
}  // namespace sluice::webhooks
