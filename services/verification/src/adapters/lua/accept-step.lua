-- A TOTP code is good once: its time step must be later than the last accepted one (RFC 6238 §5.2).
-- KEYS: 1 last accepted step. ARGV: 1 step, 2 ttl seconds
local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) <= last then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
return 1
