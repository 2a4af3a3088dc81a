/**
 * auth.bindTempAuthKey (perfect forward secrecy): a client binds a temporary key, made by a DH exchange with
 * p_q_inner_data_temp_dc, to its permanent key; the temporary key then acts as the permanent key's user. Clients
 * use such keys for their media connections (uploads and downloads). The binding message is encrypted with the
 * permanent key in MTProto 1.0 (SHA-1 msg_key, x = 0).
 */
import { IGE } from 'teleproto/crypto/IGE.js';
import { sha1 } from './mtproto-crypto.js';
import { RpcFail, type RpcContext } from './rpc-context.js';
import { longStr, tlBool, type TlObject } from './tl.js';
import type { AuthKeyRec } from './connection.js';

const BIND_AUTH_KEY_INNER = 0x75a3f765;

function keyIvV1(authKey: Buffer, msgKey: Buffer): { key: Buffer; iv: Buffer } {
  const a = sha1(msgKey, authKey.subarray(0, 32));
  const b = sha1(authKey.subarray(32, 48), msgKey, authKey.subarray(48, 64));
  const c = sha1(authKey.subarray(64, 96), msgKey);
  const d = sha1(msgKey, authKey.subarray(96, 128));
  return {
    key: Buffer.concat([a.subarray(0, 8), b.subarray(8, 20), c.subarray(4, 16)]),
    iv: Buffer.concat([a.subarray(8, 20), b.subarray(0, 8), c.subarray(16, 20), d.subarray(0, 8)]),
  };
}

const keyIdLE = (v: unknown): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt.asIntN(64, BigInt(longStr(v) || '0')));
  return b;
};

/** Binds the caller's (temporary) key to the permanent key named in the request; answers boolTrue. */
export function bindTempAuthKey(ctx: RpcContext, req: TlObject, findKey: (id: Buffer) => AuthKeyRec | undefined): Buffer {
  const permId = keyIdLE(req.permAuthKeyId);
  const perm = findKey(permId);
  if (!perm) throw new RpcFail(400, 'PERM_AUTH_KEY_INVALID');
  const enc = Buffer.isBuffer(req.encryptedMessage) ? req.encryptedMessage : Buffer.alloc(0);
  if (enc.length < 24 + 16 || (enc.length - 24) % 16 !== 0 || !enc.subarray(0, 8).equals(permId)) throw new RpcFail(400, 'ENCRYPTED_MESSAGE_INVALID');
  const msgKey = enc.subarray(8, 24);
  const { key, iv } = keyIvV1(perm.key, msgKey);
  const plain = Buffer.from(new IGE(key, iv).decryptIge(enc.subarray(24)));
  const len = plain.readInt32LE(28);
  if (len < 40 || 32 + len > plain.length || !sha1(plain.subarray(0, 32 + len)).subarray(4, 20).equals(msgKey)) throw new RpcFail(400, 'ENCRYPTED_MESSAGE_INVALID');
  const inner = plain.subarray(32, 32 + len);
  const ok = inner.readUInt32LE(0) === BIND_AUTH_KEY_INNER
    && inner.readBigInt64LE(4) === BigInt.asIntN(64, BigInt(longStr(req.nonce) || '0'))
    && inner.subarray(12, 20).equals(ctx.key.id)
    && inner.subarray(20, 28).equals(permId)
    && inner.readInt32LE(36) === Number(req.expiresAt ?? 0);
  if (!ok) throw new RpcFail(400, 'ENCRYPTED_MESSAGE_INVALID');
  ctx.key.userId = perm.userId;
  return tlBool(true);
}
