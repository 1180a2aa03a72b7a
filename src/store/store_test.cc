// The store contract, run against every Store implementation (the conformance suite).
#include "store/store.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>

#include "store/memory/memory_store.h"
#include "store/redis/redis_store.h"
#include "store/sqlite/sqlite_store.h"
#include "support/redis_server.h"

namespace sluice::store {
namespace {

using namespace std::chrono_literals;

std::string TempPath(const std::string& name) {
  std::string dir = std::filesystem::temp_directory_path() / "sluice-store-XXXXXX";
  std::string made = mkdtemp(dir.data());
  return made + "/" + name;
}

struct StoreFactory {
  std::function<std::unique_ptr<Store>()> make;
  bool needs_redis = false;
};

// gtest prints a failed test's parameter: its kind, not its bytes.
void PrintTo(const StoreFactory& factory, std::ostream* out) {
  *out << (factory.needs_redis ? "a store on Redis" : "a local store");
}

class StoreTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    if (GetParam().needs_redis && test_support::SharedRedisServer() == nullptr) {
      GTEST_SKIP() << test_support::kNoRedisServer;
    }
    store_ = GetParam().make();
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->CreateBatch({"b1", "file:a", "in_progress", now_, "{}", ""}).ok());
  }

  std::vector<NewItem> Items(int n, int first = 0) {
    std::vector<NewItem> items;
    for (int i = first; i < first + n; ++i) {
      items.push_back({i, "id-" + std::to_string(i), "m", "/v1/chat/completions", "{}", 10});
    }
    return items;
  }

  ResultRecord Success(std::int64_t index, std::string body = "{}") {
    ResultRecord r;
    r.index = index;
    r.custom_id = "id-" + std::to_string(index);
    r.success = true;
    r.status_code = 200;
    r.body = std::move(body);
    r.usage = {3, 4, 7, 1, 0};
    return r;
  }

  WallTime now_ = WallTime(std::chrono::seconds(1767225600));
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, ListsATenantsBatchesNewestFirstWithACursor) {
  for (int i = 0; i < 5; ++i) {
    WallTime at = now_ + std::chrono::seconds(i + 1);
    std::string tenant = i == 2 ? "other" : "t";
    ASSERT_TRUE(store_
                    ->CreateBatch({"batch_" + std::to_string(i), "f",
                                   i < 3 ? "completed" : "in_progress", at, "{}", tenant})
                    .ok());
  }
  auto page = *store_->ListBatches("t", std::nullopt, 2);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, "batch_4");
  EXPECT_EQ(page[1].id, "batch_3");
  page = *store_->ListBatches("t", page.back().id, 10);
  ASSERT_EQ(page.size(), 2u);  // batch_2 belongs to another tenant
  EXPECT_EQ(page[0].id, "batch_1");
  EXPECT_EQ(page[1].tenant, "t");
  EXPECT_TRUE(store_->ListBatches("t", std::string("batch_nope"), 10)->empty());
  auto everyone = *store_->ListBatches(std::nullopt, std::string("batch_3"), 10);
  ASSERT_EQ(everyone.size(), 4u);  // an admin's view: batch_2 of "other" too, and b1 from SetUp
  EXPECT_EQ(everyone[0].id, "batch_2");
  EXPECT_EQ(everyone[0].tenant, "other");
  auto running = *store_->ListBatchesWithStatus({"in_progress", "validating"});
  ASSERT_EQ(running.size(), 3u);  // b1 from SetUp, batch_3, batch_4
  EXPECT_EQ(running[0].id, "b1");
}

