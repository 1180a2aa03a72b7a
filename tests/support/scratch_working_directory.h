// ScratchWorkingDirectory: a gtest environment that moves a test binary into a fresh temporary
// directory before its tests run and removes it after, so what a `sluice` it starts writes
// relative to its working directory (a fixture's `data_dir: ./sluice-test-data`, the default
// ./sluice-data) lands there, not wherever the binary was started, and binaries run side by side.
// Every other path a test uses must be absolute (SLUICE_BIN, SLUICE_FIXTURES_DIR are).
// Register it once per binary, at namespace scope:
//   const auto* const kScratch = ::testing::AddGlobalTestEnvironment(new ScratchWorkingDirectory);
// Single-threaded: gtest calls it before the first test and after the last.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace sluice::test_support {

class ScratchWorkingDirectory : public ::testing::Environment {
 public:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "sluice-cwd-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << "cannot create a temporary directory";
    dir_ = pattern;
    previous_ = std::filesystem::current_path();
    std::filesystem::current_path(dir_);
  }

  void TearDown() override {
    if (dir_.empty()) return;
    std::error_code ec;
    std::filesystem::current_path(previous_, ec);
    std::filesystem::remove_all(dir_, ec);
  }

 private:
  std::filesystem::path dir_;
  std::filesystem::path previous_;
};

}  // namespace sluice::test_support
