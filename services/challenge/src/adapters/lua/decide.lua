-- pending → decided, once, together with what the outcome means for the user's next pushes and, for a cancel, the
-- event that announces it: the first decision wins, and a retry of the same step changes nothing (CONTRACT §8).
-- KEYS: 1 challenge hash, 2 expiry index, 3 misses, 4 cool-down, 5 suspended, 6 outbox stream, 7 pushes since success
-- ARGV: 1 status, 2 reason ('' for none), 3 decided-at ISO, 4 challenge id, 5 cool-down schedule (ms per miss count,
--       comma separated; the challenge's own, stored at creation, wins), 6 fraud suspension ms, 7.. outbox args
-- Returns {changed (1/0), hash pairs, outbox ids, undelivered entries}; nil if there is no such challenge. A repeat of
-- the step that won, while its events still wait in the outbox, gets those entries ({id, topic, key, value, headers})
-- so that it can publish them before it answers (CONTRACT §2: a repeat converges).
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
if redis.call('HGET', KEYS[1], 's') ~= 'pending' then
  local waiting = {}
  if redis.call('HGET', KEYS[1], 's') == ARGV[1] then waiting = outbox_waiting(KEYS[6], redis.call('HGET', KEYS[1], 'ob')) end
  return {0, redis.call('HGETALL', KEYS[1]), {}, waiting}
end
redis.call('HSET', KEYS[1], 's', ARGV[1], 'r', ARGV[2], 'da', ARGV[3])
redis.call('HDEL', KEYS[1], 'xv', 'xh')
redis.call('ZREM', KEYS[2], ARGV[4])
apply_outcome(ARGV[1], KEYS[3], KEYS[4], KEYS[5], redis.call('HGET', KEYS[1], 'cs') or ARGV[5], ARGV[6], ARGV[3], KEYS[7])
local ids = outbox_append(KEYS[6], 7)
if #ids > 0 then redis.call('HSET', KEYS[1], 'ob', table.concat(ids, ',')) end
return {1, redis.call('HGETALL', KEYS[1]), ids, {}}
