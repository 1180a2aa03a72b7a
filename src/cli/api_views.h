// How `sluice batches` and `sluice files` show the API's objects on a terminal: table rows,
// key-value details and the live line of `batches wait`. Pure: JSON objects in, text out; a
// field that is missing or of another type shows as "-".
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "cli/table.h"

namespace sluice::cli {

// ID, STATUS, ENDPOINT, DONE (completed+failed / total), FAILED, CREATED.
TableRow BatchListHeader();
TableRow BatchRow(const boost::json::object& batch);
// "id: batch_…\nstatus: in_progress\n…": every field a user looks at, one per line.
std::string BatchDetails(const boost::json::object& batch);

// ID, PURPOSE, BYTES, CREATED, EXPIRES, FILENAME.
TableRow FileListHeader();
TableRow FileRow(const boost::json::object& file);
std::string FileDetails(const boost::json::object& file);

// True for completed, failed, expired and cancelled.
bool IsTerminal(const std::string& status);
// What `batches wait` exits with for a batch's terminal status: completed 0, failed 1,
// expired 3, cancelled 4 (2 is a usage error).
int WaitExitCode(const std::string& status);

// "[########............] 412/1000 41%  3 failed  34.2 req/s  ETA 17s  in_progress" — the ETA
// from `requests_per_second` (the rate seen while waiting; none when 0).
std::string WaitLine(const boost::json::object& batch, double requests_per_second);

// The string field `key`, or "-".
std::string Text(const boost::json::object& object, const char* key);
// The integer field `key` (a number or a nested "a.b" path), or 0.
std::int64_t Number(const boost::json::object& object, const char* key);

}  // namespace sluice::cli
