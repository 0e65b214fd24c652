-- pending → decided, once: the first decision wins, later ones change nothing.
-- KEYS: 1 challenge hash, 2 expiry index. ARGV: 1 status, 2 reason ('' for none), 3 decided-at ISO, 4 challenge id
if redis.call('HGET', KEYS[1], 's') ~= 'pending' then return nil end
redis.call('HSET', KEYS[1], 's', ARGV[1], 'r', ARGV[2], 'da', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[4])
return redis.call('HGETALL', KEYS[1])
