/**
 * One client TCP connection to the sandbox data center: transport framing, MTProto 2.0 sessions
 * (new_session_created, bad_server_salt, containers, gzip_packed, acks, pings) and concurrent RPC dispatch.
 */
import type { Socket } from 'node:net';
import { gzipSync, unzipSync } from 'node:zlib';
import type { SandboxLogger } from './logger.js';
import { FrameCodec } from './transport.js';
import { decryptClientMessage, encryptServerMessage, MsgIdGenerator } from './mtproto-crypto.js';
import { Handshake } from './handshake.js';
import { CID, i32, i64, readTlObject, tlBytes, u32, type TlObject } from './tl.js';
import { answerToLayer, isServedLayer, MethodNotInNativeLayer, pushToLayer, requestToNative, resultTypeOf, SERVED_LAYERS, TELEPROTO_LAYER } from './tl-layers/layers.js';

export interface AuthKeyRec {
  key: Buffer;
  id: Buffer;
  /** The user this key is signed in as (undefined: a fresh key from the DH exchange, not logged in yet). */
  userId?: string;
  salt: bigint;
  /** Login in progress: signIn accepted the code, 2FA still needed. */
  pendingPasswordFor?: string;
  srp?: { id: bigint; b: bigint; B: Buffer };
}

/** What a connection needs from its data center. */
export interface DcHost {
  readonly log: SandboxLogger;
  findKey(id: Buffer): AuthKeyRec | undefined;
  registerKey(key: Buffer): AuthKeyRec;
  /** Runs one RPC (already unwrapped). Resolves to the serialized result, or `undefined` to never answer. */
  rpc(conn: SandboxConnection, key: AuthKeyRec, msgId: bigint, query: TlObject): Promise<RpcOutcome>;
  closed(conn: SandboxConnection): void;
}

export type RpcOutcome =
  | { kind: 'result'; data: Buffer; dropAfter?: boolean; after?: (() => void)[] }
  | { kind: 'error'; code: number; message: string; dropAfter?: boolean; after?: (() => void)[] }
  | { kind: 'none' };

const C = {
  ping: 0x7abe77ec,
  pingDelayDisconnect: 0xf3427b8c,
  pong: 0x347773c5,
  msgsAck: 0x62d6b459,
  newSessionCreated: 0x9ec20908,
  badServerSalt: 0xedab447b,
  destroySession: 0xe7512126,
  destroySessionOk: 0xe22045fc,
  destroySessionNone: 0x62d350c9,
  msgsStateInfo: 0x04deb57d,
  rpcDropAnswer: 0x58e4a740,
  rpcAnswerUnknown: 0x5e2ad36e,
  getFutureSalts: 0xb921bd04,
  futureSalts: 0xae500895,
  invokeWithLayer: 0xda9b0d0d,
  msgsStateReq: 0xda69fb52,
  msgResendReq: 0x7d861a08,
  httpWait: 0x9299359f,
} as const;

const WRAPPERS = new Set(['InvokeWithLayer', 'InitConnection', 'InvokeWithoutUpdates', 'InvokeAfterMsg', 'InvokeAfterMsgs', 'InvokeWithMessagesRange', 'InvokeWithTakeout']);

let nextConnId = 1;

export class SandboxConnection {
  readonly id = nextConnId++;
  private readonly codec = new FrameCodec();
  private readonly msgIds = new MsgIdGenerator();
  private key?: AuthKeyRec;
  private readonly sessions = new Set<bigint>();
  private sessionId?: bigint;
  private seq = 0;
  private handshake?: Handshake;
  private pingTimer?: NodeJS.Timeout;
  private closedFlag = false;
  /** The client's layer, from invokeWithLayer (undefined until then: layer 229 is assumed). */
  layer?: number;
  /** Set once a client declared a layer the sandbox cannot serve (logged once). */
  private unservedLayer = false;
  /** The client's recent msg_ids, for msgs_state_req (bounded). */
  private readonly seenMsgIds = new Set<bigint>();

  constructor(
    readonly socket: Socket,
    private readonly dc: DcHost,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
  }

  get userId(): string | undefined {
    return this.key?.userId;
  }

  get transport(): string | undefined {
    return this.codec.kind;
  }

  /** Whether pushes can reach this connection (an authorized key and a live session). */
  get canPush(): boolean {
    return !this.closedFlag && this.sessionId !== undefined && this.key?.userId !== undefined;
  }

  private onClose(): void {
    this.closedFlag = true;
    if (this.pingTimer) clearTimeout(this.pingTimer);
    this.dc.closed(this);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    if (this.pingTimer) clearTimeout(this.pingTimer);
    this.socket.destroy();
  }

