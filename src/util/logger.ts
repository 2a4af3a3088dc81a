import { pino, type Logger, type LoggerOptions } from 'pino';

/** Keys redacted wherever they appear in a log object (pino redaction paths). */
export const REDACT_PATHS = [
  'session', '*.session', 'TG_SESSION', '*.TG_SESSION',
  'apiHash', '*.apiHash', 'TG_API_HASH', '*.TG_API_HASH',
  'password', '*.password', 'pass', '*.pass', '*.auth.pass',
  'token', '*.token', 'botToken', '*.botToken',
  'secret', '*.secret', 'authorization', '*.authorization', '*.headers.authorization',
  'phone', '*.phone', 'phoneNumber', '*.phoneNumber',
];

export type { Logger };

export interface LoggerSettings {
  level?: string;
  /** Destination stream; stderr by default so stdout stays free for `--json`. */
  destination?: NodeJS.WritableStream;
}

// JSON already escapes C0; these it leaves raw (DEL, C1, bidi controls), and a terminal showing the log acts on them.
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A log line with the controls JSON leaves raw written as `\uXXXX` escapes (still the same JSON). */
export function terminalSafeJsonLine(line: string): string {
  return line.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const opts: LoggerOptions = {
    level: settings.level ?? process.env.LOG_LEVEL ?? 'warn',
    base: { app: 'tg-canary' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  const dest = settings.destination ?? process.stderr;
  return pino(opts, { write: (line: string) => dest.write(terminalSafeJsonLine(line)) } as pino.DestinationStream);
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
