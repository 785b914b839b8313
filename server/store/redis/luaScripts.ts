import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redisConnection.js';

/**
 * Every atomic step of RedisRelayStore, as a Lua script over the keys of ONE slot (one persona or
 * one group: redisKeys.ts). Redis runs a script alone, so a check and the write it guards can never
 * be split by another node's write. Registered with ioredis `defineCommand`, which sends EVAL the
 * first time on each connection and EVALSHA after.
 *
 * Scripts take numbers as decimal strings and keep cursors as `acked,readUntil` text, so the Lua
 * side never decodes a record, except a group entry's receivedAt (struct.unpack of its float64).
 */

/** Shared by the scripts that delete envelopes: KEYS are a mailbox's keys (mailboxKeyList). */
const REMOVE_ENVELOPE = `
local function removeEnvelope(id)
  redis.call('ZREM', KEYS[4], id)
  local value = redis.call('HGET', KEYS[1], id)
  if not value then return 0 end
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  local tagLength = string.byte(value, 9)
  local tag = string.sub(value, 10, 9 + tagLength)
  if redis.call('HINCRBY', KEYS[5], tag, -1) <= 0 then redis.call('HDEL', KEYS[5], tag) end
  return 1
end
`;

/** Shared by the group scripts: KEYS are a group's keys (groupKeyList). */
const GROUP_HELPERS = `
local function parseCursor(cursor)
  local acked, readUntil = string.match(cursor, '^([^,]+),(.+)$')
  return tonumber(acked), tonumber(readUntil)
end
local function removeMessage(index)
  redis.call('HDEL', KEYS[2], index)
  redis.call('ZREM', KEYS[3], index)
  redis.call('ZREM', KEYS[5], index)
  redis.call('ZREM', KEYS[6], index)
end
`;

