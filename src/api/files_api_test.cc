// The Files API end to end over loopback: a real server on 127.0.0.1:0 routing to FilesApi, a
// SQLite store and file bodies in a temporary directory, and a raw HTTP client.
#include "api/files_api.h"

#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>

#include "http/testing/raw_connection.h"
#include "http/testing/server_harness.h"
#include "store/sqlite/sqlite_store.h"

namespace sluice::api {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using http::testing::RawResponse;

constexpr std::string_view kBoundary = "----sluiceBoundary7MA4YWxk";

struct FormPart {
  std::string name;
  std::optional<std::string> filename;
  std::string content;
};

std::string Form(const std::vector<FormPart>& parts) {
  std::string body;
  for (const FormPart& part : parts) {
    body += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" +
            part.name + "\"";
    if (part.filename) body += "; filename=\"" + *part.filename + "\"";
    body += "\r\n";
    if (part.filename) body += "Content-Type: application/octet-stream\r\n";
    body += "\r\n" + part.content + "\r\n";
  }
  return body + "--" + std::string(kBoundary) + "--\r\n";
}

std::string BatchForm(std::string content, std::string filename = "input.jsonl") {
  return Form({{"purpose", std::nullopt, "batch"}, {"file", std::move(filename), content}});
}

// A batch upload whose form says when it expires.
std::string ExpiringForm(std::string anchor, std::string seconds) {
  return Form({{"expires_after[anchor]", std::nullopt, std::move(anchor)},
               {"expires_after[seconds]", std::nullopt, std::move(seconds)},
               {"purpose", std::nullopt, "batch"},
               {"file", "input.jsonl", "{}\n"}});
}

// Bytes that exercise the parser: CRLFs, dashes, a near-boundary, every byte value.
std::string Binary(std::size_t n) {
  std::string s;
  while (s.size() < n) {
    s += "{\"line\":" + std::to_string(s.size()) + "}\r\n--" + std::string(kBoundary.substr(0, 9));
    for (int b = 0; b < 256; b += 7) s.push_back(static_cast<char>(b));
  }
  s.resize(n);
  return s;
}

std::string Request(std::string method, std::string target, std::string_view tenant,
                    std::string body = "", std::string content_type = "") {
  std::string request =
      method + " " + target + " HTTP/1.1\r\nhost: a\r\nx-tenant: " + std::string(tenant) + "\r\n";
  if (!content_type.empty()) request += "content-type: " + content_type + "\r\n";
  if (method == "POST") request += "content-length: " + std::to_string(body.size()) + "\r\n";
  return request + "\r\n" + body;
}

std::string Upload(const std::string& form, std::string_view tenant = "default") {
  return Request("POST", "/v1/files", tenant, form,
                 "multipart/form-data; boundary=" + std::string(kBoundary));
}

boost::json::value Json(const RawResponse& response) {
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(response.body, ec);
  EXPECT_FALSE(ec) << response.body;
  return json;
}

std::string Str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : "";
}

std::string ErrorParam(const RawResponse& response) {
  auto param = Json(response).at("error").at("param");
  return param.is_null() ? "" : std::string(param.as_string());
}

// A server that routes the Files endpoints to one FilesApi; the tenant is the x-tenant header.
class FilesServer {
 public:
  explicit FilesServer(std::int64_t max_upload_bytes = 1 << 20,
                       store::FileBodiesOptions bodies_options = {})
      : data_dir_(MakeTempDir()),
        store_(std::move(store::sqlite::SqliteStore::Open(data_dir_ + "/store.db")).value()),
        bodies_(std::move(store::FileBodies::Open(data_dir_, bodies_options)).value()),
        api_({.store = *store_,
              .bodies = *bodies_,
              .store_executor = store_pool_.get_executor(),
              .clock = clock_},
             {.max_upload_bytes = max_upload_bytes}),
        server_(ServerSettings(), [this](http::Exchange& e) { return Route(e); }) {
    EXPECT_TRUE(server_.start().ok()) << server_.start();
  }

  // The store thread finishes first: work it still holds resumes on the server's io_context.
  ~FilesServer() { store_pool_.join(); }

  Result<RawResponse> Send(const std::string& request) {
    auto conn = server_.Connect();
    SLUICE_RETURN_IF_ERROR(conn.Send(request));
    return conn.ReadResponse();
  }