TEST_P(StoreTest, BatchesAreCreatedOnceAndFoundByFingerprint) {
  EXPECT_EQ(store_->CreateBatch({"b1", "x", "s", now_, "{}", ""}).code(),
            StatusCode::kAlreadyExists);
  auto found = store_->FindBatchByFingerprint("file:a");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, "b1");
  EXPECT_FALSE(store_->FindBatchByFingerprint("file:b")->has_value());
  BatchRecord b = *store_->GetBatch("b1");
  b.status = "completed";
  ASSERT_TRUE(store_->UpdateBatch(b).ok());
  EXPECT_EQ(store_->GetBatch("b1")->status, "completed");
  EXPECT_EQ(store_->GetBatch("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->UpdateBatch({"nope", "", "", now_, "", ""}).code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, LeasesInIndexOrderAndRepeatedIngestIsHarmless) {
  ASSERT_TRUE(store_->AddItems("b1", Items(5)).ok());
  ASSERT_TRUE(store_->AddItems("b1", Items(5)).ok());  // an interrupted ingest, repeated
  auto first = store_->LeaseItems("b1", 3, now_, 60s);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ((*first)[0].item.index, 0);
  EXPECT_EQ((*first)[2].item.custom_id, "id-2");
  EXPECT_EQ((*first)[0].attempt, 1);
  auto rest = store_->LeaseItems("b1", 10, now_, 60s);
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_TRUE(store_->LeaseItems("b1", 10, now_, 60s)->empty());
  EXPECT_EQ(store_->CountItems("b1")->total, 5);
  EXPECT_EQ(store_->CountItems("b1")->leased, 5);
}

TEST_P(StoreTest, ExpiredLeaseIsHandedOutAgainWithTheNextAttempt) {
  ASSERT_TRUE(store_->AddItems("b1", Items(1)).ok());
  ASSERT_EQ(store_->LeaseItems("b1", 1, now_, 60s)->size(), 1u);
  EXPECT_TRUE(store_->LeaseItems("b1", 1, now_ + 59s, 60s)->empty());
  auto again = store_->LeaseItems("b1", 1, now_ + 61s, 60s);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempt, 2);
  ASSERT_TRUE(store_->ExpireLeases("b1").ok());
  EXPECT_EQ(store_->LeaseItems("b1", 1, now_ + 62s, 60s)->front().attempt, 3);
}

TEST_P(StoreTest, ReleasedItemWaitsForItsRetryTime) {
  ASSERT_TRUE(store_->AddItems("b1", Items(1)).ok());
  ASSERT_EQ(store_->LeaseItems("b1", 1, now_, 60s)->size(), 1u);
  ASSERT_TRUE(store_->ReleaseItem("b1", 0, now_ + 5s).ok());
  EXPECT_EQ(store_->CountItems("b1")->pending, 1);
  EXPECT_TRUE(store_->LeaseItems("b1", 1, now_ + 4s, 60s)->empty());
  EXPECT_EQ(store_->LeaseItems("b1", 1, now_ + 5s, 60s)->size(), 1u);
}

TEST_P(StoreTest, FirstResultWinsAndDoneItemsAreNotLeased) {
  ASSERT_TRUE(store_->AddItems("b1", Items(3)).ok());
  ASSERT_EQ(store_->LeaseItems("b1", 3, now_, 60s)->size(), 3u);
  ASSERT_TRUE(store_->AddResults("b1", {Success(1, R"({"first":1})")}).ok());
  ASSERT_TRUE(store_->AddResults("b1", {Success(1, R"({"second":2})")}).ok());
  ResultRecord failure;
  failure.index = 0;
  failure.custom_id = "id-0";
  failure.status_code = 400;
  failure.body = R"({"error":{}})";
  failure.model = "smart";  // a fallback's answer
  ASSERT_TRUE(store_->AddResults("b1", {failure}).ok());
  auto results = store_->ReadResults("b1", -1, 10);
  ASSERT_EQ(results->size(), 2u);
  EXPECT_EQ((*results)[0].index, 0);
  EXPECT_FALSE((*results)[0].success);
  EXPECT_EQ((*results)[0].model, "smart");
  EXPECT_EQ((*results)[1].model, "");
  EXPECT_EQ((*results)[1].body, R"({"first":1})");
  EXPECT_EQ((*results)[1].usage.completion_tokens, 4);
  EXPECT_EQ(store_->ReadResults("b1", 0, 10)->size(), 1u);  // paging by index
  ItemCounts counts = *store_->CountItems("b1");
  EXPECT_EQ(counts.succeeded, 1);
  EXPECT_EQ(counts.failed, 1);
  EXPECT_EQ(counts.leased, 1);
  EXPECT_EQ(counts.usage.prompt_tokens, 3);  // the first result of item 1 only
  EXPECT_EQ(counts.usage.total_tokens, 7);
  EXPECT_EQ(counts.usage.cached_tokens, 1);
  EXPECT_TRUE(store_->LeaseItems("b1", 10, now_ + 1h, 60s)->size() == 1u);  // only item 2
}

