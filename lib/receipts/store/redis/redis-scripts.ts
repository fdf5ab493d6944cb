import { createHash } from 'node:crypto';

// The Lua scripts of RedisReceiptStore: each step of the receipt path is one atomic script, and
// the per-receipt steps take a whole batch of receipts at once (one round trip per batch).
// Every key carries the store's hash tag, so a script's keys always share one Cluster slot.
// Times: `TIME` (Redis's clock) for marks that bound real network waits; the module's clock
// (passed in) for schedules, leases of due entries and the query rate.

/** A script with its SHA1, for EVALSHA. */
export interface RedisScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

function script(name: string, source: string): RedisScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

const REDIS_NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Pending entries (correlation). KEYS: per receipt [pending, sending]. ARGV[1]: '1' to answer
 * 'S' when no entry exists but a send to the number is marked in flight.
 * Answers per receipt: {templateCode, signName, outId, sentAt, nextCheckAt, checks}, 'S' or 0.
 */
export const FIND_SENDS = script(
  'findSends',
  `${REDIS_NOW}
local out = {}
for i = 1, #KEYS, 2 do
  local f = redis.call('HMGET', KEYS[i], 't', 's', 'o', 'a', 'n', 'c')
  if f[1] then
    out[#out + 1] = {f[1], f[2], f[3] or '', f[4], f[5], f[6]}
  elseif ARGV[1] == '1' and redis.call('ZCOUNT', KEYS[i + 1], now, '+inf') > 0 then
    -- Marks past their expiry are left to the set's own expiry (refreshed by each new mark).
    out[#out + 1] = 'S'
  else
    out[#out + 1] = 0
  end
end
return out`,
);

/** Claims. KEYS: per receipt [done, claim]. ARGV: [leaseMs, owner]. Answers 'settled' | 'claimed' | 'busy' per receipt. */
export const CLAIM = script(
  'claim',
  `local out = {}
for i = 1, #KEYS, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    out[#out + 1] = 'settled'
  elseif redis.call('SET', KEYS[i + 1], ARGV[2], 'NX', 'PX', ARGV[1]) then
    out[#out + 1] = 'claimed'
  else
    out[#out + 1] = 'busy'
  end
end
return out`,
);

/**
 * Settlements. KEYS: [due, then per receipt: done, claim, pending, report, awaited].
 * ARGV: [dedupeMs, reportTtlMs, channel, then per receipt: dueMember or '', report JSON or ''].
 * A report is kept for later waits and published only when some instance awaits it.
 */
export const SETTLE = script(
  'settle',
  `local n = (#KEYS - 1) / 5
for i = 0, n - 1 do
  local k = 2 + i * 5
  local a = 4 + i * 2
  redis.call('SET', KEYS[k], '1', 'PX', ARGV[1])
  redis.call('DEL', KEYS[k + 1])
  if ARGV[a] ~= '' then
    redis.call('DEL', KEYS[k + 2])
    redis.call('ZREM', KEYS[1], ARGV[a])
  end
  if ARGV[a + 1] ~= '' then
    redis.call('SET', KEYS[k + 3], ARGV[a + 1], 'PX', ARGV[2])
    if redis.call('EXISTS', KEYS[k + 4]) == 1 then redis.call('PUBLISH', ARGV[3], ARGV[a + 1]) end
  end
end
return n`,
);

/**
 * New pending entries, unless already pending or already settled. KEYS: [due, then per entry:
 * pending, done]. ARGV: [ttlMs, then per entry: member, templateCode, signName, outId, sentAt,
 * nextCheckAt, checks]. Answers how many were added.
 */
export const ADD_PENDING = script(
  'addPending',
  `local added = 0
local n = (#KEYS - 1) / 2
for i = 0, n - 1 do
  local k = 2 + i * 2
  local a = 2 + i * 7
  if redis.call('EXISTS', KEYS[k]) == 0 and redis.call('EXISTS', KEYS[k + 1]) == 0 then
    redis.call('HSET', KEYS[k], 't', ARGV[a + 1], 's', ARGV[a + 2], 'o', ARGV[a + 3], 'a', ARGV[a + 4], 'n', ARGV[a + 5], 'c', ARGV[a + 6])
    redis.call('PEXPIRE', KEYS[k], ARGV[1])
    redis.call('ZADD', KEYS[1], ARGV[a + 5], ARGV[a])
    added = added + 1
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return added`,
);

/**
 * Leases due entries: their score moves to now + lease, so no other caller sees them meanwhile.
 * Members whose entry expired are dropped. KEYS: [due]. ARGV: [now, limit, leaseMs, pending key
 * prefix]. Answers per entry {member, templateCode, signName, outId, sentAt, nextCheckAt, checks}.
 */
export const CLAIM_DUE = script(
  'claimDue',
  `local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local leaseUntil = string.format('%d', tonumber(ARGV[1]) + tonumber(ARGV[3]))
local out = {}
for _, m in ipairs(members) do
  local f = redis.call('HMGET', ARGV[4] .. m, 't', 's', 'o', 'a', 'n', 'c')
  if f[1] then
    redis.call('ZADD', KEYS[1], leaseUntil, m)
    out[#out + 1] = {m, f[1], f[2], f[3] or '', f[4], f[5], f[6]}
  else
    redis.call('ZREM', KEYS[1], m)
  end
end
return out`,
);

/** Ends a due entry's lease. KEYS: [due, pending]. ARGV: [member, nextCheckAt, checked '1'|'0']. */
export const RESCHEDULE = script(
  'reschedule',
  `if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[2], 'n', ARGV[2])
if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[2], 'c', 1) end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1`,
);

/**
 * The deployment-wide QuerySendDetails token bucket. KEYS: [bucket]. ARGV: [perSecond, now].
 * Answers the ms to wait before the query may go (a token is reserved either way).
 */
export const TAKE_QUERY_TOKEN = script(
  'takeQueryToken',
  `local rate = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local f = redis.call('HMGET', KEYS[1], 'k', 'at')
local tokens = rate
if f[1] then tokens = math.min(rate, tonumber(f[1]) + math.max(0, now - tonumber(f[2])) * rate / 1000) end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'k', tostring(tokens), 'at', ARGV[2])
redis.call('PEXPIRE', KEYS[1], 60000)
if tokens >= 0 then return 0 end
return math.ceil(-tokens * 1000 / rate)`,
);

/** Marks sends in flight. KEYS: one sending set per number. ARGV: [ttlMs, token]. */
export const BEGIN_SENDS = script(
  'beginSends',
  `${REDIS_NOW}
local expires = string.format('%d', now + tonumber(ARGV[1]))
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], expires, ARGV[2])
  redis.call('PEXPIRE', KEYS[i], ARGV[1])
end
return #KEYS`,
);

/** Ends marks. KEYS: the sending sets. ARGV: [token]. */
export const END_SENDS = script(
  'endSends',
  `for i = 1, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
return #KEYS`,
);

/**
 * A settled report, else marks it awaited for watchMs (so that its settlement is published).
 * KEYS: [report, awaited]. ARGV: [watchMs].
 */
export const FIND_REPORT = script(
  'findReport',
  `local r = redis.call('GET', KEYS[1])
if r then return r end
local w = tonumber(ARGV[1])
if w > 0 and redis.call('PTTL', KEYS[2]) < w then redis.call('SET', KEYS[2], '1', 'PX', ARGV[1]) end
return false`,
);

/** Drops claims. KEYS: the claims. A script, so that it queues behind a timed-out CLAIM on the same connection. */
export const RELEASE = script('release', `for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end
return #KEYS`);