  // The names in <data_dir>/files (committed bodies and partial ones).
  std::vector<std::string> BodyFiles() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(data_dir_ + "/files")) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

  FakeClock& clock() { return clock_; }
  store::Store& store() { return *store_; }

 private:
  static std::string MakeTempDir() {
    std::string dir = fs::temp_directory_path() / "sluice-files-api-XXXXXX";
    return mkdtemp(dir.data());
  }

  http::ServerOptions ServerSettings() {
    http::ServerOptions options;
    options.stream_body = &FilesApi::StreamsBody;
    options.max_streamed_body_bytes = static_cast<std::uint64_t>(api_.max_request_bytes());
    return options;
  }

  asio::awaitable<void> Route(http::Exchange& exchange) {
    const http::Request& request = exchange.request();
    std::string tenant(request.headers.Get("x-tenant").value_or("default"));
    Scope scope;
    scope.tenant = tenant;
    std::string path(request.Path());
    std::string id = path.starts_with("/v1/files/") ? path.substr(10) : "";
    http::Response response = http::ErrorResponse({.status = 404,
                                                   .type = "invalid_request_error",
                                                   .message = "no route",
                                                   .code = std::nullopt,
                                                   .param = std::nullopt});
    if (request.method == "POST" && path == "/v1/files") {
      co_await api_.Upload(exchange, tenant);
      co_return;
    }
    if (request.method == "GET" && id.ends_with("/content")) {
      std::string file_id = id.substr(0, id.size() - 8);
      co_await api_.Content(exchange, file_id, scope);
      co_return;
    }
    if (request.method == "GET" && path == "/v1/files") {
      response = co_await api_.List(request, tenant);
    } else if (request.method == "GET" && !id.empty()) {
      response = co_await api_.Get(id, scope);
    } else if (request.method == "DELETE" && !id.empty()) {
      response = co_await api_.Delete(id, scope);
    }
    Status sent = co_await exchange.Respond(std::move(response));
    (void)sent;
  }

  std::string data_dir_;
  FakeClock clock_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::unique_ptr<store::FileBodies> bodies_;
  asio::thread_pool store_pool_{1};
  FilesApi api_;
  http::testing::ServerHarness server_;  // last: stopped first
};

// Uploads `form` and returns the new file's id (empty on failure, with a test failure).
std::string UploadOk(FilesServer& server, const std::string& form,
                     std::string_view tenant = "default") {
  Result<RawResponse> response = server.Send(Upload(form, tenant));
  EXPECT_TRUE(response.ok()) << response.status();
  if (!response.ok()) return "";
  EXPECT_EQ(response->status, 200) << response->body;
  if (response->status != 200) return "";
  return std::string(Json(*response).at("id").as_string());
}

// The file `id` answers 404 on GET, content and DELETE, as an unknown id does.
void ExpectGone(FilesServer& server, const std::string& id) {
  for (std::string target : {"/v1/files/" + id, "/v1/files/" + id + "/content"}) {
    Result<RawResponse> gone = server.Send(Request("GET", target, "default"));
    ASSERT_TRUE(gone.ok());
    EXPECT_EQ(gone->status, 404) << target;
    EXPECT_EQ(Str(Json(*gone).at("error").at("message")), "No such File object: " + id);
  }
  EXPECT_EQ(server.Send(Request("DELETE", "/v1/files/" + id, "default"))->status, 404);
}

TEST(FilesApiTest, UploadRetrieveDownloadAndDelete) {
  FilesServer server;
  std::string content = Binary(300 * 1024);
  Result<RawResponse> uploaded = server.Send(Upload(BatchForm(content)));
  ASSERT_TRUE(uploaded.ok()) << uploaded.status();
  ASSERT_EQ(uploaded->status, 200) << uploaded->body;
  boost::json::value file = Json(*uploaded);
  std::string id(file.at("id").as_string());
  EXPECT_TRUE(id.starts_with("file-"));
  EXPECT_EQ(file.at("object"), "file");
  EXPECT_EQ(file.at("bytes"), content.size());
  EXPECT_EQ(file.at("created_at"), 1767225600);
  EXPECT_EQ(file.at("filename"), "input.jsonl");
  EXPECT_EQ(file.at("purpose"), "batch");
  EXPECT_EQ(file.at("status"), "processed");

  Result<RawResponse> got = server.Send(Request("GET", "/v1/files/" + id, "default"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->body, uploaded->body);

  Result<RawResponse> bytes =
      server.Send(Request("GET", "/v1/files/" + id + "/content", "default"));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(bytes->status, 200);
  EXPECT_EQ(bytes->headers.Get("content-type"), "application/octet-stream");
  EXPECT_TRUE(bytes->body == content) << "content is not byte-exact";

  Result<RawResponse> deleted = server.Send(Request("DELETE", "/v1/files/" + id, "default"));
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->body, R"({"id":")" + id + R"(","object":"file","deleted":true})");
  ExpectGone(server, id);
  EXPECT_TRUE(server.BodyFiles().empty());
}

