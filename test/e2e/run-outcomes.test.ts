/**
 * `tg-canary run` through the real CLI, the real gramjs client and the sandbox: each bot misbehaviour and each
 * infrastructure fault gives its exact expected outcome (issue: the run engine, acceptance).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from './harness.js';
import type { BotModule } from '@tg-canary/sandbox';

let w: World;

const conversion = (target = '[canary, stable]', extra = ''): string => `
name: convert
suite: favor
targets: ${target}
timeout: 15s
steps:
  - send: "Convert 10 km to miles"
  - expect:
      timeout: 2s
      settle: 300ms
      assert:
        - { type: contains, value: "6.21", critical: true }
        - not-error
${extra}`;

beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});
afterEach(() => w.reset());

function byTarget(json: NonNullable<Awaited<ReturnType<World['cli']>>['json']>, target: string): { status: string; reasons: string[]; latencyMs: { first: number | null; final: number | null } } {
  const s = json.scenarios.find((x) => x.target === target);
  if (!s) throw new Error(`no ${target} result in ${JSON.stringify(json)}`);
  return s;
}

describe('tg-canary run: outcomes', () => {
  it('healthy bots pass with exit 0', async () => {
    w.writeScenario('convert', conversion());
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, r.stderr).toBe('pass');
    expect(r.code).toBe(0);
    expect(byTarget(r.json!, 'canary').latencyMs.final).toBeGreaterThanOrEqual(0);
  });

  it('sends prompts exactly as written: Markdown characters are not parsed', async () => {
    const seen: string[] = [];
    await w.sandbox.setBot('canary_bot', {
      async onMessage(msg, chat) {
        seen.push(msg.text);
        await chat.reply(`echo: ${msg.text}`);
      },
    });
    w.writeScenario('raw', `
name: raw-text
suite: favor
targets: [canary]
steps:
  - send: "my code_word is *x_y* and \`z\` [a](b) __c__"
  - expect: { timeout: 2s, settle: 200ms, assert: [ { type: equals, value: "echo: my code_word is *x_y* and \`z\` [a](b) __c__" } ] }
`);
    const r = await w.cli(['run', '--json']);
    expect(seen).toEqual(['my code_word is *x_y* and `z` [a](b) __c__']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
  });

  it('a silent canary fails (exit 1) while stable passes', async () => {
    // five attempts per side: one silence against one answer would be insufficient evidence
    w.writeScenario('convert', conversion().replace('timeout: 15s', 'timeout: 15s\nrepeat: 5'));
    w.sandbox.faults.add({ kind: 'silence', bot: 'canary_bot' });
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, r.stderr).toBe('fail');
    expect(r.code).toBe(1);
    expect(byTarget(r.json!, 'canary').status).toBe('fail');
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/no reply within 2\.0 s/);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
    expect(r.json?.reasons.join(' ')).toMatch(/canary 100% \(5\/5\) vs stable 0% \(0\/5\), Fisher p=0\.004/);
  }, 30_000);

  it('a canary slower than the latency budget fails', async () => {
    w.writeScenario('convert', `
name: convert
suite: favor
targets: [canary]
timeout: 15s
steps:
  - send: "Convert 10 km to miles"
  - expect:
      timeout: 3s
      settle: 200ms
      assert:
        - { type: contains, value: "6.21" }
        - { type: latency, value: { final: 400 }, critical: true }
`);
    w.sandbox.faults.add({ kind: 'latency', bot: 'canary_bot', ms: 900 });
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    expect(c.latencyMs.final).toBeGreaterThanOrEqual(900);
    expect(c.reasons.join(' ')).toMatch(/latency/i);
  });

  it('an error text instead of an answer fails not-error', async () => {
    w.writeScenario('convert', conversion('[canary]'));
    w.sandbox.faults.add({ kind: 'error_text', bot: 'canary_bot', text: 'Sorry, something went wrong. Please try again later.' });
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/something went wrong/i);
  });

  it('a bot that forgets fails the memory scenario', async () => {
    const forgetful = (base: BotModule): BotModule => ({
      onMessage(msg, chat) {
        if (/^what is my/i.test(msg.text)) chat.state.clear();
        return base.onMessage(msg, chat);
      },
    });
    await w.sandbox.setBot('canary_bot', forgetful);
    w.writeScenario('memory', `
name: memory-recall
suite: memory
targets: [canary, stable]
timeout: 15s
repeat: 5
steps:
  - send: "Remember: my code word is kiwi-{{nonce}}."
  - expect: { timeout: 2s, settle: 300ms, assert: [ { type: icontains, value: "kiwi-{{nonce}}" } ] }
  - send: "What is my code word?"
  - expect: { timeout: 2s, settle: 300ms, assert: [ { type: icontains, value: "kiwi-{{nonce}}", critical: true } ] }
`);
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(byTarget(r.json!, 'canary').status).toBe('fail');
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('a bot that states wrong facts fails the RAG scenario', async () => {
    await w.sandbox.setBot('canary_bot', {
      onMessage: (_msg, chat) => chat.reply('The Orbit X1 comes with a 5-year warranty.'),
    });
    w.writeScenario('rag', `
name: rag-warranty
suite: rag
timeout: 15s
repeat: 5
steps:
  - send: "What is the warranty of the Orbit X1?"
  - expect:
      timeout: 2s
      settle: 500ms
      assert:
        - { type: icontains, value: "2-year" }
        - { type: not-icontains-any, value: ["5-year", "1-year", "3-year"], critical: true }
`);
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(byTarget(r.json!, 'canary').status).toBe('fail');
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('a joke repeated across two runs fails novel on the second run', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply('Why did the canary cross the road? To test the other side.') });
    w.writeScenario('joke', `
name: joke-novel
suite: joke
targets: [canary]
timeout: 15s
steps:
  - send: "Tell me a joke"
  - expect: { timeout: 2s, settle: 300ms, assert: [ { type: novel, value: { last: 10 }, critical: true } ] }
`);
    const first = await w.cli(['run', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const second = await w.cli(['run', '--json']);
    expect(second.code, second.stderr).toBe(1);
    expect(byTarget(second.json!, 'canary').reasons.join(' ')).toMatch(/novel|same|similar|repeat/i);
  });

  it('a placeholder that is never replaced fails', async () => {
    w.writeScenario('convert', conversion('[canary]'));
    w.sandbox.faults.add({ kind: 'placeholder', bot: 'canary_bot', text: 'Thinking…' });
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/never settled|placeholder/i);
  });

  it('an answer streamed as edits is graded on its final text', async () => {
    w.writeScenario('convert', conversion('[canary]'));
    w.sandbox.faults.add({ kind: 'stream', bot: 'canary_bot', edits: 5, overMs: 600 });
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('pass');
    expect(c.latencyMs.final! - c.latencyMs.first!).toBeGreaterThanOrEqual(300);
  });

  it('an answer split over two messages is read as one reply', async () => {
    w.writeScenario('convert', `
name: convert
suite: favor
targets: [canary]
timeout: 15s
steps:
  - send: "Convert 10 km to miles"
  - expect:
      timeout: 2s
      settle: 400ms
      messages: { min: 2, max: 2 }
      assert: [ { type: contains-all, value: ["10 km", "6.21"] } ]
`);
    w.sandbox.faults.add({ kind: 'split', bot: 'canary_bot', parts: 2 });
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
  });

  it('a late reply to the previous prompt is not taken as this prompt\'s answer', async () => {
    await w.sandbox.setBot('canary_bot', {
      async onMessage(msg, chat) {
        if (msg.text === 'first') {
          await chat.reply('ack first', { replyTo: msg.id });
          setTimeout(() => void chat.reply('late answer to first', { replyTo: msg.id }), 700);
          return;
        }
        await chat.sleep(1200);
        await chat.reply('answer to second', { replyTo: msg.id });
      },
    });
    w.writeScenario('late', `
name: late-reply
suite: favor
targets: [canary]
timeout: 15s
steps:
  - send: "first"
  - expect: { timeout: 2s, settle: 200ms, assert: [ { type: equals, value: "ack first" } ] }
  - send: "second"
  - expect:
      timeout: 3s
      settle: 300ms
      assert:
        - { type: equals, value: "answer to second", critical: true }
`);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
  });

  it('a flood wait over the budget is inconclusive (exit 3), not a failure', async () => {
    w.writeScenario('convert', conversion());
    w.sandbox.faults.add({ kind: 'rpc_error', method: 'messages.SendMessage', error: 'FLOOD_WAIT_120' });
    const r = await w.cli(['run', '--json'], { FLOOD_SLEEP_THRESHOLD: '5' });
    expect(r.json?.verdict, r.stderr).toBe('inconclusive');
    expect(r.code).toBe(3);
    expect(byTarget(r.json!, 'canary').status).toBe('error');
    expect(JSON.stringify(r.json)).toMatch(/FLOOD_WAIT|wait 120 s/);
  });

  it('a connection dropped while waiting: the reply is still found', async () => {
    w.writeScenario('convert', conversion('[canary]'));
    w.sandbox.faults.add({ kind: 'drop_connection', method: 'messages.SendMessage', when: 'after', times: 1 });
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json!, 'canary').status).toBe('pass');
  });

  it('AUTH_KEY_UNREGISTERED is inconclusive with the login hint', async () => {
    w.writeScenario('convert', conversion());
    w.sandbox.faults.add({ kind: 'rpc_error', method: 'users.GetUsers', error: 'AUTH_KEY_UNREGISTERED' });
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.json?.verdict).toBe('inconclusive');
    expect(JSON.stringify(r.json)).toContain('tg-canary login');
  });

  it('--inconclusive-exit-code changes the exit code of an inconclusive run', async () => {
    w.writeScenario('convert', conversion());
    w.sandbox.faults.add({ kind: 'rpc_error', method: 'users.GetUsers', error: 'AUTH_KEY_UNREGISTERED' });
    const r = await w.cli(['run', '--json', '--inconclusive-exit-code', '0']);
    expect(r.json?.verdict, r.stderr).toBe('inconclusive');
    expect(r.code).toBe(0);
  });
});
