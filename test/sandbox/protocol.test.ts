/**
 * Protocol details over a raw TCP socket, with gramjs' own MTProtoState doing the client-side encryption:
 * new_session_created, bad_server_salt, ping / ping_delay_disconnect → pong, containers, gzip_packed, -404.
 */
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Api } from 'teleproto';
import bigInt from 'big-integer';
import { AuthKey } from 'teleproto/crypto/AuthKey.js';
import { MTProtoState } from 'teleproto/network/MTProtoState.js';
import { Logger, LogLevel } from 'teleproto/extensions/Logger.js';
import { startSandbox, type Sandbox } from '@tg-canary/sandbox';
import { FrameCodec } from '@tg-canary/sandbox/internal/transport';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.stop();
});

function keyFromSession(session: string): Buffer {
  const raw = Buffer.from(session.slice(1), 'base64');
  const addrLen = raw.readInt16BE(1);
  return raw.subarray(3 + addrLen + 2);
}

/** A TCP-full client (reusing the sandbox codec in reverse: it is symmetric). */
class RawClient {
  private readonly codec = new FrameCodec();
  private readonly frames: Buffer[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(readonly socket: Socket) {
    this.codec.kind = 'full';
    socket.on('data', (d: Buffer) => {
      if (d.length === 12 && d.readInt32LE(0) < 0) this.frames.push(d.subarray(8));
      else this.frames.push(...this.codec.push(d));
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(port: number): Promise<RawClient> {
    const s = connect(port, '127.0.0.1');
    await new Promise<void>((r) => s.once('connect', () => r()));
    return new RawClient(s);
  }
  send(payload: Buffer): void {
    this.socket.write(this.codec.encode(payload));
  }
  async next(ms = 2000): Promise<Buffer> {
    const end = Date.now() + ms;
    while (!this.frames.length) {
      if (this.closed || Date.now() > end) throw new Error('no frame');
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return this.frames.shift() as Buffer;
  }
}

interface Received {
  obj: { className?: string; [k: string]: unknown };
}

async function session(): Promise<{ raw: RawClient; state: MTProtoState; recv: () => Promise<Received[]> }> {
  const u = await sb.createUser();
  const ak = new AuthKey();
  await ak.setKey(keyFromSession(u.session));
  const state = new MTProtoState(ak, new Logger(LogLevel.NONE));
  const raw = await RawClient.open(sb.port);
  const recv = async (): Promise<Received[]> => {
    const msg = await state.decryptMessageData(await raw.next());
    const obj = (await msg.obj) as { className?: string; messages?: { obj: unknown }[] };
    if (obj && Array.isArray(obj.messages)) return Promise.all(obj.messages.map(async (m) => ({ obj: (await m.obj) as Received['obj'] })));
    return [{ obj: obj as Received['obj'] }];
  };
  return { raw, state, recv };
}

async function sendBody(state: MTProtoState, raw: RawClient, body: Buffer, contentRelated = true): Promise<bigInt.BigInteger> {
  const { BinaryWriter } = await import('teleproto/extensions/BinaryWriter.js');
  const w = new BinaryWriter(Buffer.alloc(0));
  const id = await state.writeDataAsMessage(w, body, contentRelated);
  raw.send(await state.encryptMessageData(w.getValue()));
  return id;
}

async function collect(recv: () => Promise<Received[]>, n: number): Promise<Received[]> {
  const out: Received[] = [];
  while (out.length < n) out.push(...(await recv()));
  return out;
}

describe('MTProto details', () => {
  test('new_session_created, then pong for ping and ping_delay_disconnect', async () => {
    const { raw, state, recv } = await session();
    const pingId = bigInt(12345);
    const msgId = await sendBody(state, raw, new Api.Ping({ pingId }).getBytes());
    const got = await collect(recv, 2);
    const nsc = got.find((g) => g.obj.className === 'NewSessionCreated');
    expect(nsc).toBeDefined();
    expect(String(nsc?.obj.firstMsgId)).toBe(msgId.toString());
    const pong = got.find((g) => g.obj.className === 'Pong');
    expect(String(pong?.obj.pingId)).toBe('12345');
    expect(String(pong?.obj.msgId)).toBe(msgId.toString());
    state.salt = nsc?.obj.serverSalt as bigInt.BigInteger;
    await sendBody(state, raw, new Api.PingDelayDisconnect({ pingId: bigInt(77), disconnectDelay: 60 }).getBytes());
    const [p2] = await recv();
    expect(p2?.obj.className).toBe('Pong');
    expect(String(p2?.obj.pingId)).toBe('77');
    raw.socket.destroy();
  });

  test('a wrong salt after the session started gets bad_server_salt with the right one', async () => {
    const { raw, state, recv } = await session();
    await sendBody(state, raw, new Api.Ping({ pingId: bigInt(1) }).getBytes());
    const first = await collect(recv, 2);
    const salt = first.find((g) => g.obj.className === 'NewSessionCreated')?.obj.serverSalt as bigInt.BigInteger;
    state.salt = bigInt(424242);
    const bad = await sendBody(state, raw, new Api.Ping({ pingId: bigInt(2) }).getBytes());
    const [b] = await recv();
    expect(b?.obj.className).toBe('BadServerSalt');
    expect(String(b?.obj.badMsgId)).toBe(bad.toString());
    expect(String(b?.obj.newServerSalt)).toBe(salt.toString());
    raw.socket.destroy();
  });

  test('message containers and gzip_packed requests are unpacked', async () => {
    const { raw, state, recv } = await session();
    await sendBody(state, raw, new Api.Ping({ pingId: bigInt(1) }).getBytes());
    const first = await collect(recv, 2);
    state.salt = first.find((g) => g.obj.className === 'NewSessionCreated')?.obj.serverSalt as bigInt.BigInteger;
    // container of two pings, built by hand: msg_container#73f1f8dc messages:vector<%Message>
    const inner = (id: bigint, body: Buffer): Buffer => {
      const h = Buffer.alloc(16);
      h.writeBigInt64LE(id, 0);
      h.writeInt32LE(1, 8);
      h.writeInt32LE(body.length, 12);
      return Buffer.concat([h, body]);
    };
    const base = BigInt(Math.floor(Date.now() / 1000)) << 32n;
    const c = Buffer.alloc(8);
    c.writeUInt32LE(0x73f1f8dc, 0);
    c.writeInt32LE(2, 4);
    const container = Buffer.concat([c, inner(base + 4n, new Api.Ping({ pingId: bigInt(10) }).getBytes()), inner(base + 8n, new Api.Ping({ pingId: bigInt(11) }).getBytes())]);
    await sendBody(state, raw, container, false);
    const pongs = await collect(recv, 2);
    expect(pongs.map((p) => String(p.obj.pingId)).sort()).toEqual(['10', '11']);
    // gzip_packed#3072cfa1 packed_data:bytes around help.getNearestDc (an RPC → rpc_result)
    const gz = gzipSync(new Api.help.GetNearestDc().getBytes());
    const head = Buffer.alloc(4);
    head.writeUInt32LE(0x3072cfa1, 0);
    const lenByte = gz.length < 254 ? Buffer.from([gz.length]) : Buffer.from([254, gz.length & 255, (gz.length >> 8) & 255, 0]);
    const packed = Buffer.concat([head, lenByte, gz, Buffer.alloc((4 - ((lenByte.length + gz.length) % 4)) % 4)]);
    const reqId = await sendBody(state, raw, packed);
    const [res] = await recv();
    expect(res?.obj.CONSTRUCTOR_ID).toBe(0xf35c6d01); // rpc_result
    expect(String(res?.obj.reqMsgId)).toBe(reqId.toString());
    const { BinaryReader } = await import('teleproto/extensions/BinaryReader.js');
    const result = new BinaryReader(res?.obj.body as Buffer).tgReadObject() as { className: string; thisDc: number };
    expect(result.className).toBe('NearestDc');
    expect(result.thisDc).toBe(2);
    raw.socket.destroy();
  });

  test('an unknown auth key gets the -404 transport error', async () => {
    const raw = await RawClient.open(sb.port);
    raw.send(Buffer.concat([randomBytes(8), randomBytes(16), randomBytes(64)]));
    const f = await raw.next();
    expect(f.length).toBe(4);
    expect(f.readInt32LE(0)).toBe(-404);
    raw.socket.destroy();
  });

  test('a corrupt frame (bad CRC) closes the connection', async () => {
    const raw = await RawClient.open(sb.port);
    const frame = Buffer.alloc(24);
    frame.writeInt32LE(24, 0);
    raw.socket.write(frame);
    await expect(raw.next(1000)).rejects.toThrow();
    expect(raw.closed).toBe(true);
  });
});
