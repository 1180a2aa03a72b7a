#include "runtime/gateway_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/thread_pool.hpp>
#include <filesystem>

#include "api/auth.h"
#include "api/batches_api.h"
#include "api/files_api.h"
#include "api/gateway.h"
#include "api/proxy.h"
#include "http/client.h"
#include "http/offload.h"
#include "http/server.h"
#include "metrics/metrics.h"
#include "mock/mock_provider.h"
#include "providers/answer_class.h"
#include "runtime/batch_webhooks.h"
#include "runtime/deployment_health.h"
#include "runtime/dry_run_plan.h"
#include "runtime/mode_decision.h"
#include "runtime/provider_targets.h"
#include "runtime/retention_sweeper.h"
#include "runtime/targets.h"
#include "scheduler/dispatcher.h"
#include "store/file_bodies.h"
#include "store/redis/redis_store.h"
#include "store/sqlite/sqlite_store.h"
#include "tokens/tokenizers.h"

namespace sluice::runtime {
namespace asio = boost::asio;

namespace {

config::ModelConfig BuiltInModel(const std::string& name, config::DeploymentConfig deployment,
                                 std::int64_t rpm, std::int64_t tpm) {
  deployment.model = name;
  deployment.rpm = rpm;
  deployment.tpm = tpm;
  config::ModelConfig model;
  model.name = name;
  model.deployments = {std::move(deployment)};
  return model;
}

class Server final : public GatewayServer {
 public:
  Server(asio::io_context& io, Clock& clock) : io_(io), clock_(clock) {}
  ~Server() override {
    // The blocking threads may still hold work that refers to the store: finish it first.
    store_thread_.join();
    ingest_thread_.join();
    output_thread_.join();
    drop_thread_.join();
    webhook_thread_.join();
  }

  Status Init(config::Config config, const std::function<void(const std::string&)>& announce,
              std::unique_ptr<store::Store> store);
  std::uint16_t port() const override { return server_->port(); }
  std::vector<std::string> models() const override { return config_.ModelNames(); }
  void Drain(std::function<void()> done) override;

 private:
  void RefreshMetrics();
  void ObserveUpstream();
  asio::awaitable<void> RunEngine();
  asio::awaitable<void> ResumeBatches();

