import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { OUTBOX_LUA } from '@vigil/runtime';

const lua = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

type Args = (string | number)[];

/** The service's Lua scripts, registered once per connection (EVALSHA after the first call). */
export interface ChallengeScripts {
  pushGate(keys: [string, string, string, string, string, string, string], args: Args): Promise<[number, number, string?, string?]>;
  create(keys: [string, string, string], args: Args): Promise<string[]>;
  decide(keys: [string, string, string, string, string, string, string], args: Args): Promise<[number, string[], string[], string[][]] | null>;
  takeExpired(keys: [string, string], args: Args): Promise<[string[], string[][], string[][]]>;
  applyDevice(keys: [string], args: Args): Promise<number>;
  putPolicy(keys: [string, string], args: Args): Promise<string[] | null>;
}

export function registerScripts(redis: Redis): ChallengeScripts {
  const define = (name: string, source: string, numberOfKeys: number) => redis.defineCommand(name, { lua: source, numberOfKeys });
  // Scripts that finish a challenge share the outcome rule; those that announce share the outbox append.
  const finishing = `${OUTBOX_LUA}\n${lua('apply-outcome')}\n`;
  define('vigilPushGate', lua('push-gate'), 7);
  define('vigilCreate', `${OUTBOX_LUA}\n${lua('create')}`, 3);
  define('vigilDecide', `${finishing}${lua('decide')}`, 7);
  define('vigilTakeExpired', `${finishing}${lua('take-expired')}`, 2);
  define('vigilApplyDevice', lua('apply-device'), 1);
  define('vigilPutPolicy', `${OUTBOX_LUA}\n${lua('put-policy')}`, 2);
  const commands = redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>;
  const call = (name: string) => commands[name] as (...args: (string | number)[]) => Promise<unknown>;
  return {
    pushGate: async (keys, args) => (await call('vigilPushGate').call(redis, ...keys, ...args)) as [number, number, string?, string?],
    create: async (keys, args) => (await call('vigilCreate').call(redis, ...keys, ...args)) as string[],
    decide: async (keys, args) => (await call('vigilDecide').call(redis, ...keys, ...args)) as [number, string[], string[], string[][]] | null,
    takeExpired: async (keys, args) => (await call('vigilTakeExpired').call(redis, ...keys, ...args)) as [string[], string[][], string[][]],
    applyDevice: async (keys, args) => (await call('vigilApplyDevice').call(redis, ...keys, ...args)) as number,
    putPolicy: async (keys, args) => (await call('vigilPutPolicy').call(redis, ...keys, ...args)) as string[] | null,
  };
}
