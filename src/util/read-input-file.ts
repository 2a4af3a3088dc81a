/**
 * Reads a file the user points tg-canary at (scenario, config, secret files) with limits: regular files only (a
 * FIFO, a device such as /dev/zero, or a symlink to one is refused at once, before anything is read), at most
 * `maxBytes`, and strict UTF-8 (an invalid byte is an error naming the file and the byte offset, never a silent
 * U+FFFD). Synchronous: these are small files read once at start.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { TgCanaryError, type ErrorCode } from '../core/errors.js';

export const MAX_SCENARIO_FILE_BYTES = 1024 * 1024;
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

export interface InputFileOptions {
  maxBytes: number;
  /** What the file is, for the message: "scenario file", "TG_SESSION_FILE". */
  what: string;
  /** The path as shown in messages (default: as given). */
  shown?: string;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function fail(code: ErrorCode, message: string, hint: string, file: string): TgCanaryError {
  return new TgCanaryError(code, message, { kind: 'config', hint, file });
}

function checkStats(st: Stats, o: InputFileOptions, file: string): void {
  if (!st.isFile()) {
    throw fail('INPUT_NOT_A_FILE', `${o.what} is ${kindOf(st)}, not a regular file`,
      'point it at a regular file (symlinks are followed; pipes and devices are refused)', file);
  }
  if (st.size > o.maxBytes) {
    throw fail('INPUT_TOO_LARGE', `${o.what} is ${st.size} bytes, over the limit of ${o.maxBytes} bytes`,
      `keep it under ${Math.floor(o.maxBytes / 1024)} KiB (split scenarios into several files)`, file);
  }
}

/** Byte offset of the first invalid UTF-8 sequence, or -1 when `buf` is valid UTF-8. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i] as number;
    if (b < 0x80) { i += 1; continue; }
    let n: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) { n = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { n = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { n = 3; min = 0x10000; }
    else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

export function readInputFile(path: string, o: InputFileOptions): string {
  const shown = o.shown ?? path;
  checkStats(statSync(path), o, shown); // follows symlinks: a link to /dev/zero is a character device
  // O_NONBLOCK: if the path was swapped for a FIFO since the check, opening it must not wait for a writer
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let buf: Buffer;
  let len = 0;
  try {
    checkStats(fstatSync(fd), o, shown);
    buf = Buffer.allocUnsafe(o.maxBytes + 1);
    for (;;) {
      const got = readSync(fd, buf, len, buf.length - len, null);
      if (got === 0) break;
      len += got;
      if (len > o.maxBytes) {
        throw fail('INPUT_TOO_LARGE', `${o.what} grew over the limit of ${o.maxBytes} bytes while being read`,
          `keep it under ${Math.floor(o.maxBytes / 1024)} KiB`, shown);
      }
    }
  } finally {
    closeSync(fd);
  }
  const bytes = buf.subarray(0, len);
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const line = bytes.subarray(0, bad).reduce((n, c) => (c === 0x0a ? n + 1 : n), 1);
    throw fail('INPUT_NOT_UTF8', `${o.what} is not valid UTF-8: invalid byte 0x${(bytes[bad] as number).toString(16).padStart(2, '0')} at byte offset ${bad} (line ${line})`,
      'save the file as UTF-8', shown);
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
