/**
 * CLI flags as a config source: each flag that sets a config field is listed here with its key path, and its value
 * goes through the same strict schema as the environment and the config file (on top of both). An invalid flag is
 * a config error naming the flag, the field and the fix, never a value slipped in after validation.
 */

export interface ConfigFlagSpec {
  /** The flag as typed, e.g. `--keep-days`. */
  flag: string;
  /** The config key path it sets, e.g. `run.keepDays`. */
  path: string;
  /** Why the bounds are what they are, shown with the fix when the value is rejected. */
  why?: string;
}

import { MIN_KEEP_DAYS } from './schema.js';

export { MIN_KEEP_DAYS };

export const CONFIG_FLAGS = {
  keepDays: {
    flag: '--keep-days',
    path: 'run.keepDays',
    why: `at least ${MIN_KEEP_DAYS}: the verdict reads earlier runs (failure and inconclusive streaks, latency and flaky windows), and pruning them would blind it`,
  },
  inconclusiveExitCode: { flag: '--inconclusive-exit-code', path: 'run.inconclusiveExitCode', why: 'an exit code is 0..255' },
  port: { flag: '--port', path: 'serve.port' },
  host: { flag: '--host', path: 'serve.host' },
  accounts: { flag: '--accounts', path: 'telegram.shard', why: 'comma-separated names from telegram.accounts (the accounts this shard drives)' },
} as const satisfies Record<string, ConfigFlagSpec>;

export type ConfigFlagName = keyof typeof CONFIG_FLAGS;

/** A flag the user passed, with its value as commander parsed it. */
export interface ConfigFlag extends ConfigFlagSpec {
  value: unknown;
}

/** The config flags among a command's parsed options (the ones left out are not a source). */
export function configFlags(values: Partial<Record<ConfigFlagName, unknown>>): ConfigFlag[] {
  const out: ConfigFlag[] = [];
  for (const name of Object.keys(CONFIG_FLAGS) as ConfigFlagName[]) {
    const value = values[name];
    if (value !== undefined) out.push({ ...CONFIG_FLAGS[name], value });
  }
  return out;
}

/** The issue location of a rejected flag: `flag: --keep-days (run.keepDays): …`. */
export function flagIssuePath(f: ConfigFlagSpec): string {
  return `${f.flag} (${f.path})`;
}

/** The fix for a rejected flag. */
export function flagHint(f: ConfigFlagSpec, envName?: string): string {
  const leave = envName ? `; or leave it out to use ${envName} or ${f.path} in the config file` : `; or leave it out to use ${f.path} in the config file`;
  return `give ${f.flag} a valid value${f.why ? ` (${f.why})` : ''}${leave}`;
}
