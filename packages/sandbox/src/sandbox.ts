/**
 * startSandbox(): the public face of the loopback data center used by the CLI, the run engine and tests.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SandboxError } from './errors.js';
import { silentLogger, type SandboxLogger } from './logger.js';
import type { BotExport, BotModule } from './bot-contract.js';
import { BotHost, loadBotModule } from './bot-host.js';
import { resolveLimits, type SandboxLimits } from './bot-limits.js';
import { DataCenter, type CallLogEntry } from './data-center.js';
import { FaultEngine, loadFaultFile, parseFaults, type FaultSpec } from './faults.js';
import type { LoginState } from './rpc-context.js';
import { makeVerifier } from './srp.js';
import { World } from './world.js';
import { GroupBots } from './group-bots.js';
import { installBasicGroups } from './basic-groups.js';
import type { GroupRec, GroupSpec } from './groups.js';
import { loadGroupFile, parseGroups } from './group-file.js';
import { SANDBOX_RSA_PUBLIC } from './rsa-public-key.js';
import { WebAppServer } from './web-app-server.js';

export interface SandboxOptions {
  /** 0 (default) = any free port. */
  port?: number;
  host?: string;
  /**
   * Bot username → module path, module object, `builtin`, or `builtin:canary_bot` / `builtin:stable_bot` (that demo bot
   * under another username, for fleets). canary_bot and stable_bot are always present.
   */
  bots?: Record<string, string | BotExport>;
  /** Fault specs, or a YAML/JSON fault file. */
  faults?: FaultSpec[] | string;
  logger?: SandboxLogger;
  /** Seeds the fault dice and the demo bots' randomness. */
  seed?: number;
  /**
   * JSON file keeping the bots' per-chat `state` across sandbox restarts (read at start, written at stop), so that
   * a bot's memory outlives one process, as a real bot's does (`demo --db`). Keyed by user phone and bot username.
   */
  stateFile?: string;
  /**
   * Telegram's behaviour towards bots, as numbers (per-chat rate limits, the button-press window, draft expiry,
   * getDifference paging). Defaults and their sources: packages/sandbox/README.md, "Telegram's limits".
   */
  limits?: Partial<SandboxLimits>;
  /** Supergroups (optionally forums with topics) with bots, the test users and chatty fake humans; or a YAML/JSON file of them. */
  groups?: GroupSpec[] | string;
  /** Privacy mode per bot username (default on, as on Telegram): on = the bot sees only commands, mentions, replies. */
  botPrivacy?: Record<string, boolean>;
}

/** A supergroup as tests see it. */
export interface SandboxGroup {
  id: string;
  /** The Bot API chat id (`-100…`). */
  chatId: string;
  username?: string;
  title: string;
  topics: { id: number; title: string }[];
}

export interface SandboxUser {
  userId: string;
  session: string;
  phone: string;
  username?: string;
}

export interface Sandbox {
  readonly port: number;
  readonly host: string;
  /** Where a client connects, with the data center's RSA key for a fresh login: the client factory's `dc` option. */
  readonly dc: { host: string; port: number; rsaKey: typeof SANDBOX_RSA_PUBLIC };
  readonly apiId: number;
  readonly apiHash: string;
  createUser(u?: { firstName?: string; lastName?: string; username?: string; phone?: string; password?: string; passwordHint?: string }): Promise<SandboxUser>;
  /** The environment `tg-canary run` reads, for this user. */
  env(user: { session: string }): Record<string, string>;
  setBot(username: string, bot: BotExport | string): Promise<void>;
  /** Creates a supergroup (after the bots it names exist). */
  addGroup(spec: GroupSpec): SandboxGroup;
  /** Turns a bot's privacy mode on (the default) or off. */
  setBotPrivacy(username: string, on: boolean): void;
  faults: { add(f: FaultSpec): void; clear(): void; list(): FaultSpec[] };
  readonly callLog: CallLogEntry[];
  /** The limits in force (defaults merged with the `limits` option). */
  readonly limits: Readonly<SandboxLimits>;
  /** Number of open client connections (optionally for one user). */
  connectionCount(userId?: string): number;
  /** Drops every connection, keeps the world, listens again on the same port (after `downMs`). */
  restart(downMs?: number): Promise<void>;
  /** The last login code sent to this phone (auth.sendCode). */
  lastLoginCode(phone: string): string | undefined;
  /** Called with every login code the sandbox "sends"; returns an unsubscribe function. */
  onLoginCode(fn: (phone: string, code: string) => void): () => void;
  /** The Mini App server's origin (http://127.0.0.1:<port>): bots' pages live at /bots/<username>/<path>. */
  readonly webAppOrigin: string;
  stop(): Promise<void>;
}

