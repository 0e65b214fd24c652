-- What a finished challenge means for the user's next pushes (CONTRACT §5), applied in the step that finishes it:
-- an approval clears the miss streak, the cool-down and the count of pushes since the last success; a report
-- suspends; a denial or expiry counts a miss and sets the cool-down the schedule of the challenge's policy gives for
-- that many misses (services/challenge/src/domain/cooldown-policy.ts).
local function apply_outcome(status, misses, cooldown, suspended, schedule, fraudMs, at, sinceSuccess)
  if status == 'approved' then
    redis.call('DEL', misses, cooldown)
    if sinceSuccess ~= '' then redis.call('DEL', sinceSuccess) end
  elseif status == 'reported' then
    redis.call('SET', suspended, at, 'PX', fraudMs)
  elseif status == 'denied' or status == 'expired' then
    local count = redis.call('INCR', misses)
    redis.call('EXPIRE', misses, 86400)
    local steps = {}
    for ms in string.gmatch(schedule, '[^,]+') do steps[#steps + 1] = tonumber(ms) end
    local ms = steps[math.min(count, #steps)] or 0
    if ms > 0 then redis.call('SET', cooldown, '1', 'PX', ms) end
  end
end