const SCRIPTS = {
  /**
   * ARGV: count, then per envelope: value, receivedAt, expiresAt ('' none), key tag. Ids come from
   * the mailbox's counter, so they increase and are never reused. Returns the ids.
   */
  kindredAppendEnvelopes: {
    keys: 6,
    lua: `
local count = tonumber(ARGV[1])
local last = redis.call('INCRBY', KEYS[6], count)
local ids = {}
for i = 1, count do
  local id = tostring(last - count + i)
  local at = 2 + (i - 1) * 4
  redis.call('HSET', KEYS[1], id, ARGV[at])
  redis.call('ZADD', KEYS[2], id, id)
  redis.call('ZADD', KEYS[3], ARGV[at + 1], id)
  if ARGV[at + 2] ~= '' then redis.call('ZADD', KEYS[4], ARGV[at + 2], id) end
  redis.call('HINCRBY', KEYS[5], ARGV[at + 3], 1)
  ids[i] = id
end
return ids`,
  },
  /** ARGV: afterId, limit. Returns id, value, id, value, ... oldest first. */
  kindredReadMailbox: {
    keys: 2,
    readOnly: true,
    lua: `
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf', 'LIMIT', 0, ARGV[2])
if #ids == 0 then return {} end
local values = redis.call('HMGET', KEYS[1], unpack(ids))
local out = {}
for i = 1, #ids do
  out[#out + 1] = ids[i]
  out[#out + 1] = values[i]
end
return out`,
  },
  /** ARGV: ids. Unknown and repeated ids are skipped. */
  kindredDeleteEnvelopes: {
    keys: 6,
    lua: `${REMOVE_ENVELOPE}
for i = 1, #ARGV do removeEnvelope(ARGV[i]) end
return 1`,
  },
  /** ARGV: cutoff. Deletes envelopes received before it; returns how many. */
  kindredExpireEnvelopes: {
    keys: 6,
    lua: `${REMOVE_ENVELOPE}
local removed = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[1])) do
  removed = removed + removeEnvelope(id)
end
return removed`,
  },
  /** ARGV: now. Deletes envelopes whose own expiry is at or before it; returns how many. */
  kindredExpireDueEnvelopes: {
    keys: 6,
    lua: `${REMOVE_ENVELOPE}
local removed = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ARGV[1])) do
  removed = removed + removeEnvelope(id)
end
return removed`,
  },
  /**
   * KEYS: prekeys, one-time, one-time ids, one-time Kyber, one-time Kyber ids. ARGV: replace
   * ('1'/'0'), signed (''), last resort (''), EC count, id/value pairs, Kyber count, id/value pairs.
   */
  kindredPutPreKeys: {
    keys: 5,
    lua: `
if ARGV[1] == '1' then redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5]) end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'signed', ARGV[2]) end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'kyber', ARGV[3]) end
local at = 4
for _, pair in ipairs({{KEYS[2], KEYS[3]}, {KEYS[4], KEYS[5]}}) do
  local count = tonumber(ARGV[at])
  at = at + 1
  for i = 1, count do
    redis.call('HSET', pair[1], ARGV[at], ARGV[at + 1])
    redis.call('ZADD', pair[2], ARGV[at], ARGV[at])
    at = at + 2
  end
end
return 1`,
  },
  /**
   * Same KEYS. Returns signed, Kyber (one-time or last resort), one-time EC (nil when none left);
   * nil when there is no signed or last-resort key.
   */
  kindredTakePreKeyBundle: {
    keys: 5,
    lua: `
local kept = redis.call('HMGET', KEYS[1], 'signed', 'kyber')
if not kept[1] or not kept[2] then return false end
local function takeLowest(values, ids)
  local lowest = redis.call('ZPOPMIN', ids)
  if #lowest == 0 then return false end
  local value = redis.call('HGET', values, lowest[1])
  redis.call('HDEL', values, lowest[1])
  return value
end
local preKey = takeLowest(KEYS[2], KEYS[3])
local kyber = takeLowest(KEYS[4], KEYS[5])
return {kept[1], kyber or kept[2], preKey}`,
  },
  /**
   * KEYS: a group's keys. ARGV: kind ('o'/'m'), sequence or logLength, value, receivedAt, timer
   * (''), joined count, joined..., left count, left... Returns {'conflict', reason} having written
   * nothing, or {'ok', index, addresses whose membership began or ended...}.
   */
  kindredAppendGroupEntry: {
    keys: 8,
    lua: `
local operations = tonumber(redis.call('HGET', KEYS[1], 'ops') or '0')
local kind = ARGV[1]
local expected = tonumber(ARGV[2])
if kind == 'o' and expected == 0 then
  if operations ~= 0 then return {'conflict', 'exists'} end
elseif operations == 0 then
  return {'conflict', 'missing'}
elseif expected ~= operations then
  return {'conflict', 'moved'}
end
local index = redis.call('HINCRBY', KEYS[1], 'last', 1)
redis.call('HSET', KEYS[2], index, ARGV[3])
redis.call('ZADD', KEYS[3], index, index)
local changed = {}
if kind == 'o' then
  redis.call('RPUSH', KEYS[4], index)
  redis.call('HINCRBY', KEYS[1], 'ops', 1)
  if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'timer', ARGV[5]) end
  local at = 6
  local joined = tonumber(ARGV[at])
  at = at + 1
  for i = 1, joined do
    redis.call('HSET', KEYS[7], ARGV[at], tostring(index - 1) .. ',0')
    changed[#changed + 1] = ARGV[at]
    at = at + 1
  end
  local left = tonumber(ARGV[at])
  at = at + 1
  for i = 1, left do
    local cursor = redis.call('HGET', KEYS[7], ARGV[at])
    if cursor then
      local acked = string.match(cursor, '^([^,]+),')
      redis.call('HSET', KEYS[7], ARGV[at], acked .. ',' .. tostring(index))
      changed[#changed + 1] = ARGV[at]
    end
    at = at + 1
  end
else
  redis.call('ZADD', KEYS[5], index, index)
  redis.call('ZADD', KEYS[6], ARGV[4], index)
end
return {'ok', index, unpack(changed)}`,
  },
  /** KEYS: operations, entries. ARGV: from, limit. Returns the operation values in log order. */
  kindredReadGroupOperations: {
    keys: 2,
    readOnly: true,
    lua: `
local indexes = redis.call('LRANGE', KEYS[1], ARGV[1], tonumber(ARGV[1]) + tonumber(ARGV[2]) - 1)
if #indexes == 0 then return {} end
return redis.call('HMGET', KEYS[2], unpack(indexes))`,
  },
  /**
   * KEYS: cursors, entries, indexes. ARGV: address, afterIndex, limit. Cursor and entries in one
   * read: nil without a cursor, else {cursor, index, value, index, value, ...}.
   */
  kindredReadMemberEntries: {
    keys: 3,
    readOnly: true,
    lua: `
local cursor = redis.call('HGET', KEYS[1], ARGV[1])
if not cursor then return false end
local acked, readUntil = string.match(cursor, '^([^,]+),(.+)$')
local after = math.max(tonumber(ARGV[2]), tonumber(acked))
local out = {cursor}
if tonumber(ARGV[3]) <= 0 then return out end
local upper = '+inf'
if tonumber(readUntil) > 0 then upper = readUntil end
local indexes = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. tostring(after), upper, 'LIMIT', 0, ARGV[3])
if #indexes == 0 then return out end
local values = redis.call('HMGET', KEYS[2], unpack(indexes))
for i = 1, #indexes do
  out[#out + 1] = indexes[i]
  out[#out + 1] = values[i]
end
return out`,
  },
  /**
   * KEYS: head, cursors. ARGV: address, index. Moves the cursor forward, never past the stream's
   * end or its readUntil; deletes it once a former member has acknowledged its readUntil.
   * Returns the cursor as it now is, or nil.
   */
  kindredAckGroup: {
    keys: 2,
    lua: `
local cursor = redis.call('HGET', KEYS[2], ARGV[1])
if not cursor then return false end
local acked, readUntil = string.match(cursor, '^([^,]+),(.+)$')
acked = tonumber(acked)
readUntil = tonumber(readUntil)
local limit = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
if readUntil > 0 and readUntil < limit then limit = readUntil end
local target = math.min(tonumber(ARGV[2]), limit)
if target > acked then acked = target end
if readUntil > 0 and acked >= readUntil then
  redis.call('HDEL', KEYS[2], ARGV[1])
  return false
end
local moved = tostring(acked) .. ',' .. tostring(readUntil)
if moved ~= cursor then redis.call('HSET', KEYS[2], ARGV[1], moved) end
return moved`,
  },
  /** KEYS: head, snapshot. ARGV: length, bytes. Keeps it when it fits (groupStream snapshotFits). */
  kindredPutGroupSnapshot: {
    keys: 2,
    lua: `
local operations = tonumber(redis.call('HGET', KEYS[1], 'ops') or '0')
local kept = tonumber(redis.call('HGET', KEYS[2], 'len') or '0')
local length = tonumber(ARGV[1])
if length < 1 or length > operations or length < kept then return 0 end
redis.call('HSET', KEYS[2], 'len', ARGV[1], 'bytes', ARGV[2])
return 1`,
  },
  /**
   * KEYS: a group's keys. ARGV: cutoff. Drops the cursors of former members whose membership
   * ended before the cutoff, then deletes messages no cursor needs and those received before the
   * cutoff (groupStream neededEntries). Returns how many messages it deleted.
   */
  kindredPruneGroup: {
    keys: 8,
    lua: `${GROUP_HELPERS}
local cutoff = tonumber(ARGV[1])
local cursors = redis.call('HGETALL', KEYS[7])
local members = nil
local formers = {}
for i = 1, #cursors, 2 do
  local acked, readUntil = parseCursor(cursors[i + 1])
  if readUntil > 0 then
    local value = redis.call('HGET', KEYS[2], string.match(cursors[i + 1], ',(.+)$'))
    local ended = 0
    if value then ended = struct.unpack('>d', string.sub(value, 2, 9)) end
    if ended < cutoff then
      redis.call('HDEL', KEYS[7], cursors[i])
    elseif acked < readUntil then
      formers[#formers + 1] = {acked, readUntil}
    end
  elseif members == nil or acked < members then
    members = acked
  end
end
local function needed(index)
  if members ~= nil and index > members then return true end
  for _, former in ipairs(formers) do
    if index > former[1] and index <= former[2] then return true end
  end
  return false
end
local doomed = {}
local upper = '+inf'
if members ~= nil then upper = tostring(members) end
for _, index in ipairs(redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', upper)) do
  if not needed(tonumber(index)) then doomed[index] = true end
end
for _, index in ipairs(redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', '(' .. ARGV[1])) do
  doomed[index] = true
end
local removed = 0
for index in pairs(doomed) do
  removeMessage(index)
  removed = removed + 1
end
return removed`,
  },
  /**
   * KEYS: a group's keys. ARGV: now. With a disappearing timer set, deletes the messages received
   * at or before now - timer; returns how many.
   */
  kindredExpireGroup: {
    keys: 8,
    lua: `${GROUP_HELPERS}
local timer = tonumber(redis.call('HGET', KEYS[1], 'timer') or '0')
if timer <= 0 then return 0 end
local cutoff = string.format('%.17g', tonumber(ARGV[1]) - timer)
local removed = 0
for _, index in ipairs(redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', cutoff)) do
  removeMessage(index)
  removed = removed + 1
end
return removed`,
  },
  /**
   * KEYS: a persona's groups. ARGV: group (hex), score read. Removes the entry only if its score
   * is still the one read (a join since then raised it).
   */
  kindredForgetMemberGroup: {
    keys: 1,
    lua: `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0`,
  },
  /** ARGV: maxUses. Counts one use unless maxUses are spent; 1 counted, 0 refused. */
  kindredConsumeInviteToken: {
    keys: 1,
    lua: `
local uses = tonumber(redis.call('GET', KEYS[1]) or '0')
if uses >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
return 1`,
  },
  /** ARGV: value. Keeps it unless the setting exists; returns the value kept. */
  kindredClaimSetting: {
    keys: 1,
    lua: `
local kept = redis.call('GET', KEYS[1])
if kept then return kept end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]`,
  },
  // ---- the directory: every key under the one hash tag {dir} (redisDirectory.ts) ----
  /** KEYS: version, entries, entry versions, removals. ARGV: group (hex), entry. The new version. */
  kindredDirectoryList: {
    keys: 4,
    lua: `
local v = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], v)
redis.call('HDEL', KEYS[4], ARGV[1])
return v`,
  },
  /**
   * KEYS: version, entries, entry versions, removals, floor. ARGV: group (hex), tombstones kept.
   * nil when the group is not listed; else the new version (the oldest tombstones beyond the
   * count go, and the floor rises to the newest of them).
   */
  kindredDirectoryUnlist: {
    keys: 5,
    lua: `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return false end
local v = redis.call('INCR', KEYS[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], v)
local keep = tonumber(ARGV[2])
if redis.call('HLEN', KEYS[4]) > keep then
  local all = redis.call('HGETALL', KEYS[4])
  local list = {}
  for i = 1, #all, 2 do table.insert(list, {all[i], tonumber(all[i + 1])}) end
  table.sort(list, function(a, b) return a[2] < b[2] end)
  local floor = tonumber(redis.call('GET', KEYS[5]) or '0')
  for i = 1, #list - keep do
    redis.call('HDEL', KEYS[4], list[i][1])
    if list[i][2] > floor then floor = list[i][2] end
  end
  redis.call('SET', KEYS[5], floor)
end
return v`,
  },
  /** KEYS: version, revocations. ARGV: the signed list. The new version. */
  kindredDirectoryRevocations: {
    keys: 2,
    lua: `
local v = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1])
return v`,
  },
  /**
   * KEYS: version, floor, entries, entry versions, removals, revocations. The whole directory in
   * one step: version, floor, three HGETALL lists, then the revocation list (nil: none).
   */
  kindredDirectoryRead: {
    keys: 6,
    readOnly: true,
    lua: `
return {redis.call('GET', KEYS[1]) or '0', redis.call('GET', KEYS[2]) or '0',
  redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4]), redis.call('HGETALL', KEYS[5]),
  redis.call('GET', KEYS[6])}`,
  },
} as const satisfies Record<string, LuaScript>;