  asio::io_context& io_;
  Clock& clock_;
  config::Config config_;
  asio::thread_pool store_thread_{1};
  asio::thread_pool ingest_thread_{1};
  asio::thread_pool output_thread_{1};  // writes finished batches' output files
  asio::thread_pool drop_thread_{1};    // then drops their items (Store::DropItems)
  asio::thread_pool webhook_thread_{1};  // the webhooks' outbox files
  std::unique_ptr<mock::MockProvider> mock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::FileBodies> bodies_;
  std::unique_ptr<http::Client> client_;
  std::unique_ptr<scheduler::Dispatcher> dispatcher_;
  std::vector<std::string> deployment_names_;
  std::unique_ptr<tokens::Tokenizers> tokenizers_;
  std::unique_ptr<api::Authenticator> auth_;
  metrics::Metrics metrics_;
  std::unique_ptr<api::Proxy> proxy_;
  std::unique_ptr<api::FilesApi> files_;
  std::unique_ptr<BatchWebhooks> webhooks_;  // before batches_, which calls it
  std::unique_ptr<api::BatchesApi> batches_;
  std::unique_ptr<api::Gateway> gateway_;
  std::unique_ptr<RetentionSweeper> sweeper_;
  std::unique_ptr<http::Server> server_;
  bool engine_done_ = false;
  std::function<void()> on_engine_done_;
};

Status Server::Init(config::Config config, const std::function<void(const std::string&)>& announce,
                    std::unique_ptr<store::Store> store) {
  if (config.models.empty()) {
    const char* key = std::getenv("OPENAI_API_KEY");
    std::string openai_key = key != nullptr ? key : "";
    std::string mock_url;
    if (openai_key.empty()) {
      mock::MockOptions options;
      options.rpm = 6000;
      options.tpm = 2'000'000;
      SLUICE_ASSIGN_OR_RETURN(mock_,
                              mock::MockProvider::Start(io_, options, SystemClock::Instance()));
      mock_url = "http://127.0.0.1:" + std::to_string(mock_->port()) + "/v1";
      announce(
          "no models configured and no OPENAI_API_KEY: routing to the built-in mock "
          "provider at " +
          mock_url + " (its answers are made up)");
    } else {
      announce(
          "no models configured: routing gpt-4o-mini and text-embedding-3-small to "
          "OpenAI with OPENAI_API_KEY");
    }
    config = WithBuiltInModels(std::move(config), openai_key, mock_url);
  }
  config_ = std::move(config);
  const std::string& data_dir = config_.store.data_dir;
  std::error_code ec;
  std::filesystem::create_directories(data_dir + "/tmp", ec);
  if (ec) return UnavailableError("cannot create " + data_dir + ": " + ec.message());
  if (store) {
    store_ = std::move(store);
  } else if (!config_.store.url.empty()) {
    // No fallback to SQLite: a node on its own store would run batches nobody else sees.
    SLUICE_ASSIGN_OR_RETURN(store_, store::redis::RedisStore::Open(config_.store.url));
  } else {
    SLUICE_ASSIGN_OR_RETURN(store_, store::sqlite::SqliteStore::Open(data_dir + "/sluice.db"));
  }
  SLUICE_ASSIGN_OR_RETURN(bodies_, store::FileBodies::Open(data_dir));
  SLUICE_ASSIGN_OR_RETURN(auto targets, Targets(config_, SystemClock::Instance()));
  http::ClientOptions client_options;
  client_options.max_connections_per_origin = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    client_options.max_connections_per_origin +=
        static_cast<std::size_t>(targets[i].limits.max_in_flight);
    deployment_names_.push_back(DeploymentName(targets, i));
  }
  client_ = http::Client::Create(io_.get_executor(), client_options);
  scheduler::DispatcherOptions options;
  options.window = 8192;  // over every batch being run: 1,024 each when eight run at once
  options.max_batches = static_cast<std::size_t>(config_.max_running_batches);
  options.retry.max_attempts = static_cast<int>(config_.retry.max_attempts);
  options.retry.base_delay = config_.retry.base_delay;
  options.retry.max_delay = config_.retry.max_delay;
  options.fallbacks = FallbacksOf(config_);
  dispatcher_ = std::make_unique<scheduler::Dispatcher>(
      io_.get_executor(), store_thread_.get_executor(), clock_, *store_, *client_,
      std::move(targets), options);
  ObserveUpstream();
  for (const config::GatewayKey& key : config_.keys) {
    dispatcher_->SetTenantLimits(key.name, {key.rpm, key.tpm});
    dispatcher_->SetKeyBudget(key.name, key.budget);
  }
  auth_ = std::make_unique<api::Authenticator>(config_.keys);
  tokenizers_ = tokens::Tokenizers::Open(tokens::Tokenizers::DefaultDirectories());
  api::ProxyOptions proxy_options;
  proxy_options.estimate.tokenizers = tokenizers_.get();
  proxy_options.estimate.counted_as = CountedAs(config_);
  proxy_options.max_wait = config_.proxy.max_wait;
  proxy_options.stream_idle_timeout = config_.proxy.stream_idle_timeout;
  proxy_options.counting_executor = ingest_thread_.get_executor();
  proxy_ = std::make_unique<api::Proxy>(*dispatcher_, *client_, clock_, proxy_options);
  files_ = std::make_unique<api::FilesApi>(
      api::FilesApiDeps{*store_, *bodies_, store_thread_.get_executor(), clock_},
      api::FilesApiOptions{config_.files.max_upload_bytes, config_.retention.batch_input_files});
  api::BatchesApiOptions batch_options;
  batch_options.models = config_.ModelNames();
  batch_options.work_dir = data_dir + "/tmp";
  batch_options.ingest.estimate = proxy_options.estimate;
  batch_options.ingest.dedup = config_.dedup;
  batch_options.output_executor = output_thread_.get_executor();
  batch_options.output_file_expiry = config_.retention.batch_output_files;
  batch_options.drop_executor = drop_thread_.get_executor();
  batch_options.dry_run = [this](const batch::IngestReport& report, Duration time_left) {
    return DryRunJson(report, PlanDryRun(config_, report, time_left));
  };
  SLUICE_ASSIGN_OR_RETURN(webhooks_, BatchWebhooks::Create(io_.get_executor(),
                                                           webhook_thread_.get_executor(), clock_,
                                                           config_));
  if (webhooks_) {
    BatchWebhooks& hooks = *webhooks_;
    batch_options.on_terminal = [&hooks](const boost::json::object& batch,
                                         const std::string& tenant) {
      return hooks.OnTerminal(batch, tenant);
    };
    batch_options.webhook_url_problem = [&hooks](std::string_view url) {
      return hooks.UrlProblem(url);
    };
  }
  batch_options.default_mode = config_.batch_mode;
  // Real time as the dispatcher's limiters believe it now (the headers may have lowered it).
  ThroughputOf live = [this](const std::string& model) {
    return LimiterThroughput(*dispatcher_, model);
  };
  batch_options.decide_mode = [this, live](const batch::IngestReport& report,
                                           config::BatchMode requested, Duration time_left) {
    return DecideMode(config_, report, {requested, time_left, clock_.WallNow(), live});
  };
  batch_options.deadline_of = [this, live](WallTime at) { return DeadlineOf(config_, at, live); };
  batch_options.provider_runner = [this]() -> std::unique_ptr<provider_batch::ProviderBatchRunner> {
    // Its own adapters (the dispatcher owns its targets); the gateway's client and store.
    auto adapters = Targets(config_, clock_);
    std::vector<scheduler::Target> none;
    return std::make_unique<provider_batch::ProviderBatchRunner>(
        io_.get_executor(), store_thread_.get_executor(), clock_, *store_,
        ProviderTargets(config_, adapters.ok() ? *adapters : none, *client_),
        config_.provider_batches);
  };
  batches_ = std::make_unique<api::BatchesApi>(io_.get_executor(), store_thread_.get_executor(),
                                               ingest_thread_.get_executor(), clock_, *store_,
                                               *bodies_, *dispatcher_, std::move(batch_options));
  store::Store& probed = *store_;
  auto probe = [this, &probed]() -> asio::awaitable<Status> {
    auto ping = [&probed] { return probed.GetBatch("").status(); };
    Status pinged =
        co_await http::Offload<Status>(store_thread_.get_executor(), io_.get_executor(), ping);
    co_return pinged.code() == StatusCode::kNotFound ? OkStatus() : pinged;
  };
  gateway_ = std::make_unique<api::Gateway>(api::GatewayParts{
      *auth_, metrics_, *proxy_, *files_, *batches_, config_.ModelNames(), clock_.WallNow(), probe,
      [this] { RefreshMetrics(); }, [this] { return dispatcher_->StoreTrouble(); }});

