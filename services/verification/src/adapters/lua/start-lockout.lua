-- The last allowed attempt failed: lock for the policy's next length (computed by the caller from the lockouts so
-- far, passed in ARGV), count the lockout, and start the next window's count from zero. Only the request that held
-- the last attempt gets here, so one burst starts one lockout, never a chain of them up to the cap.
-- KEYS: 1 lock, 2 consecutive failures, 3 lockouts
-- ARGV: 1 lock ms
redis.call('SET', KEYS[1], '1', 'PX', tonumber(ARGV[1]))
redis.call('DEL', KEYS[2])
redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], 7 * 86400)
return 1
