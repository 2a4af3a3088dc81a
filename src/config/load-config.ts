/**
 * Loads the configuration: optional YAML file (`tg-canary.config.yaml` in the cwd or TG_CANARY_CONFIG), then env
 * vars on top, then one strict schema. Every problem is collected and thrown once as a ValidationError whose
 * issues name their source: `env` + the variable name, or the config file + key path (+ line).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Issue } from '../core/errors.js';
import { TgCanaryError, ValidationError } from '../core/errors.js';
import { MAX_CONFIG_FILE_BYTES, MAX_SECRET_FILE_BYTES, readInputFile } from '../util/read-input-file.js';
import { convertEnv } from './env-parse.js';
import { ENV_VARS, envVarForPath, SECRET_PATHS, type EnvVar } from './env-vars.js';
import { secretValues } from './redact.js';
import { ConfigSchema, configKeysAt, type Config } from './schema.js';
import type { YamlSource } from '../schema-kit/yaml-source.js';
import { formatPath, plainIssues } from '../schema-kit/zod-issues.js';
import { flagHint, flagIssuePath, type ConfigFlag } from './flag-source.js';
import { pairsConflict } from './pairs-conflict.js';

export type ConfigRequirement = 'telegram' | 'targets';

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Config file path; overrides TG_CANARY_CONFIG and the default `tg-canary.config.yaml`. */
  file?: string;
  /** Parts that must be present; default both. `validate`, `list`, `schema` pass `[]`. */
  require?: ConfigRequirement[];
  /** Command-line flags that set config fields (src/config/flag-source.ts): applied on top of env and file. */
  flags?: readonly ConfigFlag[];
}

export const DEFAULT_CONFIG_FILE = 'tg-canary.config.yaml';
const ENV = 'env';
const FLAG = 'flag';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setPath(root: Obj, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = root;
  for (const p of parts.slice(0, -1)) {
    if (!isObj(cur[p])) cur[p] = {};
    cur = cur[p] as Obj;
  }
  cur[parts[parts.length - 1]] = value;
}

function getPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  if (path === '') return root;
  for (const p of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function deepMerge(base: unknown, over: Obj): Obj {
  const out: Obj = isObj(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}

/** The secret, `missing` when there is no such file, or the problem (not a regular file, too big, not UTF-8). */
function readSecretFile(file: string, cwd: string, what: string): { text: string } | { missing: true } | { problem: string; hint: string } {
  try {
    return { text: readInputFile(isAbsolute(file) ? file : resolve(cwd, file), { maxBytes: MAX_SECRET_FILE_BYTES, what, shown: file }).replace(/\r?\n$/, '') };
  } catch (e) {
    if (e instanceof TgCanaryError) return { problem: `${JSON.stringify(file)}: ${e.message}`, hint: e.hint ?? `check that ${what} points to a readable file` };
    if ((e as { code?: string }).code === 'ENOENT') return { missing: true };
    return { problem: `cannot read the file ${JSON.stringify(file)}`, hint: `check that ${what} points to a readable file` };
  }
}

interface EnvResult {
  raw: Obj;
  /** Config path → env var that set it. */
  sources: Map<string, string>;
  issues: Issue[];
  /** Paths whose env value was rejected (no "is required" on top). */
  failed: Set<string>;
  secrets: string[];
}

function readEnv(env: NodeJS.ProcessEnv, cwd: string, required: Set<ConfigRequirement>): EnvResult {
  const out: EnvResult = { raw: {}, sources: new Map(), issues: [], failed: new Set(), secrets: [] };
  const present = (name: string): string | undefined => {
    const val = env[name];
    return val === undefined || val.trim() === '' ? undefined : val;
  };
  for (const spec of ENV_VARS) {
    const val = present(spec.name);
    if (val === undefined || spec.kind === 'config-file') continue;
    if (spec.kind === 'file') {
      readFileVar(spec, val, env, cwd, required, out);
      continue;
    }
    if (spec.secret) out.secrets.push(val);
    const conv = convertEnv(spec, val);
    if (!conv.ok) {
      out.issues.push({ file: ENV, path: spec.name, message: conv.message, hint: conv.hint });
      out.failed.add(spec.path);
      continue;
    }
    setPath(out.raw, spec.path, conv.value);
    out.sources.set(spec.path, spec.name);
  }
  return out;
}

function readFileVar(spec: EnvVar, file: string, env: NodeJS.ProcessEnv, cwd: string, required: Set<ConfigRequirement>, out: EnvResult): void {
  const plainName = spec.name.replace(/_FILE$/, '');
  const plain = ENV_VARS.find((e) => e.name === plainName);
  if (!plain) return;
  if (spec.path !== plain.path) {
    setPath(out.raw, spec.path, file.trim());
    out.sources.set(spec.path, spec.name);
  }
  if ((env[plainName] ?? '').trim() !== '') {
    out.issues.push({ file: ENV, path: spec.name, message: `both ${plainName} and ${spec.name} are set`, hint: `unset one of ${plainName} and ${spec.name}` });
    out.failed.add(plain.path);
    return;
  }
  const got = readSecretFile(file.trim(), cwd, spec.name);
  if ('missing' in got) {
    // A session file that does not exist yet is fine for `login` and the offline commands.
    if (spec.name === 'TG_SESSION_FILE' && !required.has('telegram')) return;
    out.issues.push({ file: ENV, path: spec.name, message: `cannot read the file ${JSON.stringify(file.trim())}`, hint: `check that ${spec.name} points to a readable file` });
    out.failed.add(plain.path);
    return;
  }
  if ('problem' in got) {
    out.issues.push({ file: ENV, path: spec.name, message: got.problem, hint: got.hint });
    out.failed.add(plain.path);
    return;
  }
  const content = got.text;
  out.secrets.push(content);
  setPath(out.raw, plain.path, content);
  out.sources.set(plain.path, spec.name);
}

function configFilePath(opts: LoadConfigOptions, env: NodeJS.ProcessEnv, cwd: string): { path?: string; explicit: boolean } {
  const given = opts.file ?? (env.TG_CANARY_CONFIG?.trim() || undefined);
  if (given) return { path: isAbsolute(given) ? given : resolve(cwd, given), explicit: true };
  const dflt = resolve(cwd, DEFAULT_CONFIG_FILE);
  return { path: existsSync(dflt) ? dflt : undefined, explicit: false };
}

function sourceOf(sources: Map<string, string>, path: string): string | undefined {
  let best: string | undefined;
  for (const key of sources.keys()) {
    if ((path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`)) && (!best || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : sources.get(best);
}

/**
 * Loads and validates the configuration, or throws one ValidationError listing every problem. Async only so that
 * the YAML parser is loaded when there is a config file (a cold `run` configured by env alone never loads it).
 */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<Config> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const required = new Set<ConfigRequirement>(opts.require ?? ['telegram', 'targets']);
  const issues: Issue[] = [];

  const { path: file, explicit } = configFilePath(opts, env, cwd);
  let fileValue: Obj = {};
  let src: YamlSource | undefined;
  let lineAt: typeof import('../schema-kit/yaml-source.js').lineAt = () => undefined;
  if (file) {
    const yaml = await import('../schema-kit/yaml-source.js');
    lineAt = yaml.lineAt;
    let text: string | undefined;
    try {
      text = readInputFile(file, { maxBytes: MAX_CONFIG_FILE_BYTES, what: 'the config file' });
    } catch (e) {
      if (e instanceof TgCanaryError) issues.push({ file, path: '', message: e.message, hint: e.hint });
      else issues.push({ file, path: '', message: 'cannot read the config file', hint: explicit ? 'check the path given by --config or TG_CANARY_CONFIG' : `check the permissions of ${DEFAULT_CONFIG_FILE}` });
    }
    if (text !== undefined) {
      src = yaml.parseYamlSource(text);
      for (const e of src.errors) issues.push({ file, path: '', line: e.line, message: e.message, hint: 'fix the YAML syntax' });
      if (src.errors.length === 0 && src.value !== undefined && src.value !== null) {
        if (isObj(src.value)) fileValue = src.value;
        else issues.push({ file, path: '', line: 1, message: 'must be a mapping of config keys', hint: 'write keys such as `telegram:`, `targets:`, `alerts:` at the top level' });
      }
    }
  }

  const fromEnv = readEnv(env, cwd, required);
  issues.push(...fromEnv.issues);
  const merged = deepMerge(fileValue, fromEnv.raw);
  // Flags last: they win over env and file, and go through the same schema.
  const fromFlags = new Map<string, ConfigFlag>();
  for (const f of opts.flags ?? []) {
    setPath(merged, f.path, f.value);
    fromFlags.set(f.path, f);
  }
  const secrets = [...fromEnv.secrets];

  // A session file named in the config file.
  const sessionFile = getPath(merged, 'telegram.sessionFile');
  if (typeof sessionFile === 'string' && getPath(merged, 'telegram.session') === undefined && !fromEnv.failed.has('telegram.session')) {
    const got = readSecretFile(sessionFile, cwd, 'telegram.sessionFile');
    if ('text' in got) {
      setPath(merged, 'telegram.session', got.text);
      secrets.push(got.text);
    } else if ('problem' in got) {
      issues.push({ file: file ?? ENV, path: 'telegram.sessionFile', message: got.problem, hint: got.hint });
    }
  }
  for (const p of SECRET_PATHS) {
    const s = getPath(merged, p);
    if (typeof s === 'string') secrets.push(s);
  }
  secrets.push(...secretValues({ telegram: { accounts: getPath(merged, 'telegram.accounts') } }));

  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    for (const pi of plainIssues(parsed.error, merged, configKeysAt)) {
      const path = formatPath(pi.path);
      const dotted = pi.path.map(String).join('.');
      // a list flag (--accounts a1,a2) is rejected at one of its items: telegram.shard.1
      const flag = fromFlags.get(dotted) ?? [...fromFlags.values()].find((f) => dotted.startsWith(`${f.path}.`));
      if (flag) {
        issues.push({ file: FLAG, path: flagIssuePath(flag), message: pi.message, hint: flagHint(flag, envVarForPath(dotted)?.name) });
        continue;
      }
      if (fromEnv.failed.has(dotted)) continue;
      const envName = sourceOf(fromEnv.sources, path);
      if (envName) {
        issues.push({ file: ENV, path: envName, message: pi.message, hint: pi.hint?.replace(/^add .*$/, `set ${envName}`) });
      } else if (src && file && getPath(fileValue, pi.path.slice(0, pi.unknownKey ? -1 : undefined).map(String).join('.')) !== undefined) {
        const line = pi.unknownKey ? lineAt(src, pi.path.slice(0, -1), String(pi.path[pi.path.length - 1])) : lineAt(src, pi.path);
        issues.push({ file, path, line, message: pi.message, hint: pi.hint });
      } else {
        const spec = envVarForPath(dotted);
        const group = pi.path.slice(0, -1).map(String).join('.');
        const when = pi.message === 'is required' && group.includes('.') ? `${pi.message} when ${group} is configured` : pi.message;
        if (spec) issues.push({ file: ENV, path: spec.name, message: when, hint: `set ${spec.name} (or ${dotted} in ${DEFAULT_CONFIG_FILE})` });
        else issues.push({ file: file ?? DEFAULT_CONFIG_FILE, path, message: when, hint: pi.hint });
      }
    }
  }

  const need = (path: string, what: string, alt?: string): void => {
    const val = getPath(merged, path);
    if (fromEnv.failed.has(path) || (val !== undefined && val !== '' && val !== 0)) return;
    const spec = envVarForPath(path);
    const name = spec?.name ?? path;
    issues.push({ file: ENV, path: name, message: `is required (${what})`, hint: `set ${name}${alt ? ` or ${alt}` : ''} (or ${path} in ${DEFAULT_CONFIG_FILE})` });
  };
  if (required.has('telegram')) {
    need('telegram.apiId', 'the Telegram API id of the test user');
    need('telegram.apiHash', 'the Telegram API hash of the test user', 'TG_API_HASH_FILE');
    // with an account pool (telegram.accounts) every account brings its own session
    if (getPath(merged, 'telegram.accounts') === undefined) need('telegram.session', 'the session of the test user; run `tg-canary login`', 'TG_SESSION_FILE');
  }
  const pairsIssue = pairsConflict(merged, fromEnv.sources, file ?? DEFAULT_CONFIG_FILE, src ? (path) => lineAt(src as YamlSource, path) : undefined);
  if (pairsIssue) issues.push(pairsIssue);
  else if (required.has('targets') && getPath(merged, 'pairs') === undefined) need('targets.canary', 'the canary bot username');

  if (issues.length > 0 || !parsed.success) {
    throw new ValidationError('CONFIG_INVALID', issues.map((i) => scrub(i, secrets)), 'fix the listed settings; `tg-canary validate` checks them without running');
  }
  return parsed.data;
}

/** Defence in depth: no secret value may appear in a message, whatever produced it. */
function scrub(issue: Issue, secrets: string[]): Issue {
  const clean = (s: string | undefined): string | undefined => {
    if (s === undefined) return s;
    let out = s;
    for (const sec of secrets) if (sec.length >= 4) out = out.split(sec).join('[redacted]');
    return out;
  };
  return { ...issue, message: clean(issue.message) ?? '', hint: clean(issue.hint), path: clean(issue.path) ?? '' };
}