interface LuaScript {
  readonly keys: number;
  readonly lua: string;
  readonly readOnly?: boolean;
}

export type ScriptName = keyof typeof SCRIPTS;

export type ScriptArgument = string | Buffer | number;

/** Registers every script on a client (its pipelines get them too). */
export function defineScripts(client: RedisClient): void {
  for (const [name, script] of Object.entries(SCRIPTS) as [ScriptName, LuaScript][]) {
    client.defineCommand(name, {
      lua: script.lua,
      numberOfKeys: script.keys,
      readOnly: script.readOnly === true,
    });
  }
}

type ScriptMethod = (...args: ScriptArgument[]) => unknown;

/**
 * Calls a script on a client (resolves with its reply) or queues it on a pipeline. `buffers`:
 * bulk replies as Buffers (for bytes), else as strings. defineCommand adds the methods at run
 * time, so their types are asserted here, in one place.
 */
export function callScript(
  target: RedisClient | ChainableCommander,
  name: ScriptName,
  keys: readonly string[],
  args: readonly ScriptArgument[],
  buffers = false,
): unknown {
  if (keys.length !== SCRIPTS[name].keys)
    throw new TypeError(`${name} takes ${SCRIPTS[name].keys} keys`);
  const method = (target as unknown as Record<string, ScriptMethod | undefined>)[
    buffers ? `${name}Buffer` : name
  ];
  if (method === undefined) throw new TypeError(`script ${name} is not defined on this client`);
  return method.call(target, ...keys, ...args);
}