TEST_P(StoreTest, EachResultsCostAndFailureCodeAreStoredAndSummedOnce) {
  ASSERT_TRUE(store_->AddItems("b1", Items(4)).ok());
  ASSERT_EQ(store_->LeaseItems("b1", 4, now_, 60s)->size(), 4u);
  ResultRecord priced = Success(0);
  priced.cost_nanousd = 1'500;
  ResultRecord unpriced = Success(1);  // a model without a price
  ResultRecord limited;
  limited.index = 2;
  limited.status_code = 429;
  limited.cost_nanousd = 0;
  limited.failure_code = "rate_limit_exceeded";
  ResultRecord expired = limited;
  expired.index = 3;
  expired.failure_code = "batch_expired";
  ASSERT_TRUE(store_->AddResults("b1", {priced, unpriced, limited, expired}).ok());
  ResultRecord again = priced;  // a retried commit of the same answer
  again.cost_nanousd = 9'999;
  ASSERT_TRUE(store_->AddResults("b1", {again}).ok());
  ItemCounts counts = *store_->CountItems("b1");
  EXPECT_EQ(counts.cost_nanousd, 1'500);  // counted once, as first written
  EXPECT_EQ(counts.unpriced, 1);
  EXPECT_EQ(counts.failures, (std::map<std::string, std::int64_t>{{"batch_expired", 1},
                                                                  {"rate_limit_exceeded", 1}}));
  auto results = *store_->ReadResults("b1", -1, 10);
  EXPECT_EQ(results[0].cost_nanousd, 1'500);
  EXPECT_EQ(results[1].cost_nanousd, std::nullopt);
  EXPECT_EQ(results[2].failure_code, "rate_limit_exceeded");
}

TEST_P(StoreTest, BatchesDoNotSeeEachOthersItems) {
  ASSERT_TRUE(store_->CreateBatch({"b2", "file:b", "in_progress", now_, "{}", ""}).ok());
  ASSERT_TRUE(store_->AddItems("b1", Items(2)).ok());
  ASSERT_TRUE(store_->AddItems("b2", Items(3)).ok());
  EXPECT_EQ(store_->LeaseItems("b2", 10, now_, 60s)->size(), 3u);
  EXPECT_EQ(store_->CountItems("b1")->pending, 2);
}

TEST_P(StoreTest, DroppedItemsAndResultsAreGoneAndOtherBatchesKeepTheirs) {
  ASSERT_TRUE(store_->CreateBatch({"b2", "file:b", "in_progress", now_, "{}", ""}).ok());
  ASSERT_TRUE(store_->AddItems("b1", Items(3)).ok());
  ASSERT_TRUE(store_->AddItems("b2", Items(2)).ok());
  ASSERT_EQ(store_->LeaseItems("b1", 3, now_, 60s)->size(), 3u);
  ASSERT_TRUE(store_->AddResults("b1", {Success(0), Success(1), Success(2)}).ok());
  ASSERT_TRUE(store_->DropItems("b1").ok());
  EXPECT_TRUE(store_->ReadResults("b1", -1, 10)->empty());
  EXPECT_EQ(store_->CountItems("b1")->total, 0);
  EXPECT_TRUE(store_->GetBatch("b1").ok());  // the batch object stays
  EXPECT_EQ(store_->CountItems("b2")->pending, 2);
  EXPECT_TRUE(store_->DropItems("unknown").ok());
}

TEST_P(StoreTest, ABatchOfManyDropStepsIsDroppedWhole) {
  constexpr int kItems = 2 * kDropStepItems + 7;
  ASSERT_TRUE(store_->AddItems("b1", Items(kItems)).ok());
  std::vector<ResultRecord> results;
  for (int i = 0; i < kItems; i += 3) results.push_back(Success(i));  // sparse: some answered
  ASSERT_TRUE(store_->AddResults("b1", results).ok());
  ASSERT_TRUE(store_->DropItems("b1").ok());
  EXPECT_EQ(store_->CountItems("b1")->total, 0);
  EXPECT_TRUE(store_->ReadResults("b1", -1, 10)->empty());
  EXPECT_TRUE(store_->LeaseItems("b1", 10, now_, 60s)->empty());
}

FileRecord File(std::string id, std::string tenant, WallTime created,
                std::string purpose = "batch") {
  return FileRecord{.id = std::move(id),
                    .tenant = std::move(tenant),
                    .filename = "in.jsonl",
                    .purpose = std::move(purpose),
                    .bytes = 42,
                    .created_at = created,
                    .status = "processed"};
}

std::vector<std::string> Ids(const FilePage& page) {
  std::vector<std::string> ids;
  for (const FileRecord& f : page.files) ids.push_back(f.id);
  return ids;
}

TEST_P(StoreTest, FilesAreCreatedOnceFoundAndDeleted) {
  ASSERT_TRUE(store_->CreateFile(File("file-a", "t1", now_)).ok());
  EXPECT_EQ(store_->CreateFile(File("file-a", "t2", now_)).code(), StatusCode::kAlreadyExists);
  Result<FileRecord> found = store_->GetFile("file-a");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->tenant, "t1");
  EXPECT_EQ(found->filename, "in.jsonl");
  EXPECT_EQ(found->purpose, "batch");
  EXPECT_EQ(found->bytes, 42);
  EXPECT_EQ(found->created_at, now_);
  EXPECT_EQ(found->status, "processed");
  ASSERT_TRUE(store_->DeleteFile("file-a").ok());
  EXPECT_EQ(store_->GetFile("file-a").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteFile("file-a").code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, FilesArePagedInCreationOrderPerTenant) {
  // Two files share a creation time: the id breaks the tie.
  ASSERT_TRUE(store_->CreateFile(File("file-1", "t", now_)).ok());
  ASSERT_TRUE(store_->CreateFile(File("file-3", "t", now_ + 1s)).ok());
  ASSERT_TRUE(store_->CreateFile(File("file-2", "t", now_ + 1s)).ok());
  ASSERT_TRUE(store_->CreateFile(File("file-4", "t", now_ + 2s, "batch_output")).ok());
  ASSERT_TRUE(store_->CreateFile(File("file-x", "other", now_ + 1s)).ok());

  FileQuery query{.tenant = "t",
                  .purpose = std::nullopt,
                  .after = std::nullopt,
                  .limit = 2,
                  .order = SortOrder::kAscending};
  FilePage first = *store_->ListFiles(query);
  EXPECT_EQ(Ids(first), (std::vector<std::string>{"file-1", "file-2"}));
  EXPECT_TRUE(first.has_more);
  query.after = "file-2";
  FilePage second = *store_->ListFiles(query);
  EXPECT_EQ(Ids(second), (std::vector<std::string>{"file-3", "file-4"}));
  EXPECT_FALSE(second.has_more);

  query = {.tenant = "t",
           .purpose = std::nullopt,
           .after = std::nullopt,
           .limit = 10000,
           .order = SortOrder::kDescending};
  EXPECT_EQ(Ids(*store_->ListFiles(query)),
            (std::vector<std::string>{"file-4", "file-3", "file-2", "file-1"}));
  query.after = "file-3";
  EXPECT_EQ(Ids(*store_->ListFiles(query)), (std::vector<std::string>{"file-2", "file-1"}));
  query.after = std::nullopt;
  query.purpose = "batch_output";
  EXPECT_EQ(Ids(*store_->ListFiles(query)), (std::vector<std::string>{"file-4"}));
}

TEST_P(StoreTest, AFileCursorOfAnotherTenantIsNotFound) {
  ASSERT_TRUE(store_->CreateFile(File("file-x", "other", now_)).ok());
  FileQuery query{.tenant = "t",
                  .purpose = std::nullopt,
                  .after = "file-x",
                  .limit = 10,
                  .order = SortOrder::kDescending};
  EXPECT_EQ(store_->ListFiles(query).status().code(), StatusCode::kNotFound);
  query.after = std::nullopt;
  Result<FilePage> empty = store_->ListFiles(query);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->files.empty());
  EXPECT_FALSE(empty->has_more);
}

TEST_P(StoreTest, AFilesExpiryIsKeptAndNoExpiryStaysUnset) {
  FileRecord kept = File("file-kept", "t", now_);
  FileRecord expiring = File("file-exp", "t", now_);
  expiring.expires_at = now_ + 3600s;
  ASSERT_TRUE(store_->CreateFile(kept).ok());
  ASSERT_TRUE(store_->CreateFile(expiring).ok());
  EXPECT_EQ(store_->GetFile("file-kept")->expires_at, std::nullopt);
  EXPECT_EQ(store_->GetFile("file-exp")->expires_at, now_ + 3600s);
}

TEST_P(StoreTest, ExpiredFilesAreListedLongestExpiredFirstAPageAtATime) {
  for (int i = 0; i < 5; ++i) {
    FileRecord file = File("file-" + std::to_string(i), i % 2 == 0 ? "t1" : "t2", now_);
    file.expires_at = now_ + std::chrono::seconds(10 * (5 - i));  // file-4 expires first
    ASSERT_TRUE(store_->CreateFile(file).ok());
  }
  ASSERT_TRUE(store_->CreateFile(File("file-forever", "t1", now_)).ok());
  auto ids = [](const std::vector<FileRecord>& files) {
    std::vector<std::string> out;
    for (const FileRecord& f : files) out.push_back(f.id);
    return out;
  };
  EXPECT_TRUE(store_->ListExpiredFiles(now_ + 9s, 10)->empty());
  // Expiring exactly now counts as expired.
  EXPECT_EQ(ids(*store_->ListExpiredFiles(now_ + 30s, 10)),
            (std::vector<std::string>{"file-4", "file-3", "file-2"}));
  EXPECT_EQ(ids(*store_->ListExpiredFiles(now_ + 1000s, 2)),
            (std::vector<std::string>{"file-4", "file-3"}));
  ASSERT_TRUE(store_->DeleteFile("file-4").ok());
  EXPECT_EQ(ids(*store_->ListExpiredFiles(now_ + 1000s, 10)),
            (std::vector<std::string>{"file-3", "file-2", "file-1", "file-0"}));
}

TEST_P(StoreTest, AListingCanLeaveOutExpiredFiles) {
  FileRecord expiring = File("file-exp", "t", now_);
  expiring.expires_at = now_ + 60s;
  ASSERT_TRUE(store_->CreateFile(expiring).ok());
  ASSERT_TRUE(store_->CreateFile(File("file-kept", "t", now_ + 1s)).ok());
  FileQuery query{.tenant = "t",
                  .purpose = std::nullopt,
                  .after = std::nullopt,
                  .limit = 10,
                  .order = SortOrder::kAscending,
                  .unexpired_at = now_ + 59s};
  EXPECT_EQ(Ids(*store_->ListFiles(query)), (std::vector<std::string>{"file-exp", "file-kept"}));
  query.unexpired_at = now_ + 60s;
  EXPECT_EQ(Ids(*store_->ListFiles(query)), (std::vector<std::string>{"file-kept"}));
}

StoreFactory Sqlite() {
  return {[] {
    auto store = store::sqlite::SqliteStore::Open(TempPath("store.db"));
    return store.ok() ? std::unique_ptr<Store>(std::move(store).value()) : nullptr;
  }};
}

StoreFactory Memory() {
  return {[] { return std::unique_ptr<Store>(std::make_unique<MemoryStore>()); }};
}

// A store of its own (its own key prefix) in this process's redis-server.
StoreFactory Redis() {
  return {[] {
            static int stores = 0;
            redis::RedisStoreOptions options;
            options.key_prefix = "conformance" + std::to_string(stores++);
            auto store = redis::RedisStore::Open(test_support::SharedRedisServer()->url(), options);
            EXPECT_TRUE(store.ok()) << store.status();
            return store.ok() ? std::unique_ptr<Store>(std::move(store).value()) : nullptr;
          },
          true};
}

// One value each: named "Sqlite/StoreTest.X/store", not by the factory's bytes.
std::string Named(const ::testing::TestParamInfo<StoreFactory>&) { return "store"; }

// Items 0 and 1 sent; 2 and 4 share 0's answer, 3 shares 1's.
std::vector<NewItem> WithDuplicates(std::vector<NewItem> items) {
  items[2].duplicate_of = 0;
  items[3].duplicate_of = 1;
  items[4].duplicate_of = 0;
  return items;
}

TEST_P(StoreTest, DuplicatesAreNeverLeasedAndComeWithTheirOriginal) {
  ASSERT_TRUE(store_->AddItems("b1", WithDuplicates(Items(5))).ok());
  auto counts = *store_->CountItems("b1");
  EXPECT_EQ(counts.total, 5);
  EXPECT_EQ(counts.pending, 2);
  auto leased = *store_->LeaseItems("b1", 10, now_, 1h);
  ASSERT_EQ(leased.size(), 2u);
  ASSERT_EQ(leased[0].duplicates.size(), 2u);
  EXPECT_EQ(leased[0].duplicates[0].index, 2);
  EXPECT_EQ(leased[0].duplicates[0].custom_id, "id-2");
  EXPECT_EQ(leased[0].duplicates[1].index, 4);
  ASSERT_EQ(leased[1].duplicates.size(), 1u);
  EXPECT_EQ(leased[1].duplicates[0].index, 3);
  // The original's answer and its copies in one call: all done, the copies not billed.
  ResultRecord copy = Success(2);
  copy.duplicate_of = 0;
  copy.cost_nanousd = 0;
  copy.saved_nanousd = 500;
  ResultRecord sent = Success(0);
  sent.cost_nanousd = 500;
  ASSERT_TRUE(store_->AddResults("b1", {sent, copy}).ok());
  ASSERT_TRUE(store_->ExpireLeases("b1").ok());
  auto again = *store_->LeaseItems("b1", 10, now_, 1h);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].item.index, 1);
  counts = *store_->CountItems("b1");
  EXPECT_EQ(counts.succeeded, 2);
  EXPECT_EQ(counts.usage.prompt_tokens, 3);  // the copy's tokens were billed once, to item 0
  EXPECT_EQ(counts.cost_nanousd, 500);
  EXPECT_EQ(counts.deduplicated, 1);
  EXPECT_EQ(counts.saved_nanousd, 500);
  auto results = *store_->ReadResults("b1", -1, 10);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[1].duplicate_of, 0);
  EXPECT_EQ(results[1].saved_nanousd, 500);
  EXPECT_FALSE(results[0].duplicate_of);
}

