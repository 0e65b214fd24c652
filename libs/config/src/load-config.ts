import { customCleanEnv, EnvMissingError, type CleanedEnv, type CleanedEnvAccessors, type ValidatorSpec } from 'envalid';
import { ConfigError } from './config-error.ts';

/** Variable name → envalid validator (`str()`, `port({ default: 8080 })`, `int({ min, max })({ default })`, …). */
export type ConfigSpec = Record<string, ValidatorSpec<unknown>>;
/** The typed config of a spec, as envalid derives it (`default: undefined` gives `T | undefined`), without its NODE_ENV accessors. */
export type ConfigOf<S extends ConfigSpec> = Omit<CleanedEnv<S>, keyof CleanedEnvAccessors>;
export type Env = Readonly<Record<string, string | undefined>>;

type Secret = { readonly secret: true };

/** Marks a variable whose value never appears in an error or in `describeConfig` (keys, passwords, credentials). */
export function secret<V extends ValidatorSpec<unknown>>(validator: V): V & Secret {
  return { ...validator, secret: true };
}

const isSecret = (validator: ValidatorSpec<unknown>): boolean => (validator as Partial<Secret>).secret === true;

/** An empty variable counts as unset (a compose file's `FOO: ""`, a chart value left blank), so its default applies. */
function setValues(env: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

function problemOf(name: string, error: Error, validator: ValidatorSpec<unknown>): string {
  if (error instanceof EnvMissingError) return `${name}: missing (required)`;
  return isSecret(validator) ? `${name}: invalid (a secret: its value is not shown)` : `${name}: invalid: ${error.message}`;
}

/**
 * Reads every variable of `spec` from `env` with envalid (keys of the spec are the variable names). envalid collects
 * all problems before reporting, so one start-up attempt tells the operator everything that is wrong; they are
 * thrown as one ConfigError rather than envalid's default of printing and exiting.
 */
export function loadConfig<S extends ConfigSpec>(spec: S, env: Env = process.env): ConfigOf<S> {
  const cleaned = customCleanEnv(setValues(env), spec, (values) => values, {
    reporter: ({ errors }) => {
      const problems = Object.entries(errors as Record<string, Error | undefined>)
        .flatMap(([name, error]) => (error && spec[name] ? [problemOf(name, error, spec[name])] : []));
      if (problems.length > 0) throw new ConfigError(problems);
    },
  });
  return cleaned as ConfigOf<S>;
}

/** The config with secret variables masked, for a start-up log line. */
export function describeConfig<S extends ConfigSpec>(spec: S, config: ConfigOf<S>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(spec).map((name) => [name, isSecret(spec[name]!) ? '[secret]' : (config as Record<string, unknown>)[name]]));
}
