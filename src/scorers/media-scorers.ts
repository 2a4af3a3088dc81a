/**
 * Media assertions: on a reply's media as Telegram describes it (kind, mime type, size, duration, file name), and
 * on a file's bytes (sha256, and text checks on a document's content), downloaded on demand under the cap. A bot
 * that answered with the wrong kind, no media at all, or an empty/corrupt file fails them; a download Telegram
 * could not serve throws an infra error (the scenario is `error`, never `fail`).
 */
import { createHash } from 'node:crypto';
import type { ReplyMedia } from '../core/media-types.js';
import type { Reply, ReplyMessage } from '../core/types.js';
import { STRING_SCORERS } from './string-scorers.js';
import { preview } from './text.js';
import { outcome, type Scorer, type ScorerContext } from './types.js';
import { asText, asTextList, isRecord } from './values.js';

type WithMedia = ReplyMessage & { media: ReplyMedia };

function mediaMessages(reply: Reply): WithMedia[] {
  return reply.messages.filter((m): m is WithMedia => !m.deleted && m.media !== undefined);
}

/** What the reply carried, for reasons: "photo, text" or "only text". */
function carried(reply: Reply): string {
  const kinds = mediaMessages(reply).map((m) => m.media.kind);
  const texts = reply.messages.filter((m) => !m.deleted && !m.media).length;
  const parts = [...kinds, ...(texts ? [`${texts} text message${texts === 1 ? '' : 's'}`] : [])];
  return parts.length ? parts.join(', ') : 'nothing';
}

const FILE_KINDS = new Set(['photo', 'document', 'voice', 'audio', 'video', 'video-note', 'animation', 'sticker']);

function withFile(reply: Reply): WithMedia | undefined {
  return mediaMessages(reply).find((m) => FILE_KINDS.has(m.media.kind));
}

const mediaKind: Scorer = (spec, ctx) => {
  const wanted = asTextList(spec.value).map((k) => k.trim().toLowerCase());
  const hit = mediaMessages(ctx.reply).find((m) => wanted.includes(m.media.kind));
  return hit
    ? outcome(true, `reply has a ${hit.media.kind}`)
    : outcome(false, `reply has no ${wanted.join(' or ')}; it carried ${carried(ctx.reply)}`);
};

/** `image/png`, or a family such as `image/*`; case-insensitive. */
function mimeMatches(pattern: string, mime: string): boolean {
  const p = pattern.trim().toLowerCase();
  const m = mime.toLowerCase();
  return p.endsWith('/*') ? m.startsWith(p.slice(0, -1)) : m === p;
}

const mimeType: Scorer = (spec, ctx) => {
  const wanted = asTextList(spec.value);
  const files = mediaMessages(ctx.reply).filter((m) => m.media.mimeType !== undefined);
  const hit = files.find((m) => wanted.some((w) => mimeMatches(w, m.media.mimeType ?? '')));
  if (hit) return outcome(true, `reply has a ${hit.media.kind} of type ${preview(hit.media.mimeType ?? '')}`);
  const seen = files.map((m) => preview(m.media.mimeType ?? '')).join(', ');
  return outcome(false, files.length ? `reply's files are ${seen}, not ${wanted.join(' or ')}` : `reply has no file; it carried ${carried(ctx.reply)}`);
};

function range(value: unknown): { min?: number; max?: number } {
  if (typeof value === 'number') return { min: value };
  if (!isRecord(value)) return {};
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : undefined);
  return { min: num(value.min), max: num(value.max) };
}

function inRange(n: number, r: { min?: number; max?: number }): boolean {
  return (r.min === undefined || n >= r.min) && (r.max === undefined || n <= r.max);
}

function describeRange(r: { min?: number; max?: number }, unit: string): string {
  if (r.min !== undefined && r.max !== undefined) return `${r.min}–${r.max} ${unit}`;
  return r.min !== undefined ? `at least ${r.min} ${unit}` : `at most ${r.max ?? 0} ${unit}`;
}

