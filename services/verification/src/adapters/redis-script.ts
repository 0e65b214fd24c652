import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const lua = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

export type RedisScript = (...args: (string | number)[]) => Promise<unknown>;

/**
 * One of this service's Lua scripts (adapters/lua/<name>.lua) as a command on the client: ioredis sends EVALSHA and
 * falls back to EVAL once per connection. `prelude` is Lua prepended to it (the shared outbox steps).
 */
export function redisScript(redis: Redis, name: string, numberOfKeys: number, prelude = ''): RedisScript {
  const command = `vigilVerification${name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`;
  redis.defineCommand(command, { lua: `${prelude}\n${lua(name)}`, numberOfKeys });
  const commands = redis as unknown as Record<string, RedisScript>;
  return (...args) => (commands[command] as RedisScript).call(redis, ...args);
}