TEST_P(StoreTest, ADuplicateOfAnAnsweredOrCopiedLineIsSentItself) {
  // An ingest repeated after item 0 was answered, under rules that also make 3 a copy of 2.
  ASSERT_TRUE(store_->AddItems("b1", Items(3)).ok());
  ASSERT_TRUE(store_->LeaseItems("b1", 1, now_, 1h).ok());
  ASSERT_TRUE(store_->AddResults("b1", {Success(0)}).ok());
  std::vector<NewItem> more = Items(3, 3);
  more[0].duplicate_of = 0;  // answered already: nothing would copy its answer
  more[1].duplicate_of = 1;  // still to be answered: waits for it
  ASSERT_TRUE(store_->AddItems("b1", more).ok());
  std::vector<NewItem> copy_of_copy = Items(1, 6);
  copy_of_copy[0].duplicate_of = 4;  // a copy itself: never sent, so never copied
  ASSERT_TRUE(store_->AddItems("b1", copy_of_copy).ok());
  auto leased = *store_->LeaseItems("b1", 10, now_, 1h);
  std::vector<std::int64_t> indexes;
  for (const auto& l : leased) indexes.push_back(l.item.index);
  EXPECT_EQ(indexes, (std::vector<std::int64_t>{1, 2, 3, 5, 6}));
  ASSERT_EQ(leased[0].duplicates.size(), 1u);
  EXPECT_EQ(leased[0].duplicates[0].index, 4);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreTest, ::testing::Values(Sqlite()), Named);
