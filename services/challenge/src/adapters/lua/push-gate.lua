-- Admits one push for a user, atomically: an active push device, suspension, cool-down, then sliding-window logs (a
-- sorted set of admission times per user and per tenant+IP). Only admitted pushes are counted. Time comes from Redis
-- so that all instances share one clock. The device is read here rather than before: one round trip on the create
-- path instead of two, and no push is admitted to a device revoked in between.
-- KEYS: 1 suspended, 2 cooldown, 3 user log, 4 ip log, 5 the user's device projection
-- ARGV: 1 per-minute limit, 2 per-hour limit, 3 ip per-minute limit, 4 unique member, 5 has ip (1/0),
--       6 minute window ms, 7 hour window ms
-- Returns {code, retryAfterMs, deviceId}: 0 admitted (with the device id), 1 suspended, 2 cool-down, 3 user/minute,
-- 4 user/hour, 5 ip/minute, 6 no active push device.
local device = redis.call('HGET', KEYS[5], 'd')
if not device or device == '' then return {6, 0} end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local minute = tonumber(ARGV[6])
local hour = tonumber(ARGV[7])

local suspended = redis.call('PTTL', KEYS[1])
if suspended > 0 then return {1, suspended} end
local cooldown = redis.call('PTTL', KEYS[2])
if cooldown > 0 then return {2, cooldown} end

-- The window frees up when the entry `limit` places from the newest leaves it.
local function blocked(key, window, limit)
  local count = redis.call('ZCOUNT', key, now - window, '+inf')
  if count < limit then return nil end
  local entry = redis.call('ZRANGEBYSCORE', key, now - window, '+inf', 'WITHSCORES', 'LIMIT', count - limit, 1)
  return math.max(1, tonumber(entry[2]) + window - now)
end

redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - hour)
local wait = blocked(KEYS[3], hour, tonumber(ARGV[2]))
if wait then return {4, wait} end
wait = blocked(KEYS[3], minute, tonumber(ARGV[1]))
if wait then return {3, wait} end
if ARGV[5] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - minute)
  wait = blocked(KEYS[4], minute, tonumber(ARGV[3]))
  if wait then return {5, wait} end
  redis.call('ZADD', KEYS[4], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[4], minute)
end
redis.call('ZADD', KEYS[3], now, ARGV[4])
redis.call('PEXPIRE', KEYS[3], hour)
return {0, 0, device}
