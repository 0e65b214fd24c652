-- CONTRACT §6 (v2): however many codes arrive at once, at most `allowed` wrong ones are evaluated per lockout window.
-- Each evaluation claims its attempt number here, before the code is compared, by counting itself as a failure; an
-- accepted code ends the streak and lifts the lock (accept-step.lua). The last allowed attempt starts the lockout in
-- this same step, before its code is even compared: whatever becomes of that request (a crash, a Redis error), the
-- count can never stay past the limit without a lock, and one burst starts one lockout.
-- KEYS: 1 lock, 2 consecutive failures, 3 lockouts
-- ARGV: 1 allowed failures, 2 lockout ms for the 1st, 2nd, … lockout (comma separated; the last repeats)
-- Returns {'locked', ms left} or {'attempt', n, lockout ms started by this attempt (0 for none)}.
local left = redis.call('PTTL', KEYS[1])
if left > 0 then return {'locked', left} end
local allowed = tonumber(ARGV[1])
local n = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], 86400)
if n < allowed then return {'attempt', n, 0} end
if n > allowed then
  -- Only reachable if a lock ended while the count stood past the limit (it is cleared when a lock starts): start over.
  redis.call('SET', KEYS[2], 1, 'EX', 86400)
  return {'attempt', 1, 0}
end
local count = redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], 7 * 86400)
local steps = {}
for ms in string.gmatch(ARGV[2], '[^,]+') do steps[#steps + 1] = tonumber(ms) end
local ms = steps[math.min(count, #steps)]
redis.call('SET', KEYS[1], '1', 'PX', ms)
redis.call('DEL', KEYS[2])
return {'attempt', n, ms}