  http::ServerOptions server_options;
  server_options.host = config_.listen.host;
  server_options.port = config_.listen.port;
  server_options.max_connections = static_cast<std::size_t>(config_.max_connections);
  server_options.stream_body = api::FilesApi::StreamsBody;
  server_options.max_streamed_body_bytes = files_->max_request_bytes();
  api::Gateway& gateway = *gateway_;
  auto handler = [&gateway](http::Exchange& exchange) { return gateway.Handle(exchange); };
  SLUICE_ASSIGN_OR_RETURN(server_, http::Server::Start(io_, server_options, handler));

  sweeper_ = std::make_unique<RetentionSweeper>(
      RetentionSweeperDeps{io_.get_executor(), store_thread_.get_executor(), clock_, *store_,
                           *bodies_},
      RetentionSweeperOptions{.interval = config_.retention.sweep_interval, .page = 100});

  asio::co_spawn(io_, RunEngine(), asio::detached);
  asio::co_spawn(io_, ResumeBatches(), asio::detached);
  asio::co_spawn(io_, sweeper_->Run(), asio::detached);
  if (webhooks_) asio::co_spawn(io_, webhooks_->Run(), asio::detached);
  return OkStatus();
}

asio::awaitable<void> Server::RunEngine() {
  Status ran = co_await dispatcher_->Run();
  if (!ran.ok()) spdlog::error("the dispatcher stopped: {}", ran.ToString());
  engine_done_ = true;
  if (on_engine_done_) on_engine_done_();
}

asio::awaitable<void> Server::ResumeBatches() {
  Status resumed = co_await batches_->Resume();
  if (!resumed.ok()) spdlog::error("cannot resume batches: {}", resumed.ToString());
}

void Server::ObserveUpstream() {
  scheduler::UpstreamObserver observer;
  observer.started = [this](int d) { metrics_.UpstreamStarted(deployment_names_[d]); };
  observer.finished = [this](int d, const providers::Outcome& outcome, Duration latency) {
    metrics_.UpstreamFinished(deployment_names_[d], outcome.status_code, latency);
    metrics_.CountAnswer(deployment_names_[d],
                         providers::AnswerClassName(providers::ClassOf(outcome)));
    metrics_.CountTokens(dispatcher_->targets()[d].model, outcome.usage.prompt_tokens,
                         outcome.usage.completion_tokens);
  };
  observer.retried = [this](int d) { metrics_.CountRetry(deployment_names_[d]); };
  dispatcher_->SetObserver(std::move(observer));
}

void Server::RefreshMetrics() {
  TimePoint now = clock_.Now();
  const scheduler::Planner& planner = dispatcher_->planner();
  for (std::size_t d = 0; d < deployment_names_.size(); ++d) {
    const auto& limiter = planner.limiter(static_cast<int>(d));
    metrics_.SetLimiterHeadroom(deployment_names_[d], limiter.AvailableRequests(now).value_or(-1),
                                limiter.AvailableTokens(now).value_or(-1));
    metrics_.SetDeploymentHealth(deployment_names_[d], Health(planner, static_cast<int>(d), now));
  }
  for (std::string_view status : {"validating", "in_progress", "finalizing", "cancelling"}) {
    metrics_.SetBatches(status, 0);
  }
  for (const auto& [status, count] : batches_->ActiveByStatus()) {
    metrics_.SetBatches(status, count);
  }
  metrics_.SetItemsQueued(static_cast<std::int64_t>(planner.queued()));
}

void Server::Drain(std::function<void()> done) {
  gateway_->SetReady(false);
  server_->Drain([this, done = std::move(done)]() mutable {
    sweeper_->Stop();
    if (webhooks_) webhooks_->Stop();  // what is not delivered yet stays in the outbox
    batches_->Stop();
    dispatcher_->Stop();
    if (mock_) mock_->Drain();
    if (engine_done_) {
      done();
    } else {
      on_engine_done_ = std::move(done);
    }
  });
}

}  // namespace

