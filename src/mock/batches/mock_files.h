// MockFiles: the mock's OpenAI Files API — uploads (multipart, purpose "batch"), file objects,
// content and deletion — held in memory, plus the files the mock's batches write (purpose
// "batch_output"). Thread-compatible: one owner (MockApi).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "http/message.h"

namespace sluice::mock {

struct MockFile {
  std::string id;  // "file-…"
  std::string filename;
  std::string purpose;
  std::int64_t created_at = 0;  // Unix seconds
  std::string content;
};

class MockFiles {
 public:
  // Routes /v1/files and /v1/files/{id}[/content]: POST (multipart `file` + `purpose`), GET
  // (object or raw content), DELETE. Errors in OpenAI's shape (400 naming the missing field,
  // 404 "No such File object: …").
  http::Response Handle(const http::Request& request, std::int64_t now_seconds,
                        const std::string& new_id);

  // Adds a file the mock made (a batch's output or error file) and returns its id.
  std::string Add(MockFile file);
  const MockFile* Find(const std::string& id) const;

 private:
  std::map<std::string, MockFile> files_;
};

// The File object of `file` as OpenAI sends it (status "processed").
std::string FileObjectJson(const MockFile& file);

}  // namespace sluice::mock
