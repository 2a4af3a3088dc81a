/**
 * Issue 18 points 1 and 2 through the real CLI, client and sandbox: sending media (photo, voice note, location,
 * contact) and expecting media (a photo, a JSON document, a poll), each with a healthy bot that passes and broken
 * ones that fail (wrong kind, a photo that never arrives, a corrupt file); Telegram failing to serve a file is
 * inconclusive, never a canary failure.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chartPng } from '@tg-canary/sandbox/demo-bots';
import { createWorld, type World } from './harness.js';

let w: World;
const FILES = resolve(__dirname, '../../scenarios/media/files');

beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});
afterEach(() => w.reset());

type Json = NonNullable<Awaited<ReturnType<World['cli']>>['json']>;

function byTarget(json: Json | undefined, target: string): { status: string; reasons: string[] } {
  const s = json?.scenarios.find((x) => x.target === target);
  if (!s) throw new Error(`no ${target} result in ${JSON.stringify(json)}`);
  return s;
}

const getFileCalls = (): number => w.sandbox.callLog.filter((e) => e.method === 'upload.GetFile').length;

const CHART_SHA = createHash('sha256').update(chartPng([0.3, 0.7, 0.5, 0.9])).digest('hex');

const chartScenario = `
name: media-chart-e2e
suite: media
timeout: 20s
steps:
  - send: "Send me a chart of this week"
  - expect:
      timeout: 4s
      settle: 400ms
      assert:
        - { type: media-kind, value: photo, critical: true }
        - { type: mime-type, value: "image/*", critical: true }
        - { type: file-size, value: { min: 100 }, critical: true }
        - { type: sha256, value: "${CHART_SHA}", critical: true }
        - { type: icontains, value: chart }
`;

describe('expect a photo', () => {
  it('healthy: the demo bots send the chart as a photo → pass, its bytes checked', async () => {
    w.writeScenario('chart', chartScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json, 'canary').status).toBe('pass');
    expect(byTarget(r.json, 'stable').status).toBe('pass');
    expect(getFileCalls()).toBeGreaterThan(0);
    // the transcript names the media: kind, size, type
    expect(readFileSync(join(w.dir, 'reports', 'latest.xml'), 'utf8')).toMatch(/&lt; #\d+: \[photo 120×80 \d+ B image\/jpeg\] Your weekly chart/u);
  });

  it('broken: the canary answers with text instead of a photo → fail naming what came', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (m, chat) => chat.reply('Here is your chart: https://charts.example/week.png', { replyTo: m.id }) });
    w.writeScenario('chart', chartScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const c = byTarget(r.json, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/media-kind .*no photo; it carried 1 text message/u);
    expect(byTarget(r.json, 'stable').status).toBe('pass');
  });

  it('broken: the photo never arrives (the bot\'s media message is lost) → fail', async () => {
    w.sandbox.faults.add({ kind: 'media_lost', bot: 'canary_bot' });
    // five attempts per side: one silence against one answer would be insufficient evidence (silence may be transient)
    w.writeScenario('chart', chartScenario.replace('timeout: 20s', 'timeout: 20s\nrepeat: 5'));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    const c = byTarget(r.json, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/no reply within 4\.0 s/u);
  });

  it('broken: the photo arrives corrupt (truncated, scrambled) → fail on its checksum', async () => {
    w.sandbox.faults.add({ kind: 'media_corrupt', bot: 'canary_bot' });
    w.writeScenario('chart', chartScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(byTarget(r.json, 'canary').reasons.join(' ')).toMatch(/sha256 .*photo's sha256 is [0-9a-f]{64}, expected/u);
  });

  it('Telegram cannot serve the file (flood wait on upload.getFile) → inconclusive, never a canary failure', async () => {
    w.sandbox.faults.add({ kind: 'rpc_error', method: 'upload.GetFile', error: 'FLOOD_WAIT_120', code: 420 });
    w.writeScenario('chart', chartScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe('inconclusive');
    expect(byTarget(r.json, 'canary').status).toBe('error');
    expect(r.code).toBe(3);
  });

  it('a file above MEDIA_MAX_DOWNLOAD_BYTES fails the check that needs its bytes, without downloading it', async () => {
    w.writeScenario('chart', chartScenario);
    const before = getFileCalls();
    const r = await w.cli(['run', '--json'], { MEDIA_MAX_DOWNLOAD_BYTES: '50' });
    // both bots fail alike (the cap is ours): a shared cause, so the verdict holds instead of rolling back
    expect(r.json?.verdict, r.stderr).toBe('inconclusive');
    for (const t of ['canary', 'stable']) {
      expect(byTarget(r.json, t).status).toBe('fail');
      expect(byTarget(r.json, t).reasons.join(' ')).toMatch(/sha256 .*above the download cap of 50 bytes/u);
    }
    expect(getFileCalls()).toBe(before);
  });
});

const exportScenario = `
name: media-export-e2e
suite: media
timeout: 20s
steps:
  - send: "Export my data as JSON"
  - expect:
      timeout: 4s
      settle: 400ms
      assert:
        - { type: media-kind, value: document, critical: true }
        - { type: file-name, value: export.json, critical: true }
        - { type: mime-type, value: application/json, critical: true }
        - { type: file-is-json, critical: true }
`;

describe('expect a JSON document', () => {
  it('healthy: the export is a JSON document → pass', async () => {
    w.writeScenario('export', exportScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
  });

  it('broken: the canary\'s export is cut short (invalid JSON) → fail', async () => {
    await w.sandbox.setBot('canary_bot', (base) => ({
      async onMessage(m, chat) {
        if (!/export/iu.test(m.text) || !chat.replyMedia) return base.onMessage(m, chat);
        return chat.replyMedia({ kind: 'document', bytes: Buffer.from('{"chat": "1", "remembered": {'), fileName: 'export.json', mimeType: 'application/json', replyTo: m.id });
      },
    }));
    w.writeScenario('export', exportScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(byTarget(r.json, 'canary').reasons.join(' ')).toMatch(/file-is-json .*file export\.json/u);
    expect(byTarget(r.json, 'stable').status).toBe('pass');
  });
});

describe('expect a poll', () => {
  const pollScenario = `
name: media-poll-e2e
suite: media
timeout: 20s
steps:
  - send: "Make a poll about the next feature"
  - expect:
      timeout: 4s
      settle: 400ms
      checks: { complete: false }
      assert:
        - { type: media-kind, value: poll, critical: true }
`;
  it('healthy → pass; broken (options as text) → fail', async () => {
    w.writeScenario('poll', pollScenario);
    const ok = await w.cli(['run', '--json']);
    expect(ok.code, `${ok.stderr}\n${JSON.stringify(ok.json)}`).toBe(0);
    await w.sandbox.setBot('canary_bot', { onMessage: (m, chat) => chat.reply('Vote: 1) Charts 2) Exports 3) Reminders', { replyTo: m.id }) });
    w.freshDb();
    const bad = await w.cli(['run', '--json']);
    expect(bad.code, bad.stderr).toBe(1);
    expect(byTarget(bad.json, 'canary').reasons.join(' ')).toMatch(/media-kind .*no poll/u);
  });
});

describe('send media', () => {
  const sendScenario = `
name: media-send-e2e
suite: media
timeout: 30s
steps:
  - send: { voice: ./hello.ogg }
  - expect:
      timeout: 4s
      settle: 400ms
      assert:
        - { type: icontains-any, value: [voice, transcript], critical: true }
        - { type: regex, value: "\\\\b3 s\\\\b", critical: true }
  - send: { photo: ./cat.png, caption: "What is in this picture?" }
  - expect:
      timeout: 4s
      settle: 400ms
      assert:
        - { type: icontains-any, value: [photo, picture], critical: true }
        - { type: icontains, value: "64×48", critical: true }
  - send: { location: { lat: 52.52, lon: 13.405 } }
  - expect:
      timeout: 4s
      settle: 400ms
      assert:
        - { type: regex, value: "52[.,]52", critical: true }
  - send: { contact: { phone: "+15550100", firstName: Ann } }
  - expect:
      timeout: 4s
      settle: 400ms
      assert:
        - { type: icontains, value: Ann, critical: true }
`;
  const writeSend = (): void => {
    w.writeScenario('send', sendScenario);
    copyFileSync(join(FILES, 'hello.ogg'), join(w.scenarios, 'hello.ogg'));
    copyFileSync(join(FILES, 'cat.png'), join(w.scenarios, 'cat.png'));
  };

  it('healthy: the bot reads the voice note (its 3 s from the OGG file), the photo, the location and the contact → pass', async () => {
    writeSend();
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(w.sandbox.callLog.some((e) => e.method === 'upload.SaveFilePart')).toBe(true);
  });

  it('broken: a canary that ignores media and answers with its fallback → fail', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (m, chat) => chat.reply("Sorry, I only understand text. Try 'help'.", { replyTo: m.id }) });
    writeSend();
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(byTarget(r.json, 'canary').status).toBe('fail');
    expect(byTarget(r.json, 'stable').status).toBe('pass');
  });

  it('a missing file is a load-time error naming the scenario file, the step and the fix', async () => {
    w.writeScenario('send', sendScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code).toBe(2);
    const err = `${r.stderr}${r.stdout}`;
    expect(err).toMatch(/send\.yaml:\d+: steps\[0\]\.send\.voice: \.\/hello\.ogg does not exist/u);
    expect(err).toMatch(/put the file next to the scenario file/u);
  });
});

describe('video notes, stickers, videos and animations, both ways', () => {
  // a bot that answers a round video note with a sticker, a sticker with a video, and "gif" with an animation
  const answers = (wrong: boolean): Parameters<World['sandbox']['setBot']>[1] => ({
    async onMessage(m, chat) {
      const kind = m.media?.kind;
      const reply = chat.replyMedia?.bind(chat);
      if (!reply) throw new Error('the sandbox chat has no replyMedia');
      if (kind === 'video-note') {
        return wrong
          ? reply({ kind: 'photo', bytes: chartPng([0.2, 0.4]), caption: 'nice video' })
          : reply({ kind: 'sticker', bytes: Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '), caption: '' });
      }
      if (kind === 'sticker') return reply({ kind: 'video', bytes: Buffer.alloc(4096, 7), fileName: 'clip.mp4', duration: wrong ? 0 : 7, width: 320, height: 240, caption: 'a clip back' });
      if (/gif/i.test(m.text)) return reply({ kind: 'animation', bytes: Buffer.alloc(2048, 3), fileName: 'party.mp4', caption: 'party' });
      return chat.reply('send me media', { replyTo: m.id });
    },
  });
  const scenario = `
name: media-both-ways
suite: media
timeout: 40s
steps:
  - send: { video-note: ./note.mp4, duration: 2 }
  - expect:
      timeout: 4s
      settle: 400ms
      assert:
        - { type: media-kind, value: sticker, critical: true }
        - { type: mime-type, value: image/webp, critical: true }
  - send: { sticker: ./sticker.webp }
  - expect:
      timeout: 4s
      settle: 400ms
      assert:
        - { type: media-kind, value: video, critical: true }
        - { type: duration, value: { min: 5, max: 10 }, critical: true }
  - send: "a gif please"
  - expect:
      timeout: 4s
      settle: 400ms
      assert:
        - { type: media-kind, value: animation, critical: true }
`;
  const write = (): void => {
    w.writeScenario('both', scenario);
    writeFileSync(join(w.scenarios, 'note.mp4'), Buffer.alloc(8192, 1));
    writeFileSync(join(w.scenarios, 'sticker.webp'), Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 sticker'));
  };

  it('healthy: a sticker for the video note, a 7 s video for the sticker, an animation → pass', async () => {
    await w.sandbox.setBot('canary_bot', answers(false));
    await w.sandbox.setBot('stable_bot', answers(false));
    write();
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    // the sandbox received a round video note and a sticker, as a Telegram client sends them
    expect(w.sandbox.callLog.filter((e) => e.method === 'messages.SendMedia').length).toBeGreaterThanOrEqual(4);
  });

  it('broken: a photo instead of the sticker, a video without its length → fail', async () => {
    await w.sandbox.setBot('canary_bot', answers(true));
    await w.sandbox.setBot('stable_bot', answers(false));
    write();
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const c = byTarget(r.json, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/media-kind .*sticker/u);
    expect(byTarget(r.json, 'stable').status).toBe('pass');
  });
});
