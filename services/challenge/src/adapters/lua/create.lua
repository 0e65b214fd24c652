-- Stores a new challenge and announces it in one step: the hash, its place in the expiry index, and the created event
-- in the outbox (CONTRACT §8). The expired event is written now too and kept in the hash, so that the sweep that
-- expires the challenge can announce it in the same step as well.
-- KEYS: 1 challenge hash, 2 expiry index, 3 outbox stream
-- ARGV: 1 expires-at ms, 2 retain-until ms, 3 expired event value, 4 expired event headers, 5.. hash field/value
--       pairs until the field '--', then the outbox args
local n = 5
while ARGV[n] ~= '--' do
  redis.call('HSET', KEYS[1], ARGV[n], ARGV[n + 1])
  n = n + 2
end
redis.call('HSET', KEYS[1], 'xv', ARGV[3], 'xh', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[1], redis.call('HGET', KEYS[1], 'id'))
return outbox_append(KEYS[3], n + 1)
