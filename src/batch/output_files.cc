#include "batch/output_files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "batch/output_line.h"

namespace sluice::batch {
namespace {

constexpr std::size_t kPage = 1000;

// A file written under "<path>.partial" and renamed to `path` by Commit.
class PendingFile {
 public:
  static Result<std::unique_ptr<PendingFile>> Create(const std::string& path) {
    std::string partial = path + ".partial";
    std::FILE* file = std::fopen(partial.c_str(), "wb");
    if (file == nullptr) return Error("cannot create", partial);
    return std::unique_ptr<PendingFile>(new PendingFile(path, partial, file));
  }
  ~PendingFile() {
    if (file_ != nullptr) {
      std::fclose(file_);
      std::remove(partial_.c_str());
    }
  }

  Status WriteLine(const std::string& line) {
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() ||
        std::fputc('\n', file_) == EOF) {
      return Error("cannot write", partial_);
    }
    return OkStatus();
  }

  Status Commit() {
    bool flushed = std::fflush(file_) == 0;
    int closed = std::fclose(file_);
    file_ = nullptr;
    if (!flushed || closed != 0) {
      Status status = Error("cannot write", partial_);
      std::remove(partial_.c_str());
      return status;
    }
    if (std::rename(partial_.c_str(), path_.c_str()) != 0) return Error("cannot rename", path_);
    return OkStatus();
  }

 private:
  PendingFile(std::string path, std::string partial, std::FILE* file)
      : path_(std::move(path)), partial_(std::move(partial)), file_(file) {}

  static Status Error(std::string_view what, const std::string& path) {
    std::string message = std::string(what) + " " + path + ": " + std::strerror(errno);
    return errno == ENOSPC ? ResourceExhaustedError(message + " (disk full)")
                           : UnavailableError(message);
  }

  std::string path_;
  std::string partial_;
  std::FILE* file_;
};

}  // namespace

Result<OutputCounts> WriteOutputFiles(const ResultPager& pager, const std::string& batch_id,
                                      const std::string& output_path,
                                      const std::optional<std::string>& errors_path) {
  SLUICE_ASSIGN_OR_RETURN(auto output, PendingFile::Create(output_path));
  std::unique_ptr<PendingFile> errors;
  if (errors_path) {
    SLUICE_ASSIGN_OR_RETURN(errors, PendingFile::Create(*errors_path));
  }
  OutputCounts counts;
  std::int64_t after = -1;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(std::vector<ResultRecord> page, pager(after, kPage));
    if (page.empty()) break;
    for (const ResultRecord& result : page) {
      PendingFile& target = (!result.success && errors) ? *errors : *output;
      SLUICE_RETURN_IF_ERROR(target.WriteLine(FormatResultLine(result, batch_id)));
      counts.Add(result);
    }
    after = page.back().index;
  }
  SLUICE_RETURN_IF_ERROR(output->Commit());
  if (errors) SLUICE_RETURN_IF_ERROR(errors->Commit());
  return counts;
}

}  // namespace sluice::batch