  /** Sends pending output, then closes (drop "after answering"). */
  closeAfterFlush(): void {
    if (this.closedFlag) return;
    this.socket.end(() => this.close());
    setTimeout(() => this.close(), 200).unref();
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.codec.push(chunk);
    } catch (e) {
      this.dc.log.warn({ conn: this.id, err: (e as Error).message }, 'sandbox: corrupt transport stream, closing');
      this.close();
      return;
    }
    for (const f of frames) this.onFrame(f);
  }

  private write(payload: Buffer): void {
    if (this.closedFlag) return;
    this.socket.write(this.codec.encode(payload));
  }

  private onFrame(frame: Buffer): void {
    if (frame.length < 8) return;
    const keyId = frame.subarray(0, 8);
    if (keyId.every((b) => b === 0)) {
      this.onPlain(frame);
      return;
    }
    const key = this.key && this.key.id.equals(keyId) ? this.key : this.dc.findKey(keyId);
    if (!key) {
      this.dc.log.info({ conn: this.id }, 'sandbox: unknown auth key, answering -404');
      this.socket.write(this.codec.encodeError(-404));
      this.closeAfterFlush();
      return;
    }
    this.key = key;
    const msg = decryptClientMessage(key.key, frame);
    if (!msg) {
      this.dc.log.warn({ conn: this.id }, 'sandbox: message failed msg_key check, ignored');
      return;
    }
    if (!this.sessions.has(msg.sessionId)) {
      this.sessions.add(msg.sessionId);
      this.sessionId = msg.sessionId;
      this.seq = 0;
      // new_session_created#9ec20908 first_msg_id:long unique_id:long server_salt:long
      this.send(Buffer.concat([u32(C.newSessionCreated), i64(msg.msgId), i64(BigInt(this.id)), i64(key.salt)]), false, true);
    } else {
      this.sessionId = msg.sessionId;
      if (msg.salt !== key.salt) {
        // bad_server_salt#edab447b bad_msg_id:long bad_msg_seqno:int error_code:int new_server_salt:long
        this.send(Buffer.concat([u32(C.badServerSalt), i64(msg.msgId), i32(msg.seqNo), i32(48), i64(key.salt)]), true, false);
        return;
      }
    }
    this.onMessage(key, msg.msgId, msg.body);
  }

  private onPlain(frame: Buffer): void {
    if (frame.length < 20) return;
    const len = frame.readInt32LE(16);
    const body = frame.subarray(20, 20 + len);
    this.handshake ??= new Handshake((k) => {
      this.dc.registerKey(k);
    });
    let answer: Buffer;
    try {
      answer = this.handshake.handle(body);
    } catch (e) {
      this.dc.log.warn({ conn: this.id, err: (e as Error).message }, 'sandbox: key exchange failed, closing');
      this.close();
      return;
    }
    const head = Buffer.alloc(20);
    head.writeBigInt64LE(this.msgIds.next(true), 8);
    head.writeInt32LE(answer.length, 16);
    this.write(Buffer.concat([head, answer]));
  }

  private remember(msgId: bigint): void {
    this.seenMsgIds.add(msgId);
    if (this.seenMsgIds.size > 512) this.seenMsgIds.delete(this.seenMsgIds.values().next().value as bigint);
  }

  /** msgs_state_info#04deb57d req_msg_id:long info:string: one byte per queried id (MTProto service messages). */
  private sendMsgsState(reqMsgId: bigint, body: Buffer): void {
    if (body.length < 12 || body.readUInt32LE(4) !== CID.vector) return;
    const n = Math.min(body.readInt32LE(8), Math.floor((body.length - 12) / 8));
    let oldest: bigint | undefined;
    let newest: bigint | undefined;
    for (const id of this.seenMsgIds) {
      if (oldest === undefined || id < oldest) oldest = id;
      if (newest === undefined || id > newest) newest = id;
    }
    const info = Buffer.alloc(Math.max(0, n));
    for (let i = 0; i < n; i++) {
      const id = body.readBigInt64LE(12 + i * 8);
      // 4 = received; 1 = too old to know; 3 = not received, msg_id too high; 2 = not received
      info[i] = this.seenMsgIds.has(id) ? 4 : oldest === undefined || newest === undefined || id < oldest ? 1 : id > newest ? 3 : 2;
    }
    this.send(Buffer.concat([u32(C.msgsStateInfo), i64(reqMsgId), tlBytes(info)]), true, false);
  }

  private onMessage(key: AuthKeyRec, msgId: bigint, body: Buffer): void {
    if (body.length < 4) return;
    const cid = body.readUInt32LE(0);
    if (cid !== CID.msgContainer) this.remember(msgId);
    switch (cid) {
      case CID.msgContainer: {
        const count = body.readInt32LE(4);
        let off = 8;
        for (let i = 0; i < count && off + 16 <= body.length; i++) {
          const innerId = body.readBigInt64LE(off);
          const len = body.readInt32LE(off + 12);
          this.onMessage(key, innerId, body.subarray(off + 16, off + 16 + len));
          off += 16 + len;
        }
        return;
      }
      case CID.gzipPacked: {
        const packed = readTlBytes(body, 4);
        let inner: Buffer;
        try {
          inner = unzipSync(packed);
        } catch {
          inner = packed; // gramjs 2.26 labels data gzip_packed without compressing it
        }
        this.onMessage(key, msgId, inner);
        return;
      }
      case C.msgsStateReq:
        this.sendMsgsState(msgId, body);
        return;
      case C.rpcDropAnswer:
        // the sandbox keeps no answers to drop: rpc_answer_unknown, in an rpc_result as Telegram sends it
        this.sendResult(msgId, u32(C.rpcAnswerUnknown));
        return;
      case C.msgsAck:
      case C.msgResendReq:
      case C.httpWait:
        return;
      case C.ping:
      case C.pingDelayDisconnect: {
        const pingId = body.readBigInt64LE(4);
        if (cid === C.pingDelayDisconnect) this.armPingTimer(body.readInt32LE(12));
        this.send(Buffer.concat([u32(C.pong), i64(msgId), i64(pingId)]), true, false);
        return;
      }
      case C.getFutureSalts: {
        this.sendFutureSalts(key, msgId, body.length >= 8 ? body.readInt32LE(4) : 1);
        return;
      }
      case C.destroySession: {
        const sid = body.readBigInt64LE(4);
        const known = this.sessions.delete(sid);
        this.sendResult(msgId, Buffer.concat([u32(known ? C.destroySessionOk : C.destroySessionNone), i64(sid)]));
        return;
      }
      default:
        void this.onRpc(key, msgId, body);
    }
  }

  private armPingTimer(delaySeconds: number): void {
    if (this.pingTimer) clearTimeout(this.pingTimer);
    if (delaySeconds <= 0) return;
    this.pingTimer = setTimeout(() => this.close(), delaySeconds * 1000);
    this.pingTimer.unref();
  }

  /**
   * future_salts#ae500895 req_msg_id:long now:int salts:vector<future_salt>, sent bare (not in rpc_result), as
   * Telegram does. The sandbox keeps one salt per key, so every window carries it: one hour each, the first
   * one current, which a client like mtcute (that fetches again when it holds fewer than two future salts) accepts.
   */
  private sendFutureSalts(key: AuthKeyRec, reqMsgId: bigint, num: number): void {
    const now = Math.floor(Date.now() / 1000);
    const count = Math.min(64, Math.max(1, num));
    const start = now - (now % 3600);
    const salts: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      // future_salt#0949d9dc valid_since:int valid_until:int salt:long (bare)
      salts.push(i32(start + i * 3600), i32(start + (i + 1) * 3600), i64(key.salt));
    }
    this.send(Buffer.concat([u32(C.futureSalts), i64(reqMsgId), i32(now), i32(count), ...salts]), true, false);
  }

  /** A request in the client's layer, as a teleproto object (layer 229), or undefined when answered with an error. */
  private decodeRequest(msgId: bigint, body: Buffer): TlObject | undefined {
    if (body.readUInt32LE(0) === C.invokeWithLayer && body.length >= 8) {
      const declared = body.readInt32LE(4);
      if (declared !== this.layer && declared !== TELEPROTO_LAYER && isServedLayer(declared)) {
        this.dc.log.info({ conn: this.id, layer: declared }, `sandbox: client at layer ${declared}; answers are re-encoded from layer ${TELEPROTO_LAYER}`);
      }
      this.layer = declared;
    }
    const layer = this.layer;
    if (layer !== undefined && layer !== TELEPROTO_LAYER && !isServedLayer(layer)) {
      if (!this.unservedLayer) {
        this.unservedLayer = true;
        this.dc.log.warn({ conn: this.id, layer, served: SERVED_LAYERS }, `sandbox: client speaks layer ${layer}, which the sandbox does not serve (${SERVED_LAYERS.join(', ')})`);
      }
      this.sendError(msgId, 400, `LAYER_NOT_SUPPORTED_IN_SANDBOX: client layer ${layer}; this sandbox serves ${[...SERVED_LAYERS].sort((a, b) => a - b).join(', ')}`);
      return undefined;
    }
    try {
      // fast path: the native layer is decoded by teleproto directly
      return readTlObject(layer === undefined || layer === TELEPROTO_LAYER ? body : requestToNative(layer, body));
    } catch (e) {
      if (e instanceof MethodNotInNativeLayer) {
        this.dc.log.warn({ conn: this.id, layer, method: e.method }, `sandbox: RPC ${e.method} (layer ${layer}) is not supported by the sandbox; answering METHOD_NOT_SUPPORTED_IN_SANDBOX`);
        this.sendError(msgId, 400, `METHOD_NOT_SUPPORTED_IN_SANDBOX: ${e.method}`);
        return undefined;
      }
      const cid = body.readUInt32LE(0).toString(16).padStart(8, '0');
      this.dc.log.warn({ conn: this.id, constructor: cid }, 'sandbox: undecodable request');
      this.dc.log.debug({ conn: this.id, layer, err: (e as Error).message }, 'sandbox: request decoding failed');
      this.sendError(msgId, 400, `INPUT_CONSTRUCTOR_INVALID_${cid.toUpperCase()}`);
      return undefined;
    }
  }

  private async onRpc(key: AuthKeyRec, msgId: bigint, body: Buffer): Promise<void> {
    let query = this.decodeRequest(msgId, body);
    if (!query) return;
    while (WRAPPERS.has(query.className) && query.query) {
      query = query.query as TlObject;
    }
    let out: RpcOutcome;
    try {
      out = await this.dc.rpc(this, key, msgId, query);
    } catch (e) {
      this.dc.log.error({ conn: this.id, method: query.className, err: (e as Error).message }, 'sandbox: RPC handler crashed');
      out = { kind: 'error', code: 500, message: 'INTERNAL' };
    }
    if (out.kind === 'none') return;
    if (out.kind === 'result') {
      const data = this.toClientLayer(out.data, query.className);
      if (data) this.sendResult(msgId, data);
      else this.sendError(msgId, 500, `INTERNAL_SANDBOX_LAYER_${this.layer ?? TELEPROTO_LAYER}_ENCODING`);
    } else this.sendError(msgId, out.code, out.message);
    // Work the request caused (a bot seeing the message) starts once its answer is on the wire: a bot's reply
    // travels through the Bot API and can never overtake the sendMessage result on the user's connection.
    for (const fn of out.after ?? []) fn();
    if (out.dropAfter) this.closeAfterFlush();
  }

  sendResult(reqMsgId: bigint, data: Buffer): void {
    let payload = data;
    if (data.length > 1024) {
      const gz = gzipSync(data);
      if (gz.length + 8 < data.length) payload = Buffer.concat([u32(CID.gzipPacked), tlBytes(gz)]);
    }
    this.send(Buffer.concat([u32(CID.rpcResult), i64(reqMsgId), payload]), true, true);
  }

  sendError(reqMsgId: bigint, code: number, message: string): void {
    const err = Buffer.concat([u32(CID.rpcError), i32(code), tlBytes(Buffer.from(message, 'utf8'))]);
    this.send(Buffer.concat([u32(CID.rpcResult), i64(reqMsgId), err]), true, true);
  }

  /**
   * A layer-229 answer (of `method`, or an `Updates` push without one) in this client's layer. The native layer
   * passes through untouched; undefined when it cannot be expressed in the client's layer (logged).
   */
  private toClientLayer(data: Buffer, method?: string): Buffer | undefined {
    const layer = this.layer;
    if (layer === undefined || layer === TELEPROTO_LAYER) return data;
    try {
      if (method === undefined) return pushToLayer(layer, data);
      const type = resultTypeOf(method);
      if (!type) throw new Error(`no result type known for ${method}`);
      return answerToLayer(layer, type, data);
    } catch (e) {
      this.dc.log.warn({ conn: this.id, layer, method: method ?? 'push', err: (e as Error).message }, `sandbox: cannot express a layer-${TELEPROTO_LAYER} answer in the client's layer ${layer}`);
      return undefined;
    }
  }

  /** Pushes an `Updates` object the server starts (in layer 229; re-encoded for a client at another layer). */
  push(data: Buffer): void {
    if (!this.canPush) return;
    const out = this.toClientLayer(data);
    if (out) this.send(out, false, true);
  }

  private send(body: Buffer, answer: boolean, contentRelated: boolean): void {
    if (this.closedFlag || !this.key || this.sessionId === undefined) return;
    const seqNo = contentRelated ? this.seq++ * 2 + 1 : this.seq * 2;
    const enc = encryptServerMessage(this.key.key, this.key.id, {
      salt: this.key.salt,
      sessionId: this.sessionId,
      msgId: this.msgIds.next(answer),
      seqNo,
      body,
    });
    this.write(enc);
  }
}

function readTlBytes(b: Buffer, off: number): Buffer {
  let len = b[off] ?? 0;
  let head = 1;
  if (len === 254) {
    len = b.readUIntLE(off + 1, 3);
    head = 4;
  }
  return b.subarray(off + head, off + head + len);
}
