/**
 * The one shape of a delivery channel. Each notifier (src/notifiers/*) and status pusher (src/status/pushers/*)
 * file exports one plugin object; a typed name map of them (NOTIFIERS, PUSHERS) drives the config schema section,
 * the env var docs, the secret list used for redaction, construction, and the status page's channel health.
 * Adding a channel is one file plus one line in its map.
 */
import type { z } from '../schema-kit/zod.js';
import type { Clock, Notifier } from '../core/ports.js';
import type { RunResult, TargetName } from '../core/types.js';

/** How an env var's string is converted before the schema checks it (a subset of config's EnvKind). */
export type PluginEnvKind = 'string' | 'int' | 'bool' | 'list' | 'duration';

export interface PluginEnvVar {
  name: string;
  /** Key path inside the plugin's config section; `''` when the section is a plain value (a URL). */
  field: string;
  doc: string;
  kind: PluginEnvKind;
  /** Also readable from `<name>_FILE` (a Kubernetes secret volume). */
  fromFile?: boolean;
  default?: string;
  example?: string;
}

interface ChannelPlugin<K extends string, S extends z.ZodType> {
  /** The outbox channel name (stored in SQLite: never rename). */
  readonly name: string;
  /** Key of the config section under `alerts.` (notifiers) or `status.` (pushers). */
  readonly configKey: K;
  /** The config section; the map makes it optional (absent = channel off). */
  readonly schema: S;
  readonly envVars: readonly PluginEnvVar[];
  /** Fields of the section that hold secrets: redacted when the config is printed, scrubbed from errors. */
  readonly secrets: readonly string[];
}

export type RenderPdf = (htmlFile: string, pdfFile: string, opts: { chromiumPath: string; timeoutMs?: number }) => Promise<void>;

/** What the composition root hands every notifier. */
export interface NotifierDeps {
  chromiumPath: string;
  reportsDir?: string;
  /** Renders a report to PDF (email attachments); injected so notifiers never import reporters/. */
  renderPdf?: RenderPdf;
  /** Sends from the test user's session (telegramUser). */
  telegramUserSend?: (peer: string, html: string) => Promise<void>;
  clock?: Clock;
  timeoutMs?: number;
  /**
   * Sending without the database (the "cannot store results" alert): no attachments, no inline waits. Only
   * plugins with `direct: true` are used then.
   */
  direct?: boolean;
}

export interface NotifierPlugin<K extends string = string, S extends z.ZodType = z.ZodType> extends ChannelPlugin<K, S> {
  /** Can send with no database behind it (used for the store-failure alert). */
  readonly direct?: boolean;
  create(cfg: z.output<S>, deps: NotifierDeps): Notifier;
}

/** What a pusher needs at run end to build its payloads (read from SQLite by the caller). */
export interface PushContext {
  lastSuccessAt: Partial<Record<TargetName, number | null>>;
  /** The process exit code of the run (0 pass, 1 fail, 3 inconclusive …), for ping URLs. */
  exitCode: number;
}

/** One outbox item: no URLs or secrets inside, only what was measured. */
export interface PushItem {
  dedupeKey: string;
  payload: unknown;
}

/** `idempotencyKey`: stable per delivery (the outbox dedupe key), sent so a receiver can drop a resent copy. */
export type PushHandler = (payload: unknown, ctx?: { idempotencyKey?: string }) => Promise<void>;

export interface PusherDeps {
  timeoutMs?: number;
}

/**
 * A status pusher in two halves so a target that is down never loses a run: `payloads` runs at run end and its
 * result is stored in the outbox; the handler from `create` delivers one stored payload later.
 */
export interface PusherPlugin<K extends string = string, S extends z.ZodType = z.ZodType> extends ChannelPlugin<K, S> {
  payloads(run: RunResult, ctx: PushContext): Promise<PushItem[]>;
  create(cfg: z.output<S>, deps: PusherDeps): PushHandler;
}

/** Identity helpers that keep the literal config key and the schema's type. */
export function defineNotifier<K extends string, S extends z.ZodType>(p: NotifierPlugin<K, S>): NotifierPlugin<K, S> {
  return p;
}

export function definePusher<K extends string, S extends z.ZodType>(p: PusherPlugin<K, S>): PusherPlugin<K, S> {
  return p;
}

interface Sectioned {
  readonly configKey: string;
  readonly schema: z.ZodType;
}

/** The config section shape of a plugin map: `{ [configKey]: schema.optional() }`. */
export type SectionShape<M extends Record<string, Sectioned>> = {
  [N in keyof M as M[N]['configKey']]: z.ZodOptional<M[N]['schema']>;
};

export function sectionShape<M extends Record<string, Sectioned>>(map: M): SectionShape<M> {
  const out: Record<string, z.ZodType> = {};
  for (const p of Object.values(map)) out[p.configKey] = p.schema.optional();
  return out as SectionShape<M>;
}

/** The parsed config section of a plugin map: `{ [configKey]?: output of its schema }`. */
export type SectionConfig<M extends Record<string, Sectioned>> = {
  [N in keyof M as M[N]['configKey']]?: z.output<M[N]['schema']>;
};

/** A plugin map's names, typed. */
export function pluginNames<M extends Record<string, Sectioned>>(map: M): (keyof M & string)[] {
  return Object.keys(map) as (keyof M & string)[];
}
