-- Applies a factors snapshot to the channel projection unless an equal or newer version is there.
-- KEYS: 1 device channel hash. ARGV: 1 version (-1 = tombstone), 2 device id ('' = none), 3 channel, 4 token
local version = tonumber(ARGV[1])
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '-1')
if version >= 0 and current >= version then return 0 end
if version < 0 then redis.call('DEL', KEYS[1]) return 1 end
redis.call('HSET', KEYS[1], 'v', version, 'd', ARGV[2], 'c', ARGV[3], 'k', ARGV[4])
return 1
