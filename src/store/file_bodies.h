// FileBodies: the bytes of files, one file per id under <data_dir>/files/. A file is written
// beside its final name ("<id>.partial") and renamed into place only once complete and synced, so
// a crash or a full disk never leaves half a file under a real name. Every call blocks on the
// disk: run it on the store's blocking executor, never on an event loop.
// Thread-safe (FileBodies holds no mutable state); a Writer or Reader has one owner at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sluice::store {

struct FileBodiesOptions {
  // Test seam: a Writer's write past this many bytes fails as it would on a full disk.
  std::optional<std::int64_t> fail_writes_after_bytes;
};

class FileBodies {
 public:
  // Writes one new file. Destroying a Writer that was not committed aborts it.
  class Writer {
   public:
    Writer(Writer&& other) noexcept;
    Writer& operator=(Writer&& other) noexcept;
    ~Writer();

    // Appends `data`. kResourceExhausted ("disk full ...") when the disk or quota is full;
    // after any error the partial file is already gone and later calls fail.
    Status Append(std::string_view data);
    // Syncs the file, renames it to its final name and syncs the directory. Returns its size.
    // On error nothing remains. The writer is finished either way.
    Result<std::int64_t> Commit();
    // Removes the partial file (a no-op once finished).
    void Abort();
    std::int64_t bytes() const { return bytes_; }

   private:
    friend class FileBodies;
    Writer(int fd, std::string partial, std::string path, std::optional<std::int64_t> limit);
    Status Fail(Status status);

    int fd_ = -1;  // -1 once finished
    std::string partial_;
    std::string path_;
    std::optional<std::int64_t> limit_;
    std::int64_t bytes_ = 0;
  };

  // Reads one file from its start.
  class Reader {
   public:
    Reader(Reader&& other) noexcept;
    Reader& operator=(Reader&& other) noexcept;
    ~Reader();
    // The next bytes, at most `max`; empty at the end.
    Result<std::string> Read(std::size_t max);

   private:
    friend class FileBodies;
    explicit Reader(int fd) : fd_(fd) {}
    int fd_ = -1;
  };

  // Creates <data_dir>/files if needed and removes the partial files a crash left behind.
  static Result<std::unique_ptr<FileBodies>> Open(const std::string& data_dir,
                                                  FileBodiesOptions options = {});

  // Starts the file `id`, which must be made of [A-Za-z0-9_-] (ids from NewId are):
  // kInvalidArgument for another id; kAlreadyExists when `id` is being written already.
  Result<Writer> Begin(const std::string& id) const;
  // Opens the complete file `id`; kNotFound when there is none.
  Result<Reader> Read(const std::string& id) const;
  // Moves the complete file at `source_path` in as `id`: renamed when it is on the same
  // filesystem, copied (then removed) otherwise. The source is never left half-moved.
  Status Adopt(const std::string& id, const std::string& source_path) const;
  // Removes the file `id`; OK when there is none.
  Status Remove(const std::string& id) const;
  // Where the complete file `id` is (or would be).
  std::string PathOf(const std::string& id) const;

 private:
  FileBodies(std::string directory, FileBodiesOptions options)
      : directory_(std::move(directory)), options_(options) {}

  const std::string directory_;
  const FileBodiesOptions options_;
};

}  // namespace sluice::store
