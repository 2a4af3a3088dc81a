/** Private, atomic file writes for reports: directories 0700, files 0600, never a half-written file. */
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Creates `dir` (and parents) as 0700; an existing directory's mode is left alone (it may be shared, like /tmp). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  // umask may have narrowed the mode; set it on every directory we created.
  let d = path.resolve(dir);
  const stop = path.dirname(path.resolve(first));
  while (d !== stop && d !== path.dirname(d)) {
    await chmod(d, 0o700);
    d = path.dirname(d);
  }
}

/** Writes `content` to a temp file beside `file`, then renames it into place (readers never see half a file). */
export async function writePrivateFile(file: string, content: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Copies a file atomically with mode 0600. */
export async function copyPrivateFile(from: string, to: string): Promise<void> {
  const tmp = path.join(path.dirname(to), `.${path.basename(to)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await copyFile(from, tmp);
    await chmod(tmp, 0o600);
    await rename(tmp, to);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Run ids become directory names: allow only a safe alphabet (no `/`, no `..`). */
export function isSafeRunId(runId: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(runId) && !runId.includes('..');
}
