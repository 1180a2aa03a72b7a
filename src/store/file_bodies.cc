// FileBodies over POSIX file calls: write(2) loops, fsync before rename, fsync of the directory
// after it, and errno turned into Status (ENOSPC and EDQUOT are a full disk).
#include "store/file_bodies.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace sluice::store {
namespace {

constexpr std::string_view kPartialSuffix = ".partial";
constexpr std::size_t kMaxIdBytes = 128;
constexpr std::size_t kCopyPieceBytes = 64 * 1024;

Status ErrnoStatus(int error, const std::string& what) {
  std::string message = what + ": " + std::strerror(error);
  switch (error) {
    case ENOSPC:
    case EDQUOT:
      return ResourceExhaustedError("disk full: " + message);
    case ENOENT:
      return NotFoundError(message);
    case EEXIST:
      return AlreadyExistsError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return PermissionDeniedError(message);
    default:
      return InternalError(message);
  }
}

bool IsSafeId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Status CheckId(const std::string& id) {
  if (IsSafeId(id)) return OkStatus();
  return InvalidArgumentError("not a usable file id: '" + id + "'");
}

// Makes a rename or unlink in `directory` durable.
Status SyncDirectory(const std::string& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open " + directory);
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus(error, "cannot sync " + directory);
  return OkStatus();
}

}  // namespace

FileBodies::Writer::Writer(int fd, std::string partial, std::string path,
                           std::optional<std::int64_t> limit)
    : fd_(fd), partial_(std::move(partial)), path_(std::move(path)), limit_(limit) {}

FileBodies::Writer::Writer(Writer&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      partial_(std::move(other.partial_)),
      path_(std::move(other.path_)),
      limit_(other.limit_),
      bytes_(other.bytes_) {}

FileBodies::Writer& FileBodies::Writer::operator=(Writer&& other) noexcept {
  if (this != &other) {
    Abort();
    fd_ = std::exchange(other.fd_, -1);
    partial_ = std::move(other.partial_);
    path_ = std::move(other.path_);
    limit_ = other.limit_;
    bytes_ = other.bytes_;
  }
  return *this;
}

FileBodies::Writer::~Writer() { Abort(); }

void FileBodies::Writer::Abort() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  ::unlink(partial_.c_str());
}

Status FileBodies::Writer::Fail(Status status) {
  Abort();
  return status;
}

Status FileBodies::Writer::Append(std::string_view data) {
  if (fd_ < 0) return FailedPreconditionError("the file " + path_ + " is no longer being written");
  if (limit_ && bytes_ + static_cast<std::int64_t>(data.size()) > *limit_) {
    return Fail(ErrnoStatus(ENOSPC, "cannot write " + partial_));
  }
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(ErrnoStatus(errno, "cannot write " + partial_));
    data.remove_prefix(static_cast<std::size_t>(n));
    bytes_ += n;
  }
  return OkStatus();
}

Result<std::int64_t> FileBodies::Writer::Commit() {
  if (fd_ < 0) return FailedPreconditionError("the file " + path_ + " is no longer being written");
  // A full disk may show only now, when delayed allocation is flushed.
  if (::fsync(fd_) != 0) return Fail(ErrnoStatus(errno, "cannot sync " + partial_));
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) {
    int error = errno;
    ::unlink(partial_.c_str());
    return ErrnoStatus(error, "cannot close " + partial_);
  }
  if (::rename(partial_.c_str(), path_.c_str()) != 0) {
    int error = errno;
    ::unlink(partial_.c_str());
    return ErrnoStatus(error, "cannot rename " + partial_);
  }
  Status synced = SyncDirectory(std::filesystem::path(path_).parent_path());
  if (!synced.ok()) {
    ::unlink(path_.c_str());
    return synced;
  }
  return bytes_;
}

FileBodies::Reader::Reader(Reader&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileBodies::Reader& FileBodies::Reader::operator=(Reader&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FileBodies::Reader::~Reader() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::string> FileBodies::Reader::Read(std::size_t max) {
  std::string out(max, '\0');
  for (;;) {
    ssize_t n = ::read(fd_, out.data(), max);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, "cannot read a file body");
    out.resize(static_cast<std::size_t>(n));
    return out;
  }
}

Result<std::unique_ptr<FileBodies>> FileBodies::Open(const std::string& data_dir,
                                                     FileBodiesOptions options) {
  std::filesystem::path directory = std::filesystem::path(data_dir) / "files";
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return ErrnoStatus(ec.value(), "cannot create " + directory.string());
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().string().ends_with(kPartialSuffix)) std::filesystem::remove(entry.path(), ec);
  }
  if (ec) return ErrnoStatus(ec.value(), "cannot clean up " + directory.string());
  return std::unique_ptr<FileBodies>(new FileBodies(directory.string(), options));
}

Result<FileBodies::Writer> FileBodies::Begin(const std::string& id) const {
  SLUICE_RETURN_IF_ERROR(CheckId(id));
  std::string path = PathOf(id);
  std::string partial = path + std::string(kPartialSuffix);
  int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus(errno, "cannot create " + partial);
  return Writer(fd, std::move(partial), std::move(path), options_.fail_writes_after_bytes);
}

Result<FileBodies::Reader> FileBodies::Read(const std::string& id) const {
  SLUICE_RETURN_IF_ERROR(CheckId(id));
  std::string path = PathOf(id);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open " + path);
  return Reader(fd);
}

Status FileBodies::Adopt(const std::string& id, const std::string& source_path) const {
  SLUICE_RETURN_IF_ERROR(CheckId(id));
  if (::rename(source_path.c_str(), PathOf(id).c_str()) == 0) return SyncDirectory(directory_);
  if (errno != EXDEV)
    return ErrnoStatus(errno, "cannot move " + source_path + " into " + directory_);
  int fd = ::open(source_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open " + source_path);
  Reader source(fd);
  SLUICE_ASSIGN_OR_RETURN(Writer copy, Begin(id));
  for (;;) {
    SLUICE_ASSIGN_OR_RETURN(std::string piece, source.Read(kCopyPieceBytes));
    if (piece.empty()) break;
    SLUICE_RETURN_IF_ERROR(copy.Append(piece));
  }
  SLUICE_ASSIGN_OR_RETURN(std::int64_t unused, copy.Commit());
  (void)unused;
  ::unlink(source_path.c_str());
  return OkStatus();
}

Status FileBodies::Remove(const std::string& id) const {
  SLUICE_RETURN_IF_ERROR(CheckId(id));
  std::string path = PathOf(id);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return ErrnoStatus(errno, "cannot remove " + path);
  }
  return OkStatus();
}

std::string FileBodies::PathOf(const std::string& id) const { return directory_ + "/" + id; }

}  // namespace sluice::store
