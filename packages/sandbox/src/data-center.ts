/**
 * The loopback data center: TCP listener, auth keys, RPC routing with data-center faults, pushes to the
 * connections of each user, restart.
 */
import { createServer, type Server } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { SandboxLogger } from './logger.js';
import type { BotHost } from './bot-host.js';
import { SandboxConnection, type AuthKeyRec, type DcHost, type RpcOutcome } from './connection.js';
import { errorCodeFor, type FaultEngine, type FaultSpec } from './faults.js';
import { authKeyId } from './mtproto-crypto.js';
import { unauthHandlers } from './rpc-auth.js';
import { RpcFail, type LoginState, type RpcContext } from './rpc-context.js';
import { config, userHandlers as messageHandlers } from './rpc-messages.js';
import { mediaHandlers } from './rpc-media.js';
import { bindTempAuthKey } from './rpc-temp-keys.js';
import { Api, type TlObject } from './tl.js';
import { withGroupHandlers } from './rpc-chats.js';
import { tlGroupPush } from './tl-chats.js';
import { tlWorldPush } from './tl-basic-groups.js';
import type { World, WorldEvent } from './world.js';

/** The RPCs of an authorized user: messages and media. */
const userHandlers = { ...messageHandlers, ...mediaHandlers };

export interface CallLogEntry {
  method: string;
  userId: string | null;
  at: number;
  durationMs: number;
  /** The fault applied, e.g. `rpc_error FLOOD_WAIT_5`. */
  fault?: string;
  /** The rpc_error returned, if any (for a bot call: `429 retry after N`). */
  error?: string;
  connId: number;
  /** For a push of a box change: the user's pts after it and its pts_count. */
  pts?: number;
  ptsCount?: number;
  /** For a bot-side call (`bot.*`): the bot's user id. */
  botId?: string;
}

const CALL_LOG_MAX = 20_000;
/** Methods that never need a signed-in key. */
const ALWAYS_OPEN = new Set(['help.GetConfig']);
/** Private-chat RPCs, with the supergroup ones over them (rpc-chats.ts). */
const allUserHandlers = withGroupHandlers(userHandlers);

function describe(f: FaultSpec): string {
  const detail = f.error ?? (f.ms !== undefined ? `${f.ms}ms` : f.when ?? '');
  return detail ? `${f.kind} ${detail}` : f.kind;
}

