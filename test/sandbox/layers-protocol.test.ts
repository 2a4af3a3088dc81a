/**
 * Service messages and client layers over a raw socket, with a minimal MTProto 2.0 client written here (so that
 * nothing of teleproto's parsing hides what the sandbox puts on the wire): get_future_salts → a bare future_salts,
 * msgs_state_req → msgs_state_info, rpc_drop_answer, destroy_session of an unknown session, a layer-227 request
 * decoded and answered in layer 227, and layers the sandbox does not serve.
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Api } from 'teleproto';
import bigInt from 'big-integer';
import { IGE } from 'teleproto/crypto/IGE.js';
import { startSandbox, type Sandbox } from '@tg-canary/sandbox';
import { FrameCodec } from '@tg-canary/sandbox/internal/transport';
import { authKeyId, sha256 } from '@tg-canary/sandbox/internal/mtproto-crypto';
import { TlReader, type TlValueObject } from '@tg-canary/sandbox/internal/tl-layers/codec';
import { schemaFor } from '@tg-canary/sandbox/internal/tl-layers/layers';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.stop();
});

function aes(authKey: Buffer, msgKey: Buffer, x: 0 | 8): IGE {
  const a = sha256(msgKey, authKey.subarray(x, x + 36));
  const b = sha256(authKey.subarray(40 + x, 40 + x + 36), msgKey);
  return new IGE(Buffer.concat([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]), Buffer.concat([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]));
}

interface ServerMessage {
  msgId: bigint;
  body: Buffer;
}

/** A raw MTProto 2.0 client over TCP full: client→server x=0, server→client x=8. */
class MiniClient {
  private readonly codec = new FrameCodec();
  private readonly inbox: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  private lastMsgId = 0n;
  private seq = 0;
  salt = 0n;
  readonly sessionId = randomBytes(8).readBigInt64LE(0);

