-- Admits one challenge for a user, atomically (CONTRACT §5 v2): an active push device, suspension, the per-IP limit,
-- then push or quiet. A challenge is pushed unless the user is in cool-down or over a push budget (per minute, per
-- hour, since the last success); then it is created quiet (no wake-up to the phone), up to the quiet cap per hour.
-- Only admitted challenges are counted, each in the log of its kind. Time comes from Redis so that all instances
-- share one clock. The device is read here: one round trip on the create path, and no admission to a device revoked
-- in between.
-- KEYS: 1 suspended, 2 cooldown, 3 user push log, 4 ip log, 5 the user's device projection, 6 pushes since the last
--       success, 7 user quiet log
-- ARGV: 1 pushes per minute, 2 pushes per hour, 3 ip per minute, 4 unique member, 5 has ip (1/0), 6 minute window ms,
--       7 hour window ms, 8 pushes since success, 9 quiet per hour
-- Returns {code, retryAfterMs, deviceId, quietReason}: 0 pushed, 8 quiet (with its reason), 1 suspended,
-- 5 ip/minute, 7 quiet/hour, 6 no active push device.
local device = redis.call('HGET', KEYS[5], 'd')
if not device or device == '' then return {6, 0} end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local minute = tonumber(ARGV[6])
local hour = tonumber(ARGV[7])

local suspended = redis.call('PTTL', KEYS[1])
if suspended > 0 then return {1, suspended} end

-- The window frees up when the entry `limit` places from the newest leaves it.
local function blocked(key, window, limit)
  local count = redis.call('ZCOUNT', key, now - window, '+inf')
  if count < limit then return nil end
  local entry = redis.call('ZRANGEBYSCORE', key, now - window, '+inf', 'WITHSCORES', 'LIMIT', count - limit, 1)
  return math.max(1, tonumber(entry[2]) + window - now)
end

if ARGV[5] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - minute)
  local wait = blocked(KEYS[4], minute, tonumber(ARGV[3]))
  if wait then return {5, wait} end
end

redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - hour)
local quiet = nil
if redis.call('PTTL', KEYS[2]) > 0 then quiet = 'cooldown'
elseif blocked(KEYS[3], minute, tonumber(ARGV[1])) then quiet = 'user_per_minute'
elseif blocked(KEYS[3], hour, tonumber(ARGV[2])) then quiet = 'user_per_hour'
elseif tonumber(redis.call('GET', KEYS[6]) or '0') >= tonumber(ARGV[8]) then quiet = 'since_success'
end

if quiet then
  redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', now - hour)
  local wait = blocked(KEYS[7], hour, tonumber(ARGV[9]))
  if wait then return {7, wait} end
  redis.call('ZADD', KEYS[7], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[7], hour)
else
  redis.call('ZADD', KEYS[3], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[3], hour)
  redis.call('INCR', KEYS[6])
  redis.call('EXPIRE', KEYS[6], 30 * 86400)
end
if ARGV[5] == '1' then
  redis.call('ZADD', KEYS[4], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[4], minute)
end
if quiet then return {8, 0, device, quiet} end
return {0, 0, device}
