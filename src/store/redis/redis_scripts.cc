// Times arrive as decimal text and stay text in the scripts: Lua's numbers are doubles, and a
// nanosecond time does not fit one exactly. Counts and sums within one script do.
#include "store/redis/redis_scripts.h"

#include <string>

namespace sluice::store::redis::scripts {

// What the scripts that take an item out of the stream share: its entry is acknowledged (no longer
// pending in the group), deleted, and forgotten.
const std::string kForgetEntry = R"lua(
local function forget_entry(queue, entry, index)
  local id = redis.call('HGET', entry, index)
  if id then
    redis.call('XACK', queue, 'workers', id)
    redis.call('XDEL', queue, id)
    redis.call('HDEL', entry, index)
  end
end
)lua";

#define SLUICE_SCRIPT(name, text)     \
  const Script& name() {              \
    static const Script script(text); \
    return script;                    \
  }

// KEYS: batch, batches, tenant-batches, with-status, fingerprint, seq.
// ARGV: id, fingerprint, status, created, data, tenant, sortable created.
SLUICE_SCRIPT(CreateBatch, R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.error_reply('EXISTS batch ' .. ARGV[1] .. ' exists')
end
local seq = string.format('%020d', redis.call('INCR', KEYS[6]))
redis.call('HSET', KEYS[1], 'fingerprint', ARGV[2], 'status', ARGV[3], 'created', ARGV[4],
           'data', ARGV[5], 'tenant', ARGV[6], 'order', ARGV[7], 'seq', seq)
redis.call('ZADD', KEYS[2], 0, ARGV[7] .. ' ' .. ARGV[1])
redis.call('ZADD', KEYS[3], 0, ARGV[7] .. ' ' .. ARGV[1])
redis.call('ZADD', KEYS[4], 0, ARGV[7] .. ' ' .. seq .. ' ' .. ARGV[1])
redis.call('ZADD', KEYS[5], 0, ARGV[7] .. ' ' .. seq .. ' ' .. ARGV[1])
return 1
)lua")

// KEYS: batch. ARGV: id, status, data, the with-status keys' prefix.
SLUICE_SCRIPT(UpdateBatch, R"lua(
local old = redis.call('HMGET', KEYS[1], 'status', 'order', 'seq')
if not old[1] then return redis.error_reply('NOTFOUND no batch ' .. ARGV[1]) end
if old[1] ~= ARGV[2] then
  local member = old[2] .. ' ' .. old[3] .. ' ' .. ARGV[1]
  redis.call('ZREM', ARGV[4] .. old[1], member)
  redis.call('ZADD', ARGV[4] .. ARGV[2], 0, member)
end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'data', ARGV[3])
return 1
)lua")

// KEYS: file, tenant-files, expiring.
// ARGV: id, tenant, filename, purpose, bytes, created, sortable created, expires ('' for never),
// sortable expires, status.
SLUICE_SCRIPT(CreateFile, R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.error_reply('EXISTS file ' .. ARGV[1] .. ' exists')
end
redis.call('HSET', KEYS[1], 'tenant', ARGV[2], 'filename', ARGV[3], 'purpose', ARGV[4],
           'bytes', ARGV[5], 'created', ARGV[6], 'order', ARGV[7], 'status', ARGV[10])
redis.call('ZADD', KEYS[2], 0, ARGV[7] .. ' ' .. ARGV[1])
if ARGV[8] ~= '' then
  redis.call('HSET', KEYS[1], 'expires', ARGV[8], 'expires_order', ARGV[9])
  redis.call('ZADD', KEYS[3], 0, ARGV[9] .. ' ' .. ARGV[1])
end
return 1
)lua")