  private constructor(
    private readonly socket: Socket,
    private readonly key: Buffer,
  ) {
    this.codec.kind = 'full';
    socket.on('data', (d: Buffer) => {
      for (const f of this.codec.push(d)) this.onFrame(f);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(port: number, key: Buffer): Promise<MiniClient> {
    const s = connect(port, '127.0.0.1');
    await new Promise<void>((r) => s.once('connect', () => r()));
    return new MiniClient(s, key);
  }

  private onFrame(f: Buffer): void {
    const msgKey = f.subarray(8, 24);
    const plain = Buffer.from(aes(this.key, msgKey, 8).decryptIge(f.subarray(24)));
    expect(sha256(this.key.subarray(96, 128), plain).subarray(8, 24).equals(msgKey)).toBe(true);
    const len = plain.readInt32LE(28);
    this.push({ msgId: plain.readBigInt64LE(16), body: plain.subarray(32, 32 + len) });
  }

  private push(m: ServerMessage): void {
    if (m.body.readUInt32LE(0) === 0x73f1f8dc) {
      let off = 8;
      for (let i = 0; i < m.body.readInt32LE(4); i++) {
        const len = m.body.readInt32LE(off + 12);
        this.push({ msgId: m.body.readBigInt64LE(off), body: m.body.subarray(off + 16, off + 16 + len) });
        off += 16 + len;
      }
      return;
    }
    if (m.body.readUInt32LE(0) === 0x9ec20908) this.salt = m.body.readBigInt64LE(20); // new_session_created
    this.inbox.push(m);
  }

  send(body: Buffer, contentRelated = true): bigint {
    let id = (BigInt(Math.floor(Date.now() / 1000)) << 32n) | (BigInt(Math.floor(Math.random() * 2 ** 30)) << 2n);
    if (id <= this.lastMsgId) id = this.lastMsgId + 4n;
    this.lastMsgId = id;
    const head = Buffer.alloc(32);
    head.writeBigInt64LE(this.salt, 0);
    head.writeBigInt64LE(this.sessionId, 8);
    head.writeBigInt64LE(id, 16);
    head.writeInt32LE(contentRelated ? this.seq++ * 2 + 1 : this.seq * 2, 24);
    head.writeInt32LE(body.length, 28);
    const data = Buffer.concat([head, body]);
    const plain = Buffer.concat([data, randomBytes(((16 - ((data.length + 12) % 16)) % 16) + 12)]);
    const msgKey = sha256(this.key.subarray(88, 120), plain).subarray(8, 24);
    this.socket.write(this.codec.encode(Buffer.concat([authKeyId(this.key), msgKey, Buffer.from(aes(this.key, msgKey, 0).encryptIge(plain))])));
    return id;
  }

  /** The next server message whose body starts with constructor `cid` (others stay queued). */
  async expect(cid: number, ms = 3000): Promise<ServerMessage> {
    const end = Date.now() + ms;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.body.readUInt32LE(0) === cid);
      if (i >= 0) return this.inbox.splice(i, 1)[0] as ServerMessage;
      if (Date.now() > end) throw new Error(`no message 0x${cid.toString(16)} (got ${this.inbox.map((m) => m.body.readUInt32LE(0).toString(16)).join(', ')})`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  /** The rpc_result answering `reqMsgId`: its body. */
  async result(reqMsgId: bigint): Promise<Buffer> {
    const end = Date.now() + 3000;
    for (;;) {
      const m = await this.expect(0xf35c6d01, end - Date.now());
      if (m.body.readBigInt64LE(4) === reqMsgId) return m.body.subarray(12);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function keyFromSession(session: string): Buffer {
  const raw = Buffer.from(session.slice(1), 'base64');
  return raw.subarray(3 + raw.readInt16BE(1) + 2);
}

async function client(): Promise<MiniClient> {
  const u = await sb.createUser({ firstName: 'Raw' });
  const c = await MiniClient.open(sb.port, keyFromSession(u.session));
  c.send(new Api.Ping({ pingId: bigInt(1) }).getBytes(), false);
  await c.expect(0x347773c5); // pong
  return c;
}

function rpcError(body: Buffer): { code: number; message: string } {
  expect(body.readUInt32LE(0)).toBe(0x2144ca19);
  const len = body[8] as number;
  return { code: body.readInt32LE(4), message: body.subarray(9, 9 + len).toString() };
}

function initConnection(layer: number, query: Api.AnyRequest): Buffer {
  return new Api.InvokeWithLayer({
    layer,
    query: new Api.InitConnection({ apiId: sb.apiId, deviceModel: 'raw', systemVersion: '1', appVersion: '1', systemLangCode: 'en', langPack: '', langCode: 'en', query }),
  }).getBytes();
}

describe('MTProto service messages', () => {
  test('get_future_salts → a bare future_salts with the current salt first, as many as asked (≤ 64)', async () => {
    const c = await client();
    const req = Buffer.alloc(8);
    req.writeUInt32LE(0xb921bd04, 0);
    req.writeInt32LE(3, 4);
    const reqId = c.send(req);
    const m = await c.expect(0xae500895);
    const r = new TlReader(schemaFor(229) as NonNullable<ReturnType<typeof schemaFor>>, m.body);
    const fs = r.readBoxed() as TlValueObject;
    expect(r.offset).toBe(m.body.length);
    expect(fs.reqMsgId).toBe(reqId);
    const now = Math.floor(Date.now() / 1000);
    expect(Math.abs((fs.now as number) - now)).toBeLessThanOrEqual(2);
    const salts = fs.salts as { validSince: number; validUntil: number; salt: bigint }[];
    expect(salts).toHaveLength(3);
    expect(salts[0]?.salt).toBe(c.salt);
    expect(salts[0]?.validSince).toBeLessThanOrEqual(now);
    expect(salts[0]?.validUntil).toBeGreaterThan(now);
    for (let i = 1; i < salts.length; i++) expect(salts[i]?.validSince).toBe(salts[i - 1]?.validUntil);
    // still usable: the next request with the (same) salt is answered normally
    const ping = c.send(new Api.Ping({ pingId: bigInt(2) }).getBytes(), false);
    expect((await c.expect(0x347773c5)).body.readBigInt64LE(4)).toBe(ping);
    req.writeInt32LE(1000, 4);
    c.send(req);
    const many = new TlReader(schemaFor(229) as NonNullable<ReturnType<typeof schemaFor>>, (await c.expect(0xae500895)).body).readBoxed() as TlValueObject;
    expect((many.salts as unknown[]).length).toBe(64);
    // a truncated request (no num) neither crashes the sandbox nor goes unanswered
    c.send(req.subarray(0, 4));
    const one = new TlReader(schemaFor(229) as NonNullable<ReturnType<typeof schemaFor>>, (await c.expect(0xae500895)).body).readBoxed() as TlValueObject;
    expect((one.salts as unknown[]).length).toBe(1);
    c.close();
  });

  test('msgs_state_req → msgs_state_info; rpc_drop_answer → rpc_answer_unknown; destroy_session of another session → none', async () => {
    const c = await client();
    const known = c.send(new Api.Ping({ pingId: bigInt(3) }).getBytes(), false);
    await c.expect(0x347773c5);
    const future = known + (1000n << 32n);
    const req = Buffer.alloc(12 + 16);
    req.writeUInt32LE(0xda69fb52, 0);
    req.writeUInt32LE(0x1cb5c415, 4);
    req.writeInt32LE(2, 8);
    req.writeBigInt64LE(known, 12);
    req.writeBigInt64LE(future, 20);
    const reqId = c.send(req, false);
    const info = await c.expect(0x04deb57d);
    expect(info.body.readBigInt64LE(4)).toBe(reqId);
    expect([...info.body.subarray(13, 15)]).toEqual([4, 3]);

    const drop = Buffer.alloc(12);
    drop.writeUInt32LE(0x58e4a740, 0);
    drop.writeBigInt64LE(known, 4);
    const dropId = c.send(drop);
    expect((await c.result(dropId)).readUInt32LE(0)).toBe(0x5e2ad36e);

    const destroy = Buffer.alloc(12);
    destroy.writeUInt32LE(0xe7512126, 0);
    destroy.writeBigInt64LE(12345n, 4);
    const destroyId = c.send(destroy);
    const res = await c.result(destroyId);
    expect(res.readUInt32LE(0)).toBe(0x62d350c9);
    expect(res.readBigInt64LE(4)).toBe(12345n);
    c.close();
  });
});

describe('client layers', () => {
  test('a layer-227 client: its users.getUsers is answered with the layer-227 user constructor', async () => {
    const c = await client();
    const s227 = schemaFor(227) as NonNullable<ReturnType<typeof schemaFor>>;
    const cfgId = c.send(initConnection(227, new Api.help.GetConfig()));
    const cfg = new TlReader(s227, await c.result(cfgId)).readBoxed() as TlValueObject;
    expect(cfg.className).toBe('Config');
    const usersId = c.send(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }).getBytes());
    const body = await c.result(usersId);
    const users = new TlReader(s227, body).read({ kind: 'vector', boxed: true, of: { kind: 'object', name: 'User', bare: false } }) as TlValueObject[];
    expect(body.readUInt32LE(8)).toBe(0x31774388); // user#31774388 (layer 227); layer 229 has user#b1b8cc83
    expect(users[0]).toMatchObject({ className: 'User', self: true, firstName: 'Raw' });
    // a method whose id only layer 227 has is decoded (and then, not being supported, named)
    // channels.getForumTopics#de560d1 flags:# channel:InputChannel q:flags.0?string offset_date:int offset_id:int
    // offset_topic:int limit:int — with inputChannel#f35aec28 channel_id:long access_hash:long
    const forum = Buffer.alloc(4 + 4 + 4 + 8 + 8 + 16);
    forum.writeUInt32LE(0x0de560d1, 0);
    forum.writeUInt32LE(0xf35aec28, 8);
    forum.writeInt32LE(10, 40);
    const err = rpcError(await c.result(c.send(forum)));
    expect(err.message).toBe('METHOD_NOT_SUPPORTED_IN_SANDBOX: channels.GetForumTopics');
    c.close();
  });

  test.each([198, 144])('a layer-%i client gets LAYER_NOT_SUPPORTED_IN_SANDBOX on initConnection and on what follows', async (layer) => {
    const c = await client();
    const err = rpcError(await c.result(c.send(initConnection(layer, new Api.help.GetConfig()))));
    expect(err).toEqual({ code: 400, message: `LAYER_NOT_SUPPORTED_IN_SANDBOX: client layer ${layer}; this sandbox serves 227, 229` });
    const next = rpcError(await c.result(c.send(new Api.updates.GetState().getBytes())));
    expect(next.message).toMatch(/^LAYER_NOT_SUPPORTED_IN_SANDBOX/);
    // the connection stays up (no drop, so no reconnect loop): a ping is still answered
    c.send(new Api.Ping({ pingId: bigInt(9) }).getBytes(), false);
    await c.expect(0x347773c5);
    c.close();
  });

  test('a layer-229 client (teleproto) is answered in layer 229, untouched', async () => {
    const c = await client();
    const res = await c.result(c.send(initConnection(229, new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }))));
    expect(res.readUInt32LE(8)).toBe(0xb1b8cc83);
    c.close();
  });
});
