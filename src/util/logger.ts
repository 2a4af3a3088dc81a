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

export function createLogger(settings: LoggerSettings = {}): Logger {
  const opts: LoggerOptions = {
    level: settings.level ?? process.env.LOG_LEVEL ?? 'warn',
    base: { app: 'tg-canary' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return pino(opts, (settings.destination ?? process.stderr) as pino.DestinationStream);
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