INSTANTIATE_TEST_SUITE_P(Memory, StoreTest, ::testing::Values(Memory()), Named);
INSTANTIATE_TEST_SUITE_P(Redis, StoreTest, ::testing::Values(Redis()), Named);

TEST(SqliteStoreTest, SurvivesReopenWithEverythingCommitted) {
  std::string path = TempPath("reopen.db");
  WallTime now(std::chrono::seconds(1767225600));
  {
    auto store = std::move(sqlite::SqliteStore::Open(path)).value();
    ASSERT_TRUE(store->CreateBatch({"b", "f", "in_progress", now, "{}", ""}).ok());
    ASSERT_TRUE(store->AddItems("b", {{0, "a", "m", "/v1/embeddings", "{}", 1}}).ok());
  }
  auto store = std::move(sqlite::SqliteStore::Open(path)).value();
  EXPECT_EQ(store->CountItems("b")->pending, 1);
}

TEST(SqliteStoreTest, DiskFullIsResourceExhaustedAndKeepsWhatWasCommitted) {
  std::string path = TempPath("full.db");
  WallTime now(std::chrono::seconds(1767225600));
  auto store = std::move(sqlite::SqliteStore::Open(path, {.max_page_count = 40})).value();
  ASSERT_TRUE(store->CreateBatch({"b", "f", "in_progress", now, "{}", ""}).ok());
  ASSERT_TRUE(store->AddItems("b", {{0, "kept", "m", "/v1/embeddings", "{}", 1}}).ok());
  std::vector<NewItem> big;
  for (int i = 1; i < 200; ++i) {
    big.push_back({i, "id", "m", "/v1/embeddings", std::string(4000, 'x'), 1});
  }
  Status full = store->AddItems("b", big);
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(full.message().find("disk full"), std::string::npos);
  EXPECT_EQ(store->CountItems("b")->total, 1);  // the failed transaction left nothing behind
}

