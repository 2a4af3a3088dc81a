/**
 * What an RPC handler sees: the world, the bots, the caller's key and user; and how it fails.
 */
import type { SandboxLogger } from './logger.js';
import type { BotHost } from './bot-host.js';
import type { AuthKeyRec, SandboxConnection } from './connection.js';
import type { TlObject } from './tl.js';
import type { World } from './world.js';

/** An rpc_error answer. */
export class RpcFail extends Error {
  constructor(
    readonly code: number,
    readonly errorMessage: string,
  ) {
    super(errorMessage);
  }
}

export interface LoginState {
  apiId: number;
  apiHash: string;
  /** phone_code_hash → pending code */
  codes: Map<string, { phone: string; code: string; at: number }>;
  lastCode: Map<string, string>;
  emitCode(phone: string, code: string): void;
}

export interface RpcContext {
  world: World;
  bots: BotHost;
  log: SandboxLogger;
  key: AuthKeyRec;
  conn: SandboxConnection;
  login: LoginState;
  /** Background work started by a handler (bot runs) — tracked so stop() can wait briefly. */
  background(p: Promise<unknown>): void;
  /** Runs `fn` once this RPC's answer has been written (or dropped by a fault). */
  afterResult(fn: () => void): void;
}

/** A handler gets the decoded request and returns the serialized result. */
export type RpcHandler = (ctx: RpcContext, req: TlObject, userId: string) => Promise<Buffer> | Buffer;
export type UnauthHandler = (ctx: RpcContext, req: TlObject) => Promise<Buffer> | Buffer;
