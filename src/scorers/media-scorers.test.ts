import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReplyMedia } from '../core/media-types.js';
import type { AssertionSpec, Reply } from '../core/types.js';
import { scoreAssertion } from './score.js';
import type { ScorerContext } from './types.js';

function reply(messages: { text?: string; media?: ReplyMedia }[]): Reply {
  const ms = messages.map((m, i) => ({ id: 10 + i, text: m.text ?? '', media: m.media, firstSeenAt: 0, lastChangeAt: 0, edits: 0 }));
  return { messages: ms, text: ms.map((m) => m.text).join('\n'), sentAt: 0, editCount: 0, messageCount: ms.length, settled: true };
}

function ctx(r: Reply, files: Record<number, Buffer> = {}): ScorerContext & { downloads: number[] } {
  const downloads: number[] = [];
  return {
    reply: r, vars: {}, scenario: { name: 's', suite: 'media', file: 's.yaml' }, target: 'canary', recentReplies: () => [], downloads,
    download: async (id) => {
      downloads.push(id);
      const f = files[id];
      if (!f) throw new Error(`no file ${id}`);
      return f;
    },
  };
}

const spec = (type: string, value?: unknown): AssertionSpec => ({ type, value, weight: 1, critical: true });
const photo: ReplyMedia = { kind: 'photo', mimeType: 'image/jpeg', size: 5, width: 10, height: 10 };
const doc: ReplyMedia = { kind: 'document', mimeType: 'application/json', size: 11, fileName: 'export.json' };

describe('media scorers', () => {
  it('media-kind passes on the kind and fails naming what came instead', async () => {
    expect((await scoreAssertion(spec('media-kind', 'photo'), ctx(reply([{ text: 'chart', media: photo }])))).pass).toBe(true);
    const wrong = await scoreAssertion(spec('media-kind', ['voice', 'audio']), ctx(reply([{ text: 'here is your voice note' }])));
    expect(wrong).toMatchObject({ pass: false, reason: 'reply has no voice or audio; it carried 1 text message' });
    expect((await scoreAssertion(spec('not-media-kind', 'sticker'), ctx(reply([{ media: photo }])))).pass).toBe(true);
  });

  it('mime-type takes a family; file-size, duration and file-name read the message, not the bytes', async () => {
    const c = ctx(reply([{ media: photo }, { media: { kind: 'voice', mimeType: 'audio/ogg', duration: 3, size: 900 } }]));
    expect((await scoreAssertion(spec('mime-type', 'image/*'), c)).pass).toBe(true);
    expect((await scoreAssertion(spec('mime-type', 'video/mp4'), c)).reason).toBe('reply\'s files are "image/jpeg", "audio/ogg", not video/mp4');
    expect((await scoreAssertion(spec('file-size', { min: 1, max: 4 }), c)).reason).toBe('photo is 5 bytes, expected 1–4 bytes');
    expect((await scoreAssertion(spec('duration', { min: 2, max: 10 }), c)).pass).toBe(true);
    expect((await scoreAssertion(spec('file-name', 'export.json'), c)).pass).toBe(false);
    expect(c.downloads).toEqual([]);
  });

  it('sha256 and file-is-json download the file once it is needed, and fail a corrupt or empty one', async () => {
    const good = Buffer.from('{"ok": true}');
    const r = reply([{ text: 'your export', media: doc }]);
    const sha = createHash('sha256').update(good).digest('hex');
    expect((await scoreAssertion(spec('sha256', sha), ctx(r, { 10: good }))).pass).toBe(true);
    expect((await scoreAssertion(spec('file-is-json'), ctx(r, { 10: good }))).pass).toBe(true);
    const cut = await scoreAssertion(spec('file-is-json'), ctx(r, { 10: Buffer.from('{"ok": ') }));
    expect(cut.pass).toBe(false);
    expect(cut.reason).toMatch(/^file export\.json: /u);
    expect((await scoreAssertion(spec('file-contains', 'ok'), ctx(r, { 10: Buffer.alloc(0) }))).reason).toBe('document is empty');
    expect((await scoreAssertion(spec('sha256', sha), ctx(reply([{ text: 'no file' }])))).reason).toBe('reply has no file; it carried 1 text message');
  });

  it('a download Telegram failed (an infra error) is rethrown, never graded as the bot\'s failure', async () => {
    const { TgCanaryError } = await import('../core/errors.js');
    const c = ctx(reply([{ media: doc }]));
    c.download = async () => {
      throw new TgCanaryError('TG_FLOOD_WAIT', 'wait 120 s', { kind: 'infra' });
    };
    await expect(scoreAssertion(spec('file-is-json'), c)).rejects.toMatchObject({ code: 'TG_FLOOD_WAIT' });
  });
});
