#include "runtime/targets.h"

namespace sluice::runtime {

Result<std::vector<scheduler::Target>> Targets(const config::Config& config) {
  std::vector<scheduler::Target> targets;
  for (const config::ModelConfig& model : config.models) {
    for (std::size_t i = 0; i < model.deployments.size(); ++i) {
      const config::DeploymentConfig& d = model.deployments[i];
      if (d.provider == config::ProviderKind::kAnthropic) {
        return UnimplementedError("model " + model.name +
                                  ": anthropic deployments are not supported yet");
      }
      ratelimit::LimiterOptions limits;
      limits.name = model.name + "#" + std::to_string(i);  // as DeploymentName
      limits.rpm = d.rpm;
      limits.tpm = d.tpm;
      limits.max_in_flight = static_cast<int>(d.max_in_flight);
      targets.push_back(
          {model.name, providers::MakeOpenAiProvider({d.base_url, d.api_key, d.model, limits.name}),
           std::move(limits), d.timeout});
    }
  }
  return targets;
}

std::string DeploymentName(const std::vector<scheduler::Target>& targets, std::size_t index) {
  std::size_t ordinal = 0;
  for (std::size_t i = 0; i < index; ++i) ordinal += targets[i].model == targets[index].model;
  return targets[index].model + "#" + std::to_string(ordinal);
}

}  // namespace sluice::runtime