TEST(SqliteStoreTest, RefusesADatabaseOfAnotherLayout) {
  std::string path = TempPath("old.db");
  {
    auto db = std::move(sqlite::Database::Open(path)).value();
    ASSERT_TRUE(db->Exec("CREATE TABLE items(batch_id TEXT, state INTEGER)").ok());
  }
  auto store = sqlite::SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("another version of sluice"), std::string::npos);
}

TEST(SqliteStoreTest, UpgradesTheLayoutBeforeFilesInPlace) {
  std::string path = TempPath("v2.db");
  {
    auto db = std::move(sqlite::Database::Open(path)).value();
    ASSERT_TRUE(db->Exec("CREATE TABLE batches(id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, "
                         "status TEXT NOT NULL, created_at_ms INTEGER NOT NULL, "
                         "data TEXT NOT NULL); PRAGMA user_version=2")
                    .ok());
  }
  auto store = sqlite::SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  WallTime now(std::chrono::seconds(1767225600));
  EXPECT_TRUE((*store)->CreateFile(File("file-a", "t", now)).ok());
}

TEST(SqliteStoreTest, UpgradesFilesWithoutExpiryInPlaceAndTheyNeverExpire) {
  std::string path = TempPath("v4.db");
  {
    auto db = std::move(sqlite::Database::Open(path)).value();
    ASSERT_TRUE(db->Exec("CREATE TABLE batches(id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, "
                         "status TEXT NOT NULL, created_at_ms INTEGER NOT NULL, "
                         "data TEXT NOT NULL, tenant TEXT NOT NULL); "
                         "CREATE TABLE files(id TEXT PRIMARY KEY, tenant TEXT NOT NULL, "
                         "filename TEXT NOT NULL, purpose TEXT NOT NULL, bytes INTEGER NOT NULL, "
                         "created_at_ms INTEGER NOT NULL, status TEXT NOT NULL) WITHOUT ROWID; "
                         "INSERT INTO files VALUES('file-old', 't', 'a.jsonl', 'batch', 1, 0, "
                         "'processed'); PRAGMA user_version=4")
                    .ok());
  }
  auto store = sqlite::SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  Result<FileRecord> old = (*store)->GetFile("file-old");
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->expires_at, std::nullopt);
  WallTime now(std::chrono::seconds(1767225600));
  FileRecord expiring = File("file-new", "t", now);
  expiring.expires_at = now + 3600s;
  ASSERT_TRUE((*store)->CreateFile(expiring).ok());
  Result<std::vector<FileRecord>> expired = (*store)->ListExpiredFiles(now + 7200s, 10);
  ASSERT_TRUE(expired.ok()) << expired.status();
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ(expired->front().id, "file-new");
}