export class DataCenter implements DcHost {
  private server?: Server;
  private readonly keys = new Map<string, AuthKeyRec>();
  readonly connections = new Set<SandboxConnection>();
  readonly callLog: CallLogEntry[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  port = 0;
  private restarting?: Promise<void>;

  constructor(
    readonly host: string,
    readonly log: SandboxLogger,
    private readonly world: World,
    private readonly bots: BotHost,
    private readonly faults: FaultEngine,
    private readonly login: LoginState,
  ) {
    world.onEvent((e) => this.onWorldEvent(e));
    world.groups.onEvent((e) => this.pushTo(e.userId, tlGroupPush(world, e), { pts: e.pts, ptsCount: 1 }));
  }

  async listen(port: number): Promise<void> {
    const server = createServer((socket) => {
      const conn = new SandboxConnection(socket, this);
      this.connections.add(conn);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    this.server = server;
  }

  /** Closes the listener and every connection. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const c of [...this.connections]) c.close();
    this.connections.clear();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** Drops every connection, keeps the world and the keys, listens again on the same port. */
  restart(downMs = 0): Promise<void> {
    this.restarting ??= (async () => {
      this.log.warn({ port: this.port, downMs }, 'sandbox: data center restarting');
      await this.close();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      // the port may linger for a moment on some systems; retry briefly
      for (let i = 0; ; i++) {
        try {
          await this.listen(this.port);
          break;
        } catch (e) {
          if (i >= 20) throw e;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  /** Registers a pre-shared key for a user (or a fresh DH key with no user). */
  registerKey(key: Buffer, userId?: string): AuthKeyRec {
    const rec: AuthKeyRec = { key, id: authKeyId(key), userId, salt: randomBytes(8).readBigInt64LE(0) };
    this.keys.set(rec.id.toString('hex'), rec);
    return rec;
  }

  findKey(id: Buffer): AuthKeyRec | undefined {
    return this.keys.get(id.toString('hex'));
  }

  closed(conn: SandboxConnection): void {
    this.connections.delete(conn);
  }

  background(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Waits (up to `ms`) for running bot handlers. */
  async settle(ms: number): Promise<void> {
    if (!this.pending.size) return;
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, ms).unref())]);
  }

  async rpc(conn: SandboxConnection, key: AuthKeyRec, _msgId: bigint, query: TlObject): Promise<RpcOutcome> {
    const method = query.className;
    const started = Date.now();
    const entry: CallLogEntry = { method, userId: key.userId ?? null, at: started, durationMs: 0, connId: conn.id };
    this.logCall(entry);
    const finish = (out: RpcOutcome): RpcOutcome => {
      entry.durationMs = Date.now() - started;
      if (out.kind === 'error') entry.error = out.message;
      this.log.debug({ method, userId: entry.userId, ms: entry.durationMs, fault: entry.fault, error: entry.error, conn: conn.id }, 'sandbox rpc');
      return out;
    };

    const fault = this.faults.takeRpc(method, key.userId);
    let dropAfter = false;
    if (fault) {
      entry.fault = describe(fault);
      switch (fault.kind) {
        case 'rpc_error': {
          const message = fault.error ?? 'INTERNAL';
          return finish({ kind: 'error', code: fault.code ?? errorCodeFor(message), message });
        }
        case 'rpc_hang':
          return finish({ kind: 'none' });
        case 'rpc_delay':
          await new Promise((r) => setTimeout(r, fault.ms ?? 0));
          break;
        case 'drop_connection':
          if (fault.when === 'after') dropAfter = true;
          else {
            conn.close();
            return finish({ kind: 'none' });
          }
          break;
        case 'restart':
          void this.restart(fault.downMs ?? 0).catch((e: unknown) => this.log.error({ err: (e as Error).message }, 'sandbox: restart failed'));
          return finish({ kind: 'none' });
        default:
          break;
      }
    }

    const after: (() => void)[] = [];
    const ctx: RpcContext = {
      world: this.world,
      bots: this.bots,
      log: this.log,
      key,
      conn,
      login: this.login,
      background: (p) => this.background(p),
      afterResult: (fn) => void after.push(fn),
    };
    try {
      let data: Buffer;
      if (method === 'help.GetConfig' && ALWAYS_OPEN.has(method)) {
        data = config(this.port, this.host).getBytes();
      } else if (method === 'auth.BindTempAuthKey') {
        data = bindTempAuthKey(ctx, query, (id) => this.findKey(id));
      } else if (unauthHandlers[method]) {
        data = await (unauthHandlers[method] as NonNullable<(typeof unauthHandlers)[string]>)(ctx, query);
      } else if (allUserHandlers[method]) {
        const uid = key.userId;
        if (!uid) throw new RpcFail(401, 'AUTH_KEY_UNREGISTERED');
        data = await (allUserHandlers[method] as NonNullable<(typeof allUserHandlers)[string]>)(ctx, query, uid);
      } else {
        this.log.warn({ method, userId: entry.userId }, `sandbox: RPC ${method} is not supported by the sandbox; answering METHOD_NOT_SUPPORTED_IN_SANDBOX`);
        return finish({ kind: 'error', code: 400, message: `METHOD_NOT_SUPPORTED_IN_SANDBOX: ${method}`, dropAfter });
      }
      return finish({ kind: 'result', data, dropAfter, after });
    } catch (e) {
      if (e instanceof RpcFail) return finish({ kind: 'error', code: e.code, message: e.errorMessage, dropAfter, after });
      throw e;
    }
  }

  /** Appends to the call log (RPCs, pushes, bot-side calls), keeping the newest CALL_LOG_MAX entries. */
  logCall(entry: CallLogEntry): void {
    this.callLog.push(entry);
    if (this.callLog.length > CALL_LOG_MAX) this.callLog.splice(0, this.callLog.length - CALL_LOG_MAX);
  }

  /** Pushes group updates to a user's connections (no push faults: those model private chats). */
  private pushTo(userId: string, upd: Api.TypeUpdates, pts: { pts: number; ptsCount: number }): void {
    this.logCall({ method: `push.${upd.className}`, userId, at: Date.now(), durationMs: 0, connId: 0, ...pts });
    const bytes = upd.getBytes();
    for (const c of this.connections) if (c.userId === userId && c.canPush) c.push(bytes);
  }

  private onWorldEvent(e: WorldEvent): void {
    let upd = tlWorldPush(this.world, e);
    if (!upd) return;
    const from = e.kind === 'typing' ? e.fromId : e.kind === 'delete' ? undefined : e.msg.fromId;
    const botName = from ? this.world.users.get(from)?.username : undefined;
    const kind = e.kind === 'new' ? 'message' : e.kind === 'typing' ? e.action.type : e.kind;
    const fault = this.faults.takePush(botName, kind);
    const times = fault?.kind === 'drop_push' ? 0 : fault?.kind === 'duplicate_push' ? 2 : 1;
    // updates_too_long: Telegram gives up on sending the update itself; the client must call getDifference
    if (fault?.kind === 'updates_too_long') upd = new Api.UpdatesTooLong();
    const pts = e.kind === 'typing' ? {} : { pts: e.pts, ptsCount: e.kind === 'delete' ? e.ids.length : 1 };
    this.logCall({ method: `push.${upd.className}`, userId: e.userId, at: Date.now(), durationMs: 0, fault: fault ? fault.kind : undefined, connId: 0, ...pts });
    if (times === 0) return;
    const bytes = upd.getBytes();
    for (const c of this.connections) {
      if (c.userId !== e.userId || !c.canPush) continue;
      for (let i = 0; i < times; i++) c.push(bytes);
    }
  }
}