const fileSize: Scorer = async (spec, ctx) => {
  const r = range(spec.value);
  const m = withFile(ctx.reply);
  if (!m) return outcome(false, `reply has no file; it carried ${carried(ctx.reply)}`);
  const size = m.media.size ?? (await bytesOf(ctx, m)).length;
  return inRange(size, r)
    ? outcome(true, `${m.media.kind} is ${size} bytes`)
    : outcome(false, `${m.media.kind} is ${size} bytes, expected ${describeRange(r, 'bytes')}`);
};

const duration: Scorer = (spec, ctx) => {
  const r = range(spec.value);
  const m = mediaMessages(ctx.reply).find((x) => x.media.duration !== undefined);
  if (!m) return outcome(false, `reply has no voice note, audio or video with a duration; it carried ${carried(ctx.reply)}`);
  const d = m.media.duration ?? 0;
  return inRange(d, r)
    ? outcome(true, `${m.media.kind} lasts ${d} s`)
    : outcome(false, `${m.media.kind} lasts ${d} s, expected ${describeRange(r, 's')}`);
};

const fileName: Scorer = (spec, ctx) => {
  const wanted = asText(spec.value);
  const names = mediaMessages(ctx.reply).flatMap((m) => (m.media.fileName !== undefined ? [m.media.fileName] : []));
  return names.includes(wanted)
    ? outcome(true, `reply has the file ${preview(wanted)}`)
    : outcome(false, names.length ? `reply's files are named ${names.map((n) => preview(n)).join(', ')}, not ${preview(wanted)}` : `reply has no named file; it carried ${carried(ctx.reply)}`);
};

async function bytesOf(ctx: ScorerContext, m: ReplyMessage): Promise<Buffer> {
  if (!ctx.download) throw new Error('this run cannot download files');
  return ctx.download(m.id);
}

const sha256: Scorer = async (spec, ctx) => {
  const wanted = asText(spec.value).trim().toLowerCase();
  const m = withFile(ctx.reply);
  if (!m) return outcome(false, `reply has no file; it carried ${carried(ctx.reply)}`);
  const got = createHash('sha256').update(await bytesOf(ctx, m)).digest('hex');
  return got === wanted
    ? outcome(true, `${m.media.kind}'s sha256 is ${got.slice(0, 12)}…`)
    : outcome(false, `${m.media.kind}'s sha256 is ${got}, expected ${wanted}`);
};

/** Up to this much of a file is read as text for the file-* text checks. */
const MAX_TEXT_BYTES = 1024 * 1024;

/** A text scorer applied to a file's content (UTF-8) instead of the reply text. */
function onFile(name: 'is-json' | 'contains' | 'icontains' | 'regex' | 'equals'): Scorer {
  return async (spec, ctx) => {
    const m = withFile(ctx.reply);
    if (!m) return outcome(false, `reply has no file; it carried ${carried(ctx.reply)}`);
    const bytes = await bytesOf(ctx, m);
    if (bytes.length === 0) return outcome(false, `${m.media.kind} is empty`);
    if (bytes.length > MAX_TEXT_BYTES) return outcome(false, `${m.media.kind} is ${bytes.length} bytes, more than the ${MAX_TEXT_BYTES} read as text`);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    const res = await STRING_SCORERS[name](spec, { ...ctx, reply: { ...ctx.reply, text } });
    return { ...res, reason: `file ${m.media.fileName ?? m.media.kind}: ${res.reason.replace(/^reply\b/u, 'content')}` };
  };
}

export const MEDIA_SCORERS = {
  'media-kind': mediaKind,
  'mime-type': mimeType,
  'file-size': fileSize,
  duration,
  'file-name': fileName,
  sha256,
  'file-is-json': onFile('is-json'),
  'file-contains': onFile('contains'),
  'file-icontains': onFile('icontains'),
  'file-regex': onFile('regex'),
  'file-equals': onFile('equals'),
} satisfies Record<string, Scorer>;
