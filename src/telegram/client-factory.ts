/**
 * The production MTProto client factory (teleproto). In production `dc` is unset and the client talks to Telegram as
 * usual; with `dc` (TG_DC=host:port) every connection goes to that address, e.g. the loopback sandbox, whose RSA key
 * comes with it (`dc.rsaKey`), so this folder never imports the sandbox.
 */
import { TelegramClient } from 'teleproto';
import { StringSession } from 'teleproto/sessions/index.js';
import { Logger as GramLogger, LogLevel } from 'teleproto/extensions/Logger.js';
import { ConnectionTCPAbridged, ConnectionTCPFull } from 'teleproto/network/connection/index.js';
import { _serverKeys } from 'teleproto/crypto/RSA.js';
import bigInt from 'big-integer';
import { configError } from '../core/errors.js';
import { ConnectionTCPIntermediate, dcSocketClass, type DcAddress, type DcRsaKey } from './dc-socket.js';

export type ConnectionKind = 'full' | 'abridged' | 'intermediate';
export type GramLogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug';

export interface TelegramClientOptions {
  session: string;
  apiId: number;
  apiHash: string;
  /** Data center address override (the sandbox); unset in production. */
  dc?: DcAddress;
  connection?: ConnectionKind;
  floodSleepThreshold?: number;
  connectionRetries?: number;
  /** gramjs' own console logging; silent by default. */
  logLevel?: GramLogLevel;
}

const LEVELS: Record<GramLogLevel, LogLevel> = {
  none: LogLevel.NONE,
  error: LogLevel.ERROR,
  warn: LogLevel.WARN,
  info: LogLevel.INFO,
  debug: LogLevel.DEBUG,
};

const CONNECTIONS = {
  full: ConnectionTCPFull,
  abridged: ConnectionTCPAbridged,
  intermediate: ConnectionTCPIntermediate,
} as const;

/** Lets the client's real DH key exchange accept a data center's own RSA key (needed for a fresh login there). */
export function registerDcRsaKey(key: DcRsaKey): void {
  if (!_serverKeys.has(key.fingerprint)) _serverKeys.set(key.fingerprint, { n: bigInt(key.n), e: key.e });
}

export function createTelegramClient(opts: TelegramClientOptions): TelegramClient {
  const level = LEVELS[opts.logLevel ?? 'none'];
  const baseLogger = new GramLogger(level);
  const params: ConstructorParameters<typeof TelegramClient>[3] = {
    connection: CONNECTIONS[opts.connection ?? 'full'] as unknown as typeof ConnectionTCPFull,
    connectionRetries: opts.connectionRetries ?? 5,
    floodSleepThreshold: opts.floodSleepThreshold ?? 0,
    baseLogger,
  };
  if (opts.dc) {
    if (opts.dc.rsaKey) registerDcRsaKey(opts.dc.rsaKey);
    params.networkSocket = dcSocketClass(opts.dc);
  }
  const client = new TelegramClient(new StringSession(opts.session), opts.apiId, opts.apiHash, params);
  client.setLogLevel(level);
  return client;
}

/** Parses `TG_DC` (`host:port`, IPv6 as `[::1]:port`). */
export function parseDcAddress(s: string): DcAddress {
  const text = s.trim();
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:\s]+):(\d+)$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !m[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw configError(
      'CONFIG_BAD_DC_ADDRESS',
      `TG_DC must be host:port, got ${JSON.stringify(text.slice(0, 80))}`,
      'use e.g. TG_DC=127.0.0.1:8443 (the line `tg-canary sandbox` prints); leave TG_DC unset in production',
    );
  }
  return { host: m[1], port };
}
