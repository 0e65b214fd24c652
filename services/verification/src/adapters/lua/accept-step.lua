-- A TOTP code is good once: its time step must be later than the last accepted one (RFC 6238 §5.2). An accepted code
-- ends the failure streak and is announced (vigil.totp.verified: a proof for replacing a device, the end of a push
-- miss streak) in the same step.
-- KEYS: 1 last accepted step, 2 failures, 3 lockouts, 4 outbox stream. ARGV: 1 step, 2 ttl seconds, 3.. outbox args
-- Returns the outbox ids, or false when the step was used already.
local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) <= last then return false end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
redis.call('DEL', KEYS[2], KEYS[3])
return outbox_append(KEYS[4], 3)