TEST(SqliteStoreTest, UpgradesResultsWithoutAModelInPlace) {
  std::string path = TempPath("v5.db");
  {
    auto db = std::move(sqlite::Database::Open(path)).value();
    ASSERT_TRUE(db->Exec("CREATE TABLE results(batch_id TEXT NOT NULL, idx INTEGER NOT NULL, "
                         "custom_id TEXT NOT NULL, success INTEGER NOT NULL, status_code "
                         "INTEGER NOT NULL, request_id TEXT NOT NULL, body TEXT NOT NULL, "
                         "error_code TEXT NOT NULL, error_message TEXT NOT NULL, prompt_tokens "
                         "INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, total_tokens "
                         "INTEGER NOT NULL, cached_tokens INTEGER NOT NULL, reasoning_tokens "
                         "INTEGER NOT NULL, PRIMARY KEY(batch_id, idx)) WITHOUT ROWID; "
                         "INSERT INTO results VALUES('b', 0, 'id-0', 1, 200, 'r', '{}', '', '', "
                         "1, 2, 3, 0, 0); PRAGMA user_version=5")
                    .ok());
  }
  auto store = sqlite::SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto results = (*store)->ReadResults("b", -1, 10);
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ(results->front().model, "");
  EXPECT_EQ(results->front().usage.total_tokens, 3);
}

