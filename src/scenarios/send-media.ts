/**
 * A `send:` step with media: exactly one of photo, document, voice, video-note, sticker (a file resolved next to
 * the scenario file, which must exist when the scenario loads), location or contact; a caption only with a file.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { OutgoingMedia, SendFileKind } from '../core/media-types.js';
import type { Step } from '../core/types.js';
import { SEND_MEDIA_KEYS } from './schema.js';

export interface SendMediaValue {
  photo?: string;
  document?: string;
  voice?: string;
  'video-note'?: string;
  sticker?: string;
  location?: { lat: number; lon: number };
  contact?: { phone: string; firstName: string; lastName?: string };
  caption?: string;
  duration?: number;
}

/** What parse-file's context offers here: issues with lines, templated fields, the scenario file. */
interface ParseCtx {
  readonly file: string;
  readonly fields: { path: PropertyKey[]; value: unknown }[];
  add(path: PropertyKey[], message: string, hint: string, keyOf?: string): void;
}

const FILE_KINDS: readonly SendFileKind[] = ['photo', 'document', 'voice', 'video-note', 'sticker'];

export function parseSendMedia(ctx: ParseCtx, o: SendMediaValue, path: PropertyKey[]): Step | undefined {
  const given = SEND_MEDIA_KEYS.filter((k) => o[k] !== undefined);
  if (given.length !== 1) {
    ctx.add(path, given.length === 0 ? 'has no media to send' : `has more than one media (${given.join(', ')})`,
      'give exactly one of photo, document, voice, video-note, sticker, location or contact, e.g. `send: { photo: ./cat.jpg, caption: "a cat" }`; to send text write `send: "hello"`');
    return undefined;
  }
  const key = given[0] as (typeof SEND_MEDIA_KEYS)[number];
  const caption = o.caption ?? '';
  if (o.caption !== undefined) ctx.fields.push({ path: [...path, 'caption'], value: o.caption });
  if (key === 'location' || key === 'contact') {
    if (o.caption !== undefined) ctx.add([...path, 'caption'], `a ${key} has no caption`, 'remove caption, or send a text in a step of its own');
    if (o.duration !== undefined) ctx.add([...path, 'duration'], `a ${key} has no duration`, 'remove duration');
    const media: OutgoingMedia = key === 'location'
      ? { kind: 'location', lat: (o.location as { lat: number }).lat, lon: (o.location as { lon: number }).lon }
      : { kind: 'contact', ...(o.contact as { phone: string; firstName: string; lastName?: string }) };
    return { kind: 'send', text: '', media };
  }
  const kind = key as SendFileKind;
  if (!FILE_KINDS.includes(kind)) return undefined;
  if (o.duration !== undefined && kind !== 'voice' && kind !== 'video-note') ctx.add([...path, 'duration'], `a ${kind} has no duration`, 'remove duration (it is for voice and video-note)');
  const rel = o[kind] as string;
  const file = isAbsolute(rel) ? rel : resolve(dirname(ctx.file), rel);
  let problem: string | undefined;
  try {
    const st = statSync(file);
    if (!st.isFile()) problem = 'is not a regular file';
    else if (st.size === 0) problem = 'is empty';
  } catch {
    problem = 'does not exist';
  }
  if (problem) {
    ctx.add([...path, kind], `${rel} ${problem} (looked for ${file})`, `put the file next to the scenario file (paths are relative to ${dirname(ctx.file)}) or fix the path`);
    return undefined;
  }
  const media: OutgoingMedia = { kind, file };
  if (o.duration !== undefined) media.duration = o.duration;
  return { kind: 'send', text: caption, media };
}
