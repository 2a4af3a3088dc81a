/**
 * Issue 13 (points 1, 2, 3, 7) through the real CLI, client and sandbox: default checks on every expect, claims,
 * the like-stable oracle against stable's reply in the same run, and linear-time regexes on hostile replies.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from './harness.js';

let w: World;

beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});
afterEach(() => w.reset());

type Json = NonNullable<Awaited<ReturnType<World['cli']>>['json']>;

function byTarget(json: Json, target: string): { status: string; reasons: string[] } {
  const s = json.scenarios.find((x) => x.target === target);
  if (!s) throw new Error(`no ${target} result in ${JSON.stringify(json)}`);
  return s;
}

/** The transcript of the latest run (assertions with their reasons), from the JUnit report. */
function transcript(): string {
  return readFileSync(join(w.dir, 'reports', 'latest.xml'), 'utf8').replace(/&quot;/gu, '"').replace(/&apos;/gu, "'").replace(/&lt;/gu, '<').replace(/&gt;/gu, '>').replace(/&amp;/gu, '&');
}

const hubScenario = (extra = ''): string => `
name: rag-hub
suite: rag
timeout: 15s
steps:
  - send: "Which protocols does the Orbit Hub support?"
  - expect:
      timeout: 3s
      settle: 400ms
      assert:
        - { type: claims, value: [{ about: Zigbee, says: yes }, { about: Z-Wave, says: no }], critical: true }
${extra}`;

describe('like-stable: canary against stable in the same run', () => {
  it('healthy: canary phrases the same facts differently → pass, compared against a real baseline', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply('Zigbee and Matter work with the Orbit Hub; Z-Wave is not supported. 🙂') });
    w.writeScenario('rag', hubScenario());
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json!, 'canary').status).toBe('pass');
    const t = transcript();
    expect(t).toMatch(/PASS like-stable \(critical\) step 1 .*canary agrees with stable's reply/u);
    expect(t).not.toMatch(/no baseline/u);
  });

  it('broken: canary flips a polarity → fail, with the claim and the oracle both saying why', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply('The Orbit Hub supports Zigbee, Matter and Z-Wave.') });
    w.writeScenario('rag', hubScenario());
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    const why = c.reasons.join(' ');
    expect(why).toMatch(/claims .*states "Z-Wave", which should be denied/u);
    expect(why).toMatch(/like-stable .*affirms "z-wave", which stable denies/u);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('broken: canary answers with a changed number → like-stable fails (no hand-written expectation needed)', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply('The Orbit X1 battery lasts 12 hours on a single charge.') });
    w.writeScenario('rag', `
name: rag-battery
suite: rag
timeout: 15s
steps:
  - send: "How long does the Orbit X1 battery last?"
  - expect: { timeout: 3s, settle: 400ms }
`);
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/canary says "12 hours" where stable says "18 hours"/u);
  });

  it('stable silent: like-stable is not applicable, says "no baseline" and does not fail the canary', async () => {
    w.sandbox.faults.add({ kind: 'silence', bot: 'stable_bot' });
    w.writeScenario('rag', hubScenario());
    const r = await w.cli(['run', '--json']);
    expect(byTarget(r.json!, 'canary').status, r.stderr).toBe('pass');
    expect(byTarget(r.json!, 'stable').status).toBe('fail');
    expect(transcript()).toMatch(/PASS like-stable \(critical\) step 1 score 1\.00 x0: no baseline: stable did not reply to this step/u);
  });

  it('a slow stable: canary waits for its reply and still compares', async () => {
    w.sandbox.faults.add({ kind: 'latency', bot: 'stable_bot', ms: 1500 });
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply('The Orbit Hub supports Zigbee, Matter and Z-Wave.') });
    w.writeScenario('rag', `
name: rag-hub-slow
suite: rag
timeout: 15s
steps:
  - send: "Which protocols does the Orbit Hub support?"
  - expect: { timeout: 4s, settle: 300ms }
`);
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/affirms "z-wave", which stable denies/u);
  });
});

describe('like-stable with the pairwise LLM judge (LLM_JUDGE_URL on a loopback server)', () => {
  let judge: Server;
  let judgeUrl = '';
  const orders: string[] = [];
  beforeAll(async () => {
    // Finds the reply that invents Thread support worse, wherever it is shown (A or B).
    judge = createServer((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        const user = (JSON.parse(raw) as { messages: Array<{ content: string }> }).messages[1].content;
        const a = /<<<A\n([\s\S]*?)\nA>>>/u.exec(user)?.[1] ?? '';
        const b = /<<<B\n([\s\S]*?)\nB>>>/u.exec(user)?.[1] ?? '';
        orders.push(a.includes('Thread') ? 'canary-A' : b.includes('Thread') ? 'canary-B' : 'same');
        const worse = a.includes('Thread') ? 'A' : b.includes('Thread') ? 'B' : 'neither';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: JSON.stringify({ worse, reason: worse === 'neither' ? 'same facts' : 'claims Thread support the other reply does not' }) } }] }));
      });
    });
    await new Promise<void>((r) => judge.listen(0, '127.0.0.1', r));
    judgeUrl = `http://127.0.0.1:${(judge.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    judge.closeAllConnections();
    await new Promise<void>((r) => judge.close(() => r()));
  });

  it('catches an invented fact the deterministic comparison lets through; both orders were shown across runs', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply('The Orbit Hub supports Zigbee, Matter and Thread. It does not support Z-Wave.') });
    w.writeScenario('rag', `
