// Lua runs inside Redis, atomically. Redis Lua numbers are doubles, which cannot hold a
// uint64, so nonces stay decimal strings and are compared and incremented as strings.

const helpers = `
local function greater(a, b)
  if #a ~= #b then return #a > #b end
  return a > b
end
local function increment(s)
  local i = #s
  while i > 0 and string.byte(s, i) == 57 do i = i - 1 end
  if i == 0 then return '1' .. string.rep('0', #s) end
  return string.sub(s, 1, i - 1) .. string.char(string.byte(s, i) + 1) .. string.rep('0', #s - i)
end
local function isNonce(s)
  return string.match(s, '^[0-9]+$') ~= nil and #s <= 20 and (#s == 1 or string.sub(s, 1, 1) ~= '0')
end
local ranks = { ms = 1, us = 2, ns = 3 }
local function issue(key, clockNonce, scale, max)
  local fields = redis.call('HMGET', key, 'last', 'scale')
  local last = fields[1] or '0'
  local stored = fields[2]
  if not isNonce(last) or (stored and not ranks[stored]) then return nil, 'NONCE_CORRUPT' end
  if stored and ranks[stored] > ranks[scale] then return nil, 'NONCE_SCALE_DOWNGRADE ' .. stored end
  local nonce = increment(last)
  if greater(clockNonce, nonce) then nonce = clockNonce end
  if greater(nonce, max) then return nil, 'NONCE_EXHAUSTED' end
  redis.call('HSET', key, 'last', nonce, 'scale', scale)
  return nonce
end
`;

/** KEYS: state. ARGV: clock nonce, scale, max. Returns `max(last + 1, clock nonce)`, stored. */
export const issueScript = `${helpers}
local nonce, failure = issue(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
if failure then return redis.error_reply(failure) end
return nonce
`;

/**
 * KEYS: state, lock. ARGV: token, ttl ms, clock nonce, scale, max. Takes the send lock
 * (SET NX PX) and issues a nonce under it in one round trip: \`{1, nonce}\`, or
 * \`{0, pttl, holder token}\` while someone else holds it.
 */
export const acquireScript = `${helpers}
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {0, redis.call('PTTL', KEYS[2]), redis.call('GET', KEYS[2]) or ''}
end
local nonce, failure = issue(KEYS[1], ARGV[3], ARGV[4], ARGV[5])
if failure then
  redis.call('DEL', KEYS[2])
  return redis.error_reply(failure)
end
return {1, nonce}
`;

/** KEYS: lock. ARGV: token. Deletes the lock only if it is still ours. */
export const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** KEYS: lock. ARGV: token, ttl ms. Extends the lock only if it is still ours. */
export const extendScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** KEYS: state. ARGV: floor. Raises the stored last nonce to the floor; returns 1 if raised. */
export const raiseFloorScript = `${helpers}
local last = redis.call('HGET', KEYS[1], 'last') or '0'
if not isNonce(last) then return redis.error_reply('NONCE_CORRUPT') end
if greater(ARGV[1], last) then
  redis.call('HSET', KEYS[1], 'last', ARGV[1])
  return 1
end
return 0
`;
