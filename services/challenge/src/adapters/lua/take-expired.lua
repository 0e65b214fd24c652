-- Takes due challenges off the expiry index and marks the still-pending ones expired. ZREM inside the script makes
-- each challenge belong to exactly one caller, however many instances sweep at once: one expired event each.
-- KEYS: 1 expiry index. ARGV: 1 now ms, 2 limit, 3 challenge key prefix, 4 now ISO
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local taken = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local key = ARGV[3] .. id
  if redis.call('HGET', key, 's') == 'pending' then
    redis.call('HSET', key, 's', 'expired', 'da', ARGV[4])
    table.insert(taken, redis.call('HGETALL', key))
  end
end
return taken
