-- A TOTP code is good once: its time step must be later than the last accepted one (RFC 6238 §5.2). An accepted code
-- ends the failure streak and is announced (vigil.totp.verified: a proof for replacing a device, the end of a push
-- miss streak) in the same step. A repeat of the accepted code, after its first try answered 503 because that event
-- could not reach Kafka and while it still waits in the outbox, gets the entry back, so that its caller publishes it
-- and answers as the first time (CONTRACT §2: a repeat converges). Only after such a 503 (the caller marks it): a
-- second use of the code while the first request is still being answered is a reuse, never a second acceptance.
-- A valid code also lifts a lockout that the last allowed attempt started (claim-attempt.lua starts it before the
-- comparison): the user proved they hold the secret.
-- KEYS: 1 last accepted step, 2 failures, 3 lockouts, 4 outbox stream, 5 the accepted step's outbox entries, 6 lock,
--       7 the step whose first answer was 503
-- ARGV: 1 step, 2 ttl seconds, 3.. outbox args
-- Returns {'accepted', ids}, {'undelivered', {{id, topic, key, value, headers}...}}, or false (the step was used).
local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) <= last then
  local sent = redis.call('GET', KEYS[5])
  local prefix = ARGV[1] .. '|'
  if not sent or tonumber(ARGV[1]) ~= last or string.sub(sent, 1, #prefix) ~= prefix then return false end
  if redis.call('GET', KEYS[7]) ~= ARGV[1] then return false end
  local waiting = outbox_waiting(KEYS[4], string.sub(sent, #prefix + 1))
  if #waiting == 0 then return false end
  return {'undelivered', waiting}
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
redis.call('DEL', KEYS[2], KEYS[3], KEYS[6])
local ids = outbox_append(KEYS[4], 3)
redis.call('SET', KEYS[5], ARGV[1] .. '|' .. table.concat(ids, ','), 'EX', tonumber(ARGV[2]))
return {'accepted', ids}