config::Config WithBuiltInModels(config::Config config, const std::string& openai_api_key,
                                 const std::string& mock_base_url) {
  config::DeploymentConfig deployment;
  if (openai_api_key.empty()) {
    deployment.provider = config::ProviderKind::kOpenAiCompatible;
    deployment.base_url = mock_base_url;
    config.models.push_back(BuiltInModel("gpt-4o-mini", deployment, 6000, 2'000'000));
    config.models.push_back(BuiltInModel("text-embedding-3-small", deployment, 6000, 2'000'000));
  } else {
    // OpenAI's first usage tier; the provider's headers correct them from the first answer.
    deployment.provider = config::ProviderKind::kOpenAi;
    deployment.base_url = "https://api.openai.com/v1";
    deployment.api_key = openai_api_key;
    config.models.push_back(BuiltInModel("gpt-4o-mini", deployment, 500, 200'000));
    config.models.push_back(BuiltInModel("text-embedding-3-small", deployment, 3000, 1'000'000));
  }
  return config;
}

Result<std::unique_ptr<GatewayServer>> GatewayServer::Start(
    asio::io_context& io, config::Config config,
    const std::function<void(const std::string&)>& announce, GatewaySeams seams) {
  Clock& clock = seams.clock != nullptr ? *seams.clock : SystemClock::Instance();
  auto server = std::make_unique<Server>(io, clock);
  SLUICE_RETURN_IF_ERROR(server->Init(std::move(config), announce, std::move(seams.store)));
  return std::unique_ptr<GatewayServer>(std::move(server));
}

}  // namespace sluice::runtime
