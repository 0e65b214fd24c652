-- CONTRACT §6 (v2): however many codes arrive at once, at most `allowed` wrong ones are evaluated per lockout window.
-- Each evaluation claims its attempt number here, before the code is compared, by counting itself as a failure; an
-- accepted code ends the streak (accept-step.lua deletes the count). So concurrent requests cannot all pass a check
-- made before the first failure was counted.
-- KEYS: 1 lock, 2 consecutive failures, 3 lockouts
-- ARGV: 1 allowed failures
-- Returns {'locked', ms left}, {'exhausted', lockouts so far} (the allowed attempts are taken; the lockout is starting),
-- or {'attempt', n} (1..allowed).
local left = redis.call('PTTL', KEYS[1])
if left > 0 then return {'locked', left} end
local n = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], 86400)
if n > tonumber(ARGV[1]) then return {'exhausted', tonumber(redis.call('GET', KEYS[3]) or '0')} end
return {'attempt', n}
