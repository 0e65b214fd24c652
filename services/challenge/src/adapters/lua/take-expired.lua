-- Takes due challenges off the expiry index, marks the still-pending ones expired, counts the miss for their user and
-- puts their expired event (written at creation) in the outbox, all in one step: each challenge belongs to exactly
-- one sweeper however many instances sweep, and a crash never leaves an expiry unannounced or uncounted.
-- KEYS: 1 expiry index, 2 outbox stream
-- ARGV: 1 now ms, 2 limit, 3 challenge key prefix, 4 now ISO, 5 cool-down schedule (for challenges stored without
--       their own), 6 fraud suspension ms,
--       7 user key prefixes: misses, 8 cool-down, 9 suspended, 10 expired-event topic
-- Returns {challenge ids, {outbox id, topic, key, value, headers}..., hashes of challenges stored without an expired
-- event (created before this version): their caller announces those}
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local taken = {}
local entries = {}
local legacy = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local key = ARGV[3] .. id
  local fields = redis.call('HMGET', key, 's', 't', 'u', 'xv', 'xh', 'cs')
  if fields[1] == 'pending' then
    redis.call('HSET', key, 's', 'expired', 'da', ARGV[4])
    redis.call('HDEL', key, 'xv', 'xh')
    local user = '{' .. fields[2] .. ':' .. fields[3] .. '}'
    apply_outcome('expired', ARGV[7] .. user, ARGV[8] .. user, ARGV[9] .. user, fields[6] or ARGV[5], ARGV[6], ARGV[4], '')
    taken[#taken + 1] = id
    if fields[4] then
      local subject = fields[2] .. ':' .. fields[3]
      local entry = redis.call('XADD', KEYS[2], '*', 't', ARGV[10], 'k', subject, 'v', fields[4], 'h', fields[5])
      entries[#entries + 1] = {entry, ARGV[10], subject, fields[4], fields[5]}
    else
      legacy[#legacy + 1] = redis.call('HGETALL', key)
    end
  end
end
return {taken, entries, legacy}
