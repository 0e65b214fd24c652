-- A device's decision and the events that announce it, in one step (CONTRACT §8: a device that got 200 has a decision
-- that reaches the login system). Only a pending, unexpired challenge changes, and only once: two concurrent
-- responses, one wins. A repeat of the decision that won while its events still wait in the outbox gets those
-- entries back, so that its caller can publish them and answer as the first time (CONTRACT §2: a repeat converges).
-- KEYS: 1 challenge hash, 2 device's pending index, 3 outbox stream
-- ARGV: 1 status, 2 now ms, 3 challenge id, 4 how it was decided ('mismatch' for a wrong number, else ''), 5.. outbox
--       args
-- Returns {outcome, {outbox entries}}: outcome 'decided' (entries: ids), 'undelivered' (entries: {id, topic, key,
-- value, headers}), 'expired', 'already_decided' or 'missing'.
local status = redis.call('HGET', KEYS[1], 's')
if not status then return {'missing', {}} end
if status ~= 'pending' then
  if status == 'expired' then return {'expired', {}} end
  local sent = redis.call('HGET', KEYS[1], 'ob')
  if status == ARGV[1] and (redis.call('HGET', KEYS[1], 'dk') or '') == ARGV[4] and sent then
    local waiting = outbox_waiting(KEYS[3], sent)
    if #waiting > 0 then return {'undelivered', waiting} end
  end
  return {'already_decided', {}}
end
if tonumber(redis.call('HGET', KEYS[1], 'ea')) <= tonumber(ARGV[2]) then return {'expired', {}} end
local ids = outbox_append(KEYS[3], 5)
redis.call('HSET', KEYS[1], 's', ARGV[1], 'dk', ARGV[4], 'ob', table.concat(ids, ','))
redis.call('ZREM', KEYS[2], ARGV[3])
return {'decided', ids}
