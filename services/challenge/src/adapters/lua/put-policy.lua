-- A tenant's policy and the event that announces it, in one step (CONTRACT §8): what is stored is announced.
-- KEYS: 1 the tenant's policy, 2 outbox stream
-- ARGV: 1 policy JSON, 2.. outbox args
redis.call('SET', KEYS[1], ARGV[1])
return outbox_append(KEYS[2], 2)