TEST(SqliteStoreTest, UpgradesItemsWithoutDedupInPlace) {
  std::string path = TempPath("v7.db");
  WallTime now(std::chrono::seconds(1767225600));
  {
    auto db = std::move(sqlite::Database::Open(path)).value();
    ASSERT_TRUE(db->Exec("CREATE TABLE items(batch_id TEXT NOT NULL, idx INTEGER NOT NULL, "
                         "custom_id TEXT NOT NULL, model TEXT NOT NULL, endpoint TEXT NOT NULL, "
                         "body TEXT NOT NULL, estimated_tokens INTEGER NOT NULL, "
                         "PRIMARY KEY(batch_id, idx)) WITHOUT ROWID; "
                         "CREATE TABLE queue(batch_id TEXT NOT NULL, idx INTEGER NOT NULL, "
                         "state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, "
                         "ready_at_ms INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(batch_id, idx)) "
                         "WITHOUT ROWID; "
                         "INSERT INTO items VALUES('b', 0, 'id-0', 'm', '/v1/embeddings', '{}', 1); "
                         "INSERT INTO queue(batch_id, idx) VALUES('b', 0); PRAGMA user_version=7")
                    .ok());
  }
  auto store = sqlite::SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto leased = (*store)->LeaseItems("b", 10, now, 1h);
  ASSERT_TRUE(leased.ok()) << leased.status();
  ASSERT_EQ(leased->size(), 1u);
  EXPECT_FALSE(leased->front().item.duplicate_of);
  EXPECT_TRUE(leased->front().duplicates.empty());
}

TEST(SqliteStoreTest, DroppingABatchsItemsShrinksTheDatabaseFile) {
  std::string path = TempPath("shrink.db");
  WallTime now(std::chrono::seconds(1767225600));
  auto store = std::move(sqlite::SqliteStore::Open(path)).value();
  ASSERT_TRUE(store->CreateBatch({"b", "f", "in_progress", now, "{}", ""}).ok());
  // Several drop steps, and more free pages than one vacuum step gives back.
  std::string body(1000, 'x');
  std::vector<NewItem> items;
  for (int i = 0; i < 5000; ++i) {
    items.push_back({i, "id-" + std::to_string(i), "m", "/v1/embeddings", body, 10});
  }
  ASSERT_TRUE(store->AddItems("b", items).ok());
  ASSERT_TRUE(store->DropItems("none").ok());  // a no-op, but it checkpoints the WAL
  std::uintmax_t full = std::filesystem::file_size(path);
  ASSERT_GT(full, 5000u * 1000u);  // the 5 MB of bodies are in the file
  ASSERT_TRUE(store->DropItems("b").ok());
  std::uintmax_t after = std::filesystem::file_size(path);
  EXPECT_LT(after, full / 4) << "full " << full << ", after " << after;
  EXPECT_EQ(store->CountItems("b")->total, 0);
}

TEST(SqliteStoreTest, UnopenablePathIsAClearError) {
  auto store = sqlite::SqliteStore::Open("/proc/no-such-dir/store.db");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("/proc/no-such-dir/store.db"), std::string::npos);
}

}  // namespace
}  // namespace sluice::store
