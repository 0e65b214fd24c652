-- A device's decision: only a pending, unexpired challenge changes, and only once (two concurrent responses → one wins).
-- KEYS: 1 challenge hash, 2 device's pending index. ARGV: 1 status, 2 now ms, 3 challenge id
local status = redis.call('HGET', KEYS[1], 's')
if not status then return 'missing' end
if status ~= 'pending' then
  if status == 'expired' then return 'expired' end
  return 'already_decided'
end
if tonumber(redis.call('HGET', KEYS[1], 'ea')) <= tonumber(ARGV[2]) then return 'expired' end
redis.call('HSET', KEYS[1], 's', ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[3])
return 'decided'
