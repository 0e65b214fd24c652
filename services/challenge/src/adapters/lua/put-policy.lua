-- A tenant's policy and the event that announces it, in one step (CONTRACT §8): what is stored is announced. The
-- write applies only over the value it was computed from (compare-and-set): of two concurrent partial changes, the
-- later one is computed again from the earlier one's result instead of undoing it.
-- KEYS: 1 the tenant's policy, 2 outbox stream
-- ARGV: 1 policy JSON, 2 the value it was computed from ('' for none), 3.. outbox args
-- Returns the outbox ids, or false when the stored value changed meanwhile.
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[2] then return false end
redis.call('SET', KEYS[1], ARGV[1])
return outbox_append(KEYS[2], 3)