// KEYS: file, expiring. ARGV: id, the tenant-files keys' prefix.
SLUICE_SCRIPT(DeleteFile, R"lua(
local f = redis.call('HMGET', KEYS[1], 'tenant', 'order', 'expires_order')
if not f[1] then return redis.error_reply('NOTFOUND no file ' .. ARGV[1]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', ARGV[2] .. f[1], f[2] .. ' ' .. ARGV[1])
if f[3] then redis.call('ZREM', KEYS[2], f[3] .. ' ' .. ARGV[1]) end
return 1
)lua")

// KEYS: tenant-files. ARGV: tenant, the file keys' prefix, after ('' for the first page),
// '1' ascending / '0' descending, '1' to filter by purpose, purpose, sortable unexpired-at ('' for
// no filter), limit. Returns up to limit + 1 files, each {id, filename, purpose, bytes, created,
// expires or false, status}.
SLUICE_SCRIPT(ListFiles, R"lua(
local ascending = ARGV[4] == '1'
local limit = tonumber(ARGV[8])
local from = ascending and '-' or '+'
if ARGV[3] ~= '' then
  local cursor = redis.call('HMGET', ARGV[2] .. ARGV[3], 'tenant', 'order')
  if cursor[1] ~= ARGV[1] then return redis.error_reply('NOTFOUND no file ' .. ARGV[3]) end
  from = '(' .. cursor[2] .. ' ' .. ARGV[3]
end
local to = ascending and '+' or '-'
local out = {}
while #out <= limit do
  local page
  if ascending then
    page = redis.call('ZRANGEBYLEX', KEYS[1], from, to, 'LIMIT', 0, 256)
  else
    page = redis.call('ZREVRANGEBYLEX', KEYS[1], from, to, 'LIMIT', 0, 256)
  end
  for _, member in ipairs(page) do
    local id = string.sub(member, 22)
    local f = redis.call('HMGET', ARGV[2] .. id, 'filename', 'purpose', 'bytes', 'created',
                         'expires', 'status', 'expires_order')
    local wanted = f[1] and (ARGV[5] ~= '1' or f[2] == ARGV[6]) and
                   (ARGV[7] == '' or not f[7] or f[7] > ARGV[7])
    if wanted then
      out[#out + 1] = {id, f[1], f[2], f[3], f[4], f[5], f[6]}
      if #out > limit then break end
    end
  end
  if #page < 256 then break end
  from = '(' .. page[#page]
end
return out
)lua")

// KEYS: items, queue, entry, counts, copies, waiting, results.
// ARGV, 4 per item: index, encoded item, the index it duplicates ('' for none), its member of
// `waiting` ('' for none). A duplicate waits for its original only if that one exists, is no copy
// itself and has no result yet (Store::AddItems); otherwise it is queued as any item.
SLUICE_SCRIPT(AddItems, R"lua(
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('XGROUP', 'CREATE', KEYS[2], 'workers', '0', 'MKSTREAM')
end
local added, queued = 0, 0
for i = 1, #ARGV, 4 do
  local index, original = ARGV[i], ARGV[i + 2]
  if redis.call('HSETNX', KEYS[1], index, ARGV[i + 1]) == 1 then
    added = added + 1
    if original ~= '' and redis.call('HEXISTS', KEYS[1], original) == 1 and
       redis.call('HEXISTS', KEYS[5], original) == 0 and
       redis.call('HEXISTS', KEYS[7], original) == 0 then
      redis.call('HSET', KEYS[5], index, ARGV[i + 3])
      redis.call('ZADD', KEYS[6], 0, ARGV[i + 3])
    else
      redis.call('HSET', KEYS[3], index, redis.call('XADD', KEYS[2], '*', 'i', index))
      queued = queued + 1
    end
  end
end
if added > 0 then redis.call('HINCRBY', KEYS[4], 'total', added) end
if queued > 0 then redis.call('HINCRBY', KEYS[4], 'pending', queued) end
return added
)lua")

// KEYS: queue, entry, leases, delayed, attempts, items, counts, results, waiting.
// ARGV: now (µs), lease end (µs), max, consumer. Returns {index, attempt, encoded item, the
// `waiting` members of its duplicates} each.
// Three sources, in order: retries whose time has come go back into the stream; leases that
// ended (their holder died) are claimed from the pending entries; then new stream entries.
SLUICE_SCRIPT(LeaseItems, R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
local max = tonumber(ARGV[3])
local out = {}
local due = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ARGV[1], 'LIMIT', 0, max)
for _, index in ipairs(due) do
  redis.call('ZREM', KEYS[4], index)
  redis.call('HSET', KEYS[2], index, redis.call('XADD', KEYS[1], '*', 'i', index))
end
local function lease(index)
  redis.call('ZADD', KEYS[3], ARGV[2], index)
  local attempt = redis.call('HINCRBY', KEYS[5], index, 1)
  local key = string.format('%020d', tonumber(index))
  local copies = redis.call('ZRANGEBYLEX', KEYS[9], '[' .. key .. ' ', '(' .. key .. '!')
  out[#out + 1] = {index, attempt, redis.call('HGET', KEYS[6], index), copies}
end
local ended = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1], 'LIMIT', 0, max)
for _, index in ipairs(ended) do
  local id = redis.call('HGET', KEYS[2], index)
  if id then redis.call('XCLAIM', KEYS[1], 'workers', ARGV[4], 0, id) end
  lease(index)
end
local fresh = 0  -- new entries leased: pending -> leased
if #out < max then
  local read = redis.call('XREADGROUP', 'GROUP', 'workers', ARGV[4], 'COUNT', max - #out,
                          'STREAMS', KEYS[1], '>')
  if read then
    for _, entry in ipairs(read[1][2]) do
      local index = entry[2][2]
      if redis.call('HEXISTS', KEYS[8], index) == 1 or
         redis.call('HGET', KEYS[2], index) ~= entry[1] then
        -- answered or released since it was queued: a stale entry
        redis.call('XACK', KEYS[1], 'workers', entry[1])
        redis.call('XDEL', KEYS[1], entry[1])
      else
        lease(index)
        fresh = fresh + 1
      end
    end
  end
end
if fresh > 0 then
  redis.call('HINCRBY', KEYS[7], 'pending', -fresh)
  redis.call('HINCRBY', KEYS[7], 'leased', fresh)
end
return out
)lua")

// KEYS: queue, entry, leases, delayed, counts. ARGV: index, retry time (µs).
SLUICE_SCRIPT(ReleaseItem, kForgetEntry + R"lua(
if redis.call('ZREM', KEYS[3], ARGV[1]) == 0 then return 0 end
forget_entry(KEYS[1], KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
redis.call('HINCRBY', KEYS[5], 'leased', -1)
redis.call('HINCRBY', KEYS[5], 'pending', 1)
return 1
)lua")

// KEYS: queue, entry, leases, delayed, counts.
SLUICE_SCRIPT(ExpireLeases, kForgetEntry + R"lua(
local leased = redis.call('ZRANGE', KEYS[3], 0, -1)
for _, index in ipairs(leased) do
  forget_entry(KEYS[1], KEYS[2], index)
  redis.call('ZADD', KEYS[4], 0, index)
end
redis.call('DEL', KEYS[3])
if #leased > 0 then
  redis.call('HINCRBY', KEYS[5], 'leased', -#leased)
  redis.call('HINCRBY', KEYS[5], 'pending', #leased)
end
return #leased
)lua")

// KEYS: results, answered, leases, delayed, entry, queue, counts, items, copies, waiting.
// ARGV, 12 per result: index, encoded result, success ('1'/'0'), prompt, completion, total,
// cached and reasoning tokens, cost ('' when unpriced), failure code, '1' for a copy of another
// line's answer (dedup: counted apart, its usage billed once to that line) else '0', saved cost.
// The first result of an item wins; it acknowledges the item's stream entry.
SLUICE_SCRIPT(AddResults, kForgetEntry + R"lua(
local counters = {'prompt_tokens', 'completion_tokens', 'total_tokens', 'cached_tokens',
                  'reasoning_tokens'}
local delta = {}  -- counter -> change, written once at the end
local function add(name, by)
  delta[name] = (delta[name] or 0) + by
end
for i = 1, #ARGV, 12 do
  local index = ARGV[i]
  if redis.call('HSETNX', KEYS[1], index, ARGV[i + 1]) == 1 then
    redis.call('ZADD', KEYS[2], index, index)
    if ARGV[i + 2] == '1' then
      add('succeeded', 1)
    else
      add('failed', 1)
      add('failure:' .. ARGV[i + 9], 1)
    end
    if ARGV[i + 10] == '1' then
      add('deduplicated', 1)
      add('saved_nanousd', tonumber(ARGV[i + 11]))
    else
      for k, name in ipairs(counters) do add(name, tonumber(ARGV[i + 2 + k])) end
      if ARGV[i + 8] == '' then
        add('unpriced', 1)
      else
        add('cost_nanousd', tonumber(ARGV[i + 8]))
      end
    end
    local waiting = redis.call('HGET', KEYS[9], index)
    if waiting then  -- a duplicate: never queued, so neither pending nor leased
      redis.call('HDEL', KEYS[9], index)
      redis.call('ZREM', KEYS[10], waiting)
    elseif redis.call('ZREM', KEYS[3], index) == 1 then
      add('leased', -1)
    elseif redis.call('HEXISTS', KEYS[8], index) == 1 then
      redis.call('ZREM', KEYS[4], index)
      add('pending', -1)
    end
    forget_entry(KEYS[6], KEYS[5], index)
  end
end
-- '%d' writes the sum exactly (a double holds integers exactly up to 2^53: a script's sums of
-- tokens and of billionths of a dollar stay far below).
for name, by in pairs(delta) do
  if by ~= 0 then redis.call('HINCRBY', KEYS[7], name, string.format('%d', by)) end
end
return 1
)lua")

// KEYS: answered, results. ARGV: after index, limit. Returns the encoded results.
SLUICE_SCRIPT(ReadResults, R"lua(
local indexes = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'LIMIT', 0, ARGV[2])
local out = {}
for i, index in ipairs(indexes) do out[i] = redis.call('HGET', KEYS[2], index) end
return out
)lua")

#undef SLUICE_SCRIPT

}  // namespace sluice::store::redis::scripts