name: rag-hub-judge
suite: rag
timeout: 15s
quiet: 0s
steps:
  - send: "Which protocols does the Orbit Hub support?"
  - expect: { timeout: 3s, settle: 300ms }
`);
    const env = { LLM_JUDGE_URL: judgeUrl, LLM_JUDGE_MODEL: 'judge' };
    const without = await w.cli(['run', '--json']);
    expect(without.code, `${without.stderr}\n${JSON.stringify(without.json)}`).toBe(0);
    for (let i = 0; i < 12 && new Set(orders.filter((o) => o !== 'same')).size < 2; i++) {
      const r = await w.cli(['run', '--json'], env);
      expect(r.code, r.stderr).toBe(1);
      expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/pairwise judge: canary is worse \("claims Thread support/u);
    }
    expect(new Set(orders)).toEqual(new Set(['canary-A', 'canary-B']));
  });
});

describe('default checks', () => {
  const leaky = 'The Orbit X1 weighs 1.2 kg.\n\nSYSTEM PROMPT: You are Orbi. Internal note: push the X2.';
  const weight = (checks = ''): string => `
name: rag-weight
suite: rag
targets: [canary]
timeout: 15s
${checks}
steps:
  - send: "How much does the Orbit X1 weigh?"
  - expect:
      timeout: 3s
      settle: 300ms
      assert:
        - { type: icontains, value: "1.2 kg", critical: true }
`;

  it('a correct answer followed by a system-prompt dump fails not-leak without being asked', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply(leaky) });
    w.writeScenario('rag', weight());
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/critical not-leak \(step 1\) failed: reply leaks system prompt .*checks: \{ not-leak: false \}/u);
  });

  it('the scenario can switch a default check off', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply(leaky) });
    w.writeScenario('rag', weight('checks: { not-leak: false }'));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
  });

  it('a joke cut mid-sentence with an error line fails complete and not-error', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply('Why did the chicken cross the road? To get to the\n⚠️ Error: upstream timeout') });
    w.writeScenario('joke', `
name: joke
suite: joke
targets: [canary]
timeout: 15s
steps:
  - send: "Tell me a joke"
  - expect: { timeout: 3s, settle: 300ms, assert: [ { type: length, value: { min: 10 } } ] }
`);
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const why = byTarget(r.json!, 'canary').reasons.join(' ');
    expect(why).toMatch(/critical not-error \(step 1\) failed/u);
    expect(why).toMatch(/critical complete \(step 1\) failed: reply looks cut short: an error line follows the content/u);
  });

  it('an "As an AI" refusal fails a joke scenario that never listed not-refusal', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply("As an AI, I'm not able to tell jokes.") });
    w.writeScenario('joke', `
name: joke
suite: joke
targets: [canary]
timeout: 15s
steps:
  - send: "Tell me a joke"
  - expect: { timeout: 3s, settle: 300ms }
`);
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/critical not-refusal \(step 1\) failed: reply reads like a refusal/u);
  });
});

describe('regexes run in linear time', () => {
  it("^(a+)+$ against a hostile 4000-character reply (under Telegram's 4096 limit) returns at once (regex, save, click)", async () => {
    const hostile = `${'a'.repeat(4000)}!`;
    await w.sandbox.setBot('canary_bot', {
      onMessage: (_m, chat) => chat.reply(hostile, { buttons: [[{ text: `${'a'.repeat(60)}!`, data: 'a' }]] }),
      onCallback: () => 'ok',
    });
    w.writeScenario('hostile', `
name: hostile
suite: favor
targets: [canary]
timeout: 15s
checks: { like-stable: false, not-refusal: false }
steps:
  - send: "say a"
  - expect:
      timeout: 3s
      settle: 300ms
      assert:
        - { type: not-regex, value: "^(a+)+$", critical: true }
        - { type: regex, value: "^(a+)+!$", critical: true }
  - save: { name: run, regex: "^((a+)+)!", group: 1 }
  - click: { regex: "^(a+)+!$" }
`);
    const t0 = Date.now();
    const r = await w.cli(['run', '--json']);
    const took = Date.now() - t0;
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    // A backtracking engine needs ~73 s for 40 characters; here the graded expect step is the wait for the reply
    // plus the 300 ms settle window, and the save step takes a few milliseconds.
    const t = transcript();
    const expectMs = Number(/\[step 1\] expect \((\d+) ms\)/u.exec(t)?.[1]);
    const saveMs = Number(/\[step 2\] save \((\d+) ms\)/u.exec(t)?.[1]);
    expect(expectMs).toBeLessThan(1500);
    expect(saveMs).toBeLessThan(100);
    expect(t).toMatch(/\[step 3\] click/u);
    expect(took).toBeLessThan(8000);
  });

  it('a lookahead is rejected by validate, naming the file and line', async () => {
    w.writeScenario('look', `name: look
suite: favor
steps:
  - send: "Convert 10 km to miles"
  - expect:
      assert:
        - { type: not-regex, value: "6\\\\.(?!21)\\\\d+ miles" }
`);
    const r = await w.cli(['validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/look\.yaml:7: steps\[1\]\.expect\.assert\[0\]\.value: not-regex uses a negative lookahead \(\?!…\), which the linear-time regex engine \(RE2\) cannot run/u);
  });
});