export const SANDBOX_API_ID = 94575;
export const SANDBOX_API_HASH = '5a4d5b0c5a4d5b0c5a4d5b0c5a4d5b0c';
export const SANDBOX_DC_ID = 2;
export const DEFAULT_BOTS = ['canary_bot', 'stable_bot'] as const;

/** A StringSession for `host` carrying `key` (the session's port field is signed 16-bit: TG_DC carries the real port). */
export function buildStringSession(dcId: number, host: string, port: number, key: Buffer): string {
  const addr = Buffer.from(host, 'utf8');
  const head = Buffer.alloc(3);
  head.writeUInt8(dcId, 0);
  head.writeInt16BE(addr.length, 1);
  const portBuf = Buffer.alloc(2);
  portBuf.writeInt16BE(port > 0 && port <= 32767 ? port : 443, 0);
  return '1' + Buffer.concat([head, addr, portBuf, key]).toString('base64');
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const log = opts.logger ?? silentLogger();
  const host = opts.host ?? '127.0.0.1';
  let limits: SandboxLimits;
  try {
    limits = resolveLimits(opts.limits);
  } catch (e) {
    throw new SandboxError('SANDBOX_BAD_LIMITS', (e as Error).message, { kind: 'config', hint: 'see packages/sandbox/README.md, "Telegram\'s limits"' });
  }
  const world = new World({ updateLogSize: limits.updateLogSize });
  installBasicGroups(world);
  if (opts.stateFile && existsSync(opts.stateFile)) {
    try {
      world.loadChatStates(JSON.parse(readFileSync(opts.stateFile, 'utf8')) as Record<string, Record<string, unknown>>);
    } catch (e) {
      log.warn({ file: opts.stateFile, err: String(e) }, 'sandbox: ignoring an unreadable state file');
    }
  }
  const faults = new FaultEngine(opts.seed);
  const botRandom = opts.seed === undefined ? undefined : faults.random;
  const bots = new BotHost(world, faults, log, limits);
  const listeners = new Set<(phone: string, code: string) => void>();
  const login: LoginState = {
    apiId: SANDBOX_API_ID,
    apiHash: SANDBOX_API_HASH,
    codes: new Map(),
    lastCode: new Map(),
    emitCode: (phone, code) => {
      login.lastCode.set(phone.replace(/\D/g, ''), code);
      log.info({ phoneTail: phone.slice(-2) }, 'sandbox: login code issued');
      for (const l of listeners) l(phone, code);
    },
  };

  if (opts.faults !== undefined) {
    const specs = typeof opts.faults === 'string' ? await loadFaultFile(opts.faults) : parseFaults(opts.faults);
    for (const f of specs) faults.add(f);
  }

  const setBot = async (username: string, bot: BotExport | string): Promise<void> => {
    const name = username.replace(/^@/, '');
    if (!/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(name)) {
      throw new SandboxError('SANDBOX_BAD_BOT_NAME', `bot name ${JSON.stringify(username)} is not a Telegram username`, {
        kind: 'config',
        hint: 'use 4–32 letters, digits or _, starting with a letter, e.g. canary_bot',
      });
    }
    const module: BotModule = await loadBotModule(name, bot, botRandom);
    const user = world.byName(name) ?? world.addUser({ firstName: name.replace(/_/g, ' '), username: name, bot: true });
    user.botToken ??= `${user.id}:${randomBytes(27).toString('base64url').slice(0, 35)}`;
    bots.set(user, module);
  };

  const webApps = new WebAppServer(host, (name) => {
    const u = world.byName(name);
    const hosted = u?.bot ? bots.get(u.id) : undefined;
    return hosted && u?.botToken ? { module: hosted.module, token: u.botToken } : undefined;
  }, log, faults);
  await webApps.listen();
  bots.webApps = webApps;

  const requested = { ...(opts.bots ?? {}) };
  for (const name of DEFAULT_BOTS) if (!(name in requested)) requested[name] = 'builtin';
  for (const [name, spec] of Object.entries(requested)) await setBot(name, spec);

  const groupBots = new GroupBots(world, bots, faults, log);
  world.groups.random = faults.random;
  const setBotPrivacy = (username: string, on: boolean): void => {
    const u = world.byName(username);
    if (!u?.bot) throw new SandboxError('SANDBOX_BAD_BOT_NAME', `no bot @${username.replace(/^@/, '')} in this sandbox`, { kind: 'config', hint: 'name a bot given with --bot' });
    if (on) world.groups.privacyOff.delete(u.id);
    else world.groups.privacyOff.add(u.id);
  };
  for (const [name, on] of Object.entries(opts.botPrivacy ?? {})) setBotPrivacy(name, on);
  const addGroup = (spec: GroupSpec): SandboxGroup => {
    let g: GroupRec;
    try {
      g = world.groups.create(spec);
    } catch (e) {
      throw new SandboxError('SANDBOX_BAD_GROUP', (e as Error).message, { kind: 'config', hint: 'a group needs a free username and bots the sandbox hosts' });
    }
    return { id: g.id, chatId: GroupBots.chatId(g), username: g.username, title: g.title, topics: g.topics.map((t) => ({ id: t.id, title: t.title })) };
  };
  const groupSpecs = typeof opts.groups === 'string' ? await loadGroupFile(opts.groups) : parseGroups(opts.groups ?? []);
  for (const g of groupSpecs) addGroup(g);

  const dc = new DataCenter(host, log, world, bots, faults, login);
  world.groups.deliverToBot = (botId, g, msg) => dc.background(groupBots.deliver(botId, g, msg));
  bots.record = (r) => dc.logCall({ method: r.method, userId: r.userId, botId: r.botId, at: Date.now(), durationMs: 0, connId: 0, error: r.error, fault: r.fault });
  try {
    await dc.listen(opts.port ?? 0);
  } catch (e) {
    await webApps.close();
    throw new SandboxError('SANDBOX_LISTEN_FAILED', `sandbox cannot listen on ${host}:${opts.port ?? 0}: ${(e as Error).message}`, {
      kind: 'usage',
      cause: e,
      hint: 'pick another --port, or 0 for any free one',
    });
  }
  log.info({ host, port: dc.port }, 'sandbox: data center listening');
  let phoneSeq = 0;

  return {
    get port() {
      return dc.port;
    },
    get dc() {
      return { host, port: dc.port, rsaKey: SANDBOX_RSA_PUBLIC };
    },
    host,
    apiId: SANDBOX_API_ID,
    apiHash: SANDBOX_API_HASH,
    async createUser(u = {}) {
      const phone = u.phone ?? `99966${String(dc.port % 10).padStart(1, '0')}${String(++phoneSeq).padStart(4, '0')}`;
      const rec = world.addUser({ firstName: u.firstName, lastName: u.lastName, username: u.username, phone });
      if (u.password) rec.password = makeVerifier(u.password, u.passwordHint);
      const key = randomBytes(256);
      dc.registerKey(key, rec.id);
      return { userId: rec.id, session: buildStringSession(SANDBOX_DC_ID, host, dc.port, key), phone, username: rec.username };
    },
    env(user) {
      return {
        TG_SESSION: user.session,
        TG_API_ID: String(SANDBOX_API_ID),
        TG_API_HASH: SANDBOX_API_HASH,
        CANARY_BOT: 'canary_bot',
        STABLE_BOT: 'stable_bot',
        TG_DC: `${host}:${dc.port}`,
      };
    },
    setBot,
    addGroup,
    setBotPrivacy,
    faults: {
      add: (f) => faults.add(f),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    callLog: dc.callLog,
    limits,
    connectionCount: (userId) => [...dc.connections].filter((c) => userId === undefined || c.userId === userId).length,
    restart: (downMs) => dc.restart(downMs),
    lastLoginCode: (phone) => login.lastCode.get(phone.replace(/\D/g, '')),
    onLoginCode(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    get webAppOrigin() {
      return webApps.url;
    },
    async stop() {
      await webApps.close();
      await dc.close();
      await dc.settle(100);
      if (opts.stateFile) writeFileSync(opts.stateFile, JSON.stringify(world.saveChatStates()), { mode: 0o600 });
      log.info('sandbox: stopped');
    },
  };
}
