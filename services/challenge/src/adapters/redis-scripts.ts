import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const lua = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

/** The service's Lua scripts, registered once per connection (EVALSHA after the first call). */
export interface ChallengeScripts {
  pushGate(keys: [string, string, string, string, string], args: (string | number)[]): Promise<[number, number, string?]>;
  decide(keys: [string, string], args: string[]): Promise<string[] | null>;
  takeExpired(keys: [string], args: (string | number)[]): Promise<string[][]>;
  applyDevice(keys: [string], args: (string | number)[]): Promise<number>;
}

export function registerScripts(redis: Redis): ChallengeScripts {
  const define = (name: string, source: string, numberOfKeys: number) => redis.defineCommand(name, { lua: source, numberOfKeys });
  define('vigilPushGate', lua('push-gate'), 5);
  define('vigilDecide', lua('decide'), 2);
  define('vigilTakeExpired', lua('take-expired'), 1);
  define('vigilApplyDevice', lua('apply-device'), 1);
  const commands = redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>;
  const call = (name: string) => commands[name] as (...args: (string | number)[]) => Promise<unknown>;
  return {
    pushGate: async (keys, args) => (await call('vigilPushGate').call(redis, ...keys, ...args)) as [number, number, string?],
    decide: async (keys, args) => (await call('vigilDecide').call(redis, ...keys, ...args)) as string[] | null,
    takeExpired: async (keys, args) => (await call('vigilTakeExpired').call(redis, ...keys, ...args)) as string[][],
    applyDevice: async (keys, args) => (await call('vigilApplyDevice').call(redis, ...keys, ...args)) as number,
  };
}
