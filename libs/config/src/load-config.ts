import { ConfigError } from './config-error.ts';
import type { Field } from './fields.ts';

export type ConfigSpec = Record<string, Field<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: S[K] extends Field<infer T> ? T : never };
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads every variable of `spec` from `env` (keys of the spec are the variable names). Collects all problems
 * before failing so that one start-up attempt tells the operator everything that is wrong.
 */
export function loadConfig<S extends ConfigSpec>(spec: S, env: Env = process.env): ConfigOf<S> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, fieldSpec] of Object.entries(spec)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (fieldSpec.optional) values[name] = undefined;
      else if (fieldSpec.default === undefined) problems.push(`${name}: missing (required ${fieldSpec.kind})`);
      else values[name] = fieldSpec.default;
      continue;
    }
    try {
      values[name] = fieldSpec.parse(raw);
    } catch (error) {
      const shown = fieldSpec.secret ? '' : `: ${(error as Error).message}`;
      problems.push(`${name}: invalid ${fieldSpec.kind}${shown}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(values) as ConfigOf<S>;
}

/** The config with secret fields masked, for a start-up log line. */
export function describeConfig<S extends ConfigSpec>(spec: S, config: ConfigOf<S>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [name, fieldSpec] of Object.entries(spec)) {
    shown[name] = fieldSpec.secret ? '[secret]' : (config as Record<string, unknown>)[name];
  }
  return shown;
}
