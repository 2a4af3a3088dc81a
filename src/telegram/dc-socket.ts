/**
 * Pieces that aim the unmodified gramjs client at a chosen data center address: a socket class that
 * substitutes host and port (gramjs always dials port 80 and ignores the session's port), and the
 * Intermediate transport, which gramjs 2.26 does not ship.
 */
import { PromisedNetSockets } from 'teleproto/extensions/index.js';
import { Connection, PacketCodec } from 'teleproto/network/connection/Connection.js';

/** An RSA public key a data center signs its DH answers with (Telegram's are built into the client). */
export interface DcRsaKey {
  /** Lower 64 bits of SHA1(n, e), as a signed decimal, the way the client looks keys up. */
  fingerprint: string;
  n: string;
  e: number;
}

export interface DcAddress {
  host: string;
  port: number;
  /** The data center's own key, for a fresh login against a data center that is not Telegram's (the sandbox). */
  rsaKey?: DcRsaKey;
}

/** A `networkSocket` class for gramjs that always connects to `dc`, whatever address gramjs asks for. */
export function dcSocketClass(dc: DcAddress): typeof PromisedNetSockets {
  class DcSocket extends PromisedNetSockets {
    override connect(_port: number, _ip: string): Promise<unknown> {
      return super.connect(dc.port, dc.host);
    }
  }
  return DcSocket;
}

interface ByteReader {
  readExactly(n: number): Promise<Buffer>;
}

/** MTProto Intermediate transport: tag 0xeeeeeeee, then each packet as a 4-byte little-endian length + payload. */
export class IntermediatePacketCodec extends PacketCodec {
  static tag = Buffer.from('eeeeeeee', 'hex');
  tag = IntermediatePacketCodec.tag;

  override encodePacket(data: Buffer): Buffer {
    const head = Buffer.alloc(4);
    head.writeInt32LE(data.length, 0);
    return Buffer.concat([head, data]);
  }

  override async readPacket(reader: ByteReader): Promise<Buffer> {
    const head = await reader.readExactly(4);
    const len = head.readInt32LE(0);
    if (len < 0) {
      // transport error (e.g. -404): hand the 4 bytes on, gramjs turns short bodies into InvalidBufferError
      return head;
    }
    return reader.readExactly(len);
  }
}

export class ConnectionTCPIntermediate extends Connection {
  constructor(...args: ConstructorParameters<typeof Connection>) {
    super(...args);
    (this as unknown as { PacketCodecClass: unknown }).PacketCodecClass = IntermediatePacketCodec;
  }
}