TEST(FilesApiTest, AFileExpiresAsItsFormSaysOrAsOpenAiDoesByDefault) {
  FilesServer server;
  Result<RawResponse> hour = server.Send(Upload(ExpiringForm("created_at", "3600")));
  ASSERT_TRUE(hour.ok()) << hour.status();
  ASSERT_EQ(hour->status, 200) << hour->body;
  EXPECT_EQ(Json(*hour).at("expires_at"), 1767225600 + 3600);
  // purpose=batch: 30 days unless the form says otherwise; other purposes: kept until deleted.
  std::string batch = UploadOk(server, BatchForm("{}\n"));
  std::string tune = UploadOk(
      server, Form({{"purpose", std::nullopt, "fine-tune"}, {"file", "tune.jsonl", "{}\n"}}));
  EXPECT_EQ(Json(*server.Send(Request("GET", "/v1/files/" + batch, "default"))).at("expires_at"),
            1767225600 + 30 * 86400);
  EXPECT_TRUE(Json(*server.Send(Request("GET", "/v1/files/" + tune, "default")))
                  .at("expires_at")
                  .is_null());
}

TEST(FilesApiTest, AnExpiredFileIsGoneForClientsBeforeItIsSwept) {
  FilesServer server;
  Result<RawResponse> uploaded = server.Send(Upload(ExpiringForm("created_at", "3600")));
  ASSERT_TRUE(uploaded.ok() && uploaded->status == 200);
  std::string id(Json(*uploaded).at("id").as_string());
  server.clock().Advance(std::chrono::seconds(3599));
  EXPECT_EQ(server.Send(Request("GET", "/v1/files/" + id, "default"))->status, 200);
  server.clock().Advance(std::chrono::seconds(1));
  ExpectGone(server, id);
  EXPECT_EQ(server.Send(Request("GET", "/v1/files", "default"))->body,
            R"({"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false})");
}

TEST(FilesApiTest, ListPagesWithAfterLimitOrderAndPurpose) {
  FilesServer server;
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(UploadOk(server, BatchForm("{}\n")));
    server.clock().Advance(std::chrono::seconds(1));
  }
  ids.push_back(UploadOk(
      server, Form({{"purpose", std::nullopt, "fine-tune"}, {"file", "tune.jsonl", "{}\n"}})));

  auto list = [&](std::string query) {
    Result<RawResponse> response = server.Send(Request("GET", "/v1/files" + query, "default"));
    EXPECT_TRUE(response.ok() && response->status == 200) << query;
    return response.ok() ? Json(*response) : boost::json::value();
  };
  auto data_ids = [](const boost::json::value& page) {
    std::vector<std::string> out;
    for (const auto& f : page.at("data").as_array()) out.emplace_back(f.at("id").as_string());
    return out;
  };
  boost::json::value first = list("?limit=2&order=asc");
  EXPECT_EQ(data_ids(first), (std::vector<std::string>{ids[0], ids[1]}));
  EXPECT_EQ(Str(first.at("first_id")), ids[0]);
  EXPECT_EQ(Str(first.at("last_id")), ids[1]);
  EXPECT_EQ(first.at("has_more"), true);
  boost::json::value second = list("?limit=2&order=asc&after=" + ids[1]);
  EXPECT_EQ(data_ids(second), (std::vector<std::string>{ids[2], ids[3]}));
  EXPECT_EQ(second.at("has_more"), false);

  EXPECT_EQ(data_ids(list("")), (std::vector<std::string>{ids[3], ids[2], ids[1], ids[0]}));
  EXPECT_EQ(data_ids(list("?purpose=fine-tune")), (std::vector<std::string>{ids[3]}));
  EXPECT_EQ(data_ids(list("?after=" + ids[1])), (std::vector<std::string>{ids[0]}));

  for (std::string bad : {"?limit=0", "?limit=10001", "?order=random", "?after=file-none"}) {
    Result<RawResponse> response = server.Send(Request("GET", "/v1/files" + bad, "default"));
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, 400) << bad;
  }
}

