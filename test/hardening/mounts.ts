/**
 * Real file-system faults for the database: a read-only mount and a full disk. A small tmpfs when mounting is
 * permitted (root in CI); otherwise the nearest real mechanism (see each helper), reported in `how`.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Volume {
  dir: string;
  /** 'tmpfs' when a real tmpfs is mounted; 'dir' when mounting is not permitted. */
  how: 'tmpfs' | 'dir';
  remountReadOnly(): boolean;
  remountWritable(): void;
  /** Fills the volume with a filler file until ENOSPC; returns a function removing it. */
  fill(): () => void;
  dispose(): void;
}

function tryExec(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A fresh tmpfs of `sizeKb` (falls back to a plain temp directory when mounting is not permitted). */
export function makeVolume(sizeKb: number): Volume {
  const dir = mkdtempSync(join(tmpdir(), 'tg-canary-vol-'));
  const mounted = tryExec('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir]);
  return {
    dir,
    how: mounted ? 'tmpfs' : 'dir',
    remountReadOnly: () => mounted && tryExec('mount', ['-o', 'remount,ro', dir]),
    remountWritable: () => { if (mounted) tryExec('mount', ['-o', 'remount,rw', dir]); },
    fill() {
      const filler = join(dir, 'filler.bin');
      const fd = openSync(filler, 'w');
      const chunk = Buffer.alloc(4096, 0x5a);
      try {
        for (let i = 0; i < 1_000_000; i += 1) writeSync(fd, chunk);
      } catch (e) {
        if ((e as { code?: string }).code !== 'ENOSPC') throw e;
      } finally {
        closeSync(fd);
      }
      return () => rmSync(filler, { force: true });
    },
    dispose() {
      if (mounted) tryExec('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
