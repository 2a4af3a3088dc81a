/**
 * A groups file for `tg-canary sandbox --groups FILE` (YAML or JSON): a list of supergroups, validated with
 * messages naming the file and the key path.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import { SandboxValidationError } from './errors.js';
import { formatPath } from './key-path.js';
import type { GroupSpec } from './groups.js';

const username = z.string().regex(/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/u, { error: 'is not a Telegram username (4–32 letters, digits or _)' });

export const groupSpecSchema = z.strictObject({
  title: z.string().min(1),
  type: z.enum(['supergroup', 'group']).optional(),
  username: username.optional(),
  forum: z.boolean().optional(),
  topics: z.array(z.string().min(1)).optional(),
  closedTopics: z.array(z.string().min(1)).optional(),
  bots: z.array(username).optional(),
  humans: z.array(z.strictObject({ name: z.string().min(1), lines: z.array(z.string().min(1)).optional(), chattiness: z.number().min(0).max(1).optional() })).optional(),
  usersJoined: z.boolean().optional(),
});

/** Validates a list of group specs (`file` names the source in messages). */
export function parseGroups(data: unknown, file = '(groups)'): GroupSpec[] {
  const res = z.array(groupSpecSchema).safeParse(data);
  if (!res.success) {
    const issues = res.error.issues.map((i) => ({ file, path: formatPath(i.path), message: i.message }));
    throw new SandboxValidationError('SANDBOX_BAD_GROUP', issues, 'a groups file is a list of { title, username?, forum?, topics?, bots?, humans? }');
  }
  for (const [i, g] of res.data.entries()) {
    if (g.type === 'group' && (g.username || g.forum)) {
      throw new SandboxValidationError('SANDBOX_BAD_GROUP', [{ file, path: `[${i}].${g.username ? 'username' : 'forum'}`, message: 'a basic group (type: group) has no username and no topics' }], 'drop it, or make the group a supergroup (type: supergroup)');
    }
    if (g.topics?.length && !g.forum) {
      throw new SandboxValidationError('SANDBOX_BAD_GROUP', [{ file, path: `[${i}].topics`, message: 'topics need `forum: true`' }], 'add forum: true, or drop topics');
    }
  }
  return res.data;
}

export async function loadGroupFile(file: string): Promise<GroupSpec[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SandboxValidationError('SANDBOX_BAD_GROUP', [{ file, path: '', message: `cannot read the groups file (${(e as Error).message})` }]);
  }
  let data: unknown;
  try {
    data = /\.json$/iu.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new SandboxValidationError('SANDBOX_BAD_GROUP', [{ file, path: '', message: `not valid ${/\.json$/iu.test(file) ? 'JSON' : 'YAML'}: ${(e as Error).message}` }]);
  }
  return parseGroups(data, file);
}
