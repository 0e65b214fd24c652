-- Applies a factors snapshot to the device projection unless an equal or newer version is already there.
-- KEYS: 1 device key. ARGV: 1 device id ('' = no push device), 2 version (-1 = tombstone: always applies)
local version = tonumber(ARGV[2])
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '-1')
if version >= 0 and current >= version then return 0 end
if ARGV[1] == '' then
  if version < 0 then redis.call('DEL', KEYS[1]) else redis.call('HSET', KEYS[1], 'v', version, 'd', '') end
else
  redis.call('HSET', KEYS[1], 'v', version, 'd', ARGV[1])
end
return 1
