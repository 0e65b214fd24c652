-- One of the device's few long-poll places, across every instance (CONTRACT §6 v2). Places are members of a sorted
-- set scored by their expiry, so that a place whose holder died frees itself; time is Redis' own, the same for every
-- instance.
-- KEYS: 1 the device's places
-- ARGV: 1 holder id, 2 longest hold in ms, 3 places per device
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
-- The set lives as long as its longest hold: a short poll must not shorten the life of longer ones' places.
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return 1