TEST(FilesApiTest, AnotherTenantsFileIsAnswered404LikeAnUnknownId) {
  FilesServer server;
  std::string id = UploadOk(server, BatchForm("{}\n"), "alice");
  for (std::string target : {"/v1/files/" + id, "/v1/files/" + id + "/content"}) {
    Result<RawResponse> theirs = server.Send(Request("GET", target, "bob"));
    Result<RawResponse> unknown =
        server.Send(Request("GET", "/v1/files/file-nope" + target.substr(10 + id.size()), "bob"));
    ASSERT_TRUE(theirs.ok() && unknown.ok());
    EXPECT_EQ(theirs->status, 404);
    EXPECT_EQ(Str(Json(*theirs).at("error").at("message")), "No such File object: " + id);
    EXPECT_EQ(Json(*unknown).at("error").at("type"), Json(*theirs).at("error").at("type"));
  }
  EXPECT_EQ(server.Send(Request("DELETE", "/v1/files/" + id, "bob"))->status, 404);
  Result<RawResponse> bobs = server.Send(Request("GET", "/v1/files", "bob"));
  EXPECT_EQ(bobs->body,
            R"({"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false})");
  EXPECT_EQ(server.Send(Request("GET", "/v1/files/" + id, "alice"))->status, 200);
}

TEST(FilesApiTest, MalformedFormsAre400AndStoreNothing) {
  FilesServer server;
  std::string unterminated = BatchForm("{}\n");
  unterminated.resize(unterminated.size() - 4);  // no closing boundary
  struct Case {
    std::string request;
    std::string param;
  };
  std::vector<Case> cases = {
      {Upload(unterminated), ""},
      {Upload("garbage, not a form at all"), ""},
      {Upload(Form({{"purpose", std::nullopt, "training"}, {"file", "a.jsonl", "{}"}})), "purpose"},
      {Upload(Form({{"file", "a.jsonl", "{}"}, {"purpose", std::nullopt, "training"}})), "purpose"},
      {Upload(BatchForm("{}", "input.csv")), "file"},
      {Upload(Form({{"purpose", std::nullopt, "batch"}})), "file"},
      {Upload(Form({{"file", "a.jsonl", "{}"}})), "purpose"},
      {Request("POST", "/v1/files", "default", R"({"purpose":"batch"})", "application/json"), ""},
      {Request("POST", "/v1/files", "default", BatchForm("{}"), "multipart/form-data"), ""},
      {Upload(ExpiringForm("created_at", "60")), "expires_after[seconds]"},
      {Upload(ExpiringForm("created_at", "2592001")), "expires_after[seconds]"},
      {Upload(ExpiringForm("updated_at", "3600")), "expires_after[anchor]"},
  };
  for (const Case& c : cases) {
    Result<RawResponse> response = server.Send(c.request);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status, 400) << c.request;
    EXPECT_EQ(Json(*response).at("error").at("type"), "invalid_request_error");
    EXPECT_EQ(ErrorParam(*response), c.param) << c.request;
  }
  EXPECT_TRUE(server.BodyFiles().empty());
  store::FileQuery all{.tenant = "default",
                       .purpose = std::nullopt,
                       .after = std::nullopt,
                       .limit = 10,
                       .order = store::SortOrder::kDescending};
  EXPECT_TRUE(server.store().ListFiles(all)->files.empty());
}

TEST(FilesApiTest, TooLargeIs413AndTheTempFileIsGone) {
  FilesServer server(/*max_upload_bytes=*/1000);
  // Declared too large: answered before the body is read.
  std::string huge = BatchForm(std::string(200 * 1024, 'x'));
  Result<RawResponse> declared = server.Send(Upload(huge));
  ASSERT_TRUE(declared.ok()) << declared.status();
  EXPECT_EQ(declared->status, 413);
  // Within the request limit but over the file limit: found while streaming.
  Result<RawResponse> streamed = server.Send(Upload(BatchForm(std::string(1001, 'x'))));
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(streamed->status, 413);
  EXPECT_EQ(Json(*streamed).at("error").at("type"), "invalid_request_error");
  EXPECT_TRUE(server.BodyFiles().empty());
  EXPECT_EQ(server.Send(Upload(BatchForm(std::string(1000, 'x'))))->status, 200);
}

TEST(FilesApiTest, FullDiskIs507InOpenAiShapeWithNothingLeft) {
  FilesServer server(1 << 20, {.fail_writes_after_bytes = 100});
  Result<RawResponse> response = server.Send(Upload(BatchForm(std::string(5000, 'x'))));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 507);
  EXPECT_EQ(Json(*response).at("error").at("type"), "server_error");
  EXPECT_TRUE(server.BodyFiles().empty());
  Result<RawResponse> list = server.Send(Request("GET", "/v1/files", "default"));
  EXPECT_EQ(Json(*list).at("data").as_array().size(), 0u);
}

}  // namespace
}  // namespace sluice::api
