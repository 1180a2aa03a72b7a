#include "webhooks/delivery.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

namespace sluice::webhooks {
namespace {

namespace json = boost::json;

TEST(BatchEventTest, IsOpenAisEventForATerminalBatch) {
  json::object batch{{"id", "batch_abc"}, {"status", "completed"}};
  auto event = BatchEvent(batch, "https://example.test/hook", WallTime(std::chrono::seconds(1700000000)));
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->event_id, "evt_batch_abc_completed");
  EXPECT_EQ(event->body,
            R"({"id":"evt_batch_abc_completed","object":"event","created_at":1700000000,)"
            R"("type":"batch.completed","data":{"id":"batch_abc"}})");
  batch["status"] = "in_progress";
  EXPECT_FALSE(BatchEvent(batch, "https://example.test/hook", WallTime{}).has_value());
  for (const char* status : {"failed", "expired", "cancelled"}) {
    batch["status"] = status;
    EXPECT_EQ(BatchEvent(batch, "u", WallTime{})->event_id, std::string("evt_batch_abc_") + status);
  }
}

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("sluice-outbox-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(OutboxTest, KeepsDeliveriesUntilRemoved) {
  Outbox outbox(dir_);
  EXPECT_TRUE(outbox.Load()->empty()) << "no directory yet: nothing pending";
  Delivery a{"evt_a", "http://127.0.0.1:1/h", R"({"x":1})", 100, 0, 0};
  Delivery b{"evt_b", "http://127.0.0.1:1/h", R"({"x":2})", 200, 3, 123456};
  ASSERT_TRUE(outbox.Put(a).ok());
  ASSERT_TRUE(outbox.Put(b).ok());
  b.attempts = 4;
  ASSERT_TRUE(outbox.Put(b).ok());  // replaces
  auto loaded = Outbox(dir_).Load();  // a new process reads what the last one left
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 2u);
  auto find = [&](const std::string& id) {
    for (const Delivery& d : *loaded) {
      if (d.event_id == id) return d;
    }
    return Delivery{};
  };
  EXPECT_EQ(find("evt_b").attempts, 4);
  EXPECT_EQ(find("evt_b").next_attempt_ms, 123456);
  EXPECT_EQ(find("evt_a").body, R"({"x":1})");
  ASSERT_TRUE(outbox.Remove("evt_a").ok());
  EXPECT_EQ(outbox.Load()->size(), 1u);
}

TEST_F(OutboxTest, AnUnreadableFileIsReportedAndLeftInPlace) {
  Outbox outbox(dir_);
  ASSERT_TRUE(outbox.Put({"evt_a", "http://h/", "{}", 1, 0, 0}).ok());
  std::ofstream(dir_ + "/evt_broken.json") << "{not json";
  std::vector<std::string> unreadable;
  auto loaded = outbox.Load(&unreadable);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->size(), 1u);
  ASSERT_EQ(unreadable.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(unreadable[0]));
}

}  // namespace
}  // namespace sluice::webhooks
