-- Applies a factors snapshot unless an equal or newer version was applied. Drops the user's previous device key when
-- the device changed or went away, so that a revoked device stops verifying at once.
-- The code that confirmed a TOTP enrollment is spent (CONTRACT §4 v2): its step becomes the last accepted one.
-- KEYS: 1 user factors hash, 2 the user's last accepted TOTP step
-- ARGV: 1 version (-1 = tombstone), 2 device id ('' none), 3 tenant, 4 user, 5 public key, 6 TOTP secret JSON ('' none),
--       7 device key prefix, 8 spent TOTP step ('' none), 9 seconds a step is remembered
local version = tonumber(ARGV[1])
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '-1')
if version >= 0 and current >= version then return 0 end
local previous = redis.call('HGET', KEYS[1], 'd')
if previous and previous ~= '' and previous ~= ARGV[2] then redis.call('DEL', ARGV[7] .. previous) end
if version < 0 then
  redis.call('DEL', KEYS[1])
  return 1
end
redis.call('HSET', KEYS[1], 'v', version, 'd', ARGV[2], 't', ARGV[6])
if ARGV[8] ~= '' and tonumber(ARGV[8]) > tonumber(redis.call('GET', KEYS[2]) or '-1') then
  redis.call('SET', KEYS[2], ARGV[8], 'EX', tonumber(ARGV[9]))
end
if ARGV[2] ~= '' then
  redis.call('HSET', ARGV[7] .. ARGV[2], 'tenant', ARGV[3], 'user', ARGV[4], 'key', ARGV[5])
end
return 1
