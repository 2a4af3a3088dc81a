/**
 * The data center restarting in the middle of a scenario, and updates lost while disconnected (issue 6): the
 * run still finishes with the right verdict, pass for healthy bots. Real CLI, real gramjs, the loopback sandbox.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';

let w: World;

const twoSteps = (timeout = '6s', repeat = 1): string => `
name: convert-twice
suite: favor
targets: [canary, stable]
timeout: 25s
repeat: ${repeat}
steps:
  - send: "Convert 10 km to miles"
  - expect: { timeout: ${timeout}, settle: 300ms, assert: [ { type: contains, value: "6.21", critical: true } ] }
  - send: "Convert 5 km to miles"
  - expect: { timeout: ${timeout}, settle: 300ms, assert: [ { type: contains, value: "3.1", critical: true } ] }
`;

beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});
afterEach(async () => {
  w.freshDb();
  w.sandbox.faults.clear();
  await w.sandbox.setBot('canary_bot', 'builtin');
});
beforeEach(() => {
  w.writeScenario('convert', twoSteps());
});

describe('sandbox restarts and lost pushes', () => {
  it('a restart fault right after a prompt is sent: pass', async () => {
    w.sandbox.faults.add({ kind: 'restart', method: 'messages.SendMessage', downMs: 700, times: 1 });
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, `${r.stderr}\n${r.stdout}`).toBe('pass');
    expect(r.code).toBe(0);
    expect(w.sandbox.callLog.some((c) => c.fault === 'restart' || /restart/.test(String(c.fault ?? '')))).toBe(true);
  });

  it('sandbox.restart() while the canary is thinking, its reply pushed while we are away: pass', async () => {
    let restarted = false;
    await w.sandbox.setBot('canary_bot', (base) => ({
      async onMessage(msg, chat) {
        if (!restarted && /10 km/.test(msg.text)) {
          restarted = true;
          void w.sandbox.restart(800);
          await chat.sleep(300); // answer while the port is still closed: the push is lost
        }
        return base.onMessage(msg, chat);
      },
    }));
    const r = await w.cli(['run', '--json']);
    expect(restarted).toBe(true);
    expect(r.json?.verdict, `${r.stderr}\n${r.stdout}`).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('pushes dropped (drop_push) for both bots: the replies are fetched anyway, pass', async () => {
    w.writeScenario('convert', twoSteps('2s'));
    w.sandbox.faults.add({ kind: 'drop_push', bot: 'canary_bot', times: 2 });
    w.sandbox.faults.add({ kind: 'drop_push', bot: 'stable_bot', times: 1 });
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, `${r.stderr}\n${r.stdout}`).toBe('pass');
    expect(r.code).toBe(0);
    expect(w.sandbox.callLog.filter((c) => c.fault === 'drop_push' || /drop_push/.test(String(c.fault ?? ''))).length).toBeGreaterThanOrEqual(2);
  });

  it('a silent canary during a restart is still a fail, not hidden by the reconnect', async () => {
    // five attempts per side: one silence against one answer would be insufficient evidence
    w.writeScenario('convert', twoSteps('2s', 5));
    w.sandbox.faults.add({ kind: 'restart', method: 'messages.SendMessage', downMs: 500, times: 1 });
    w.sandbox.faults.add({ kind: 'silence', bot: 'canary_bot' });
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, `${r.stderr}\n${r.stdout}`).toBe('fail');
    expect(r.code).toBe(1);
    expect(r.json?.scenarios.filter((s) => s.target === 'stable').map((s) => s.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  }, 60_000);
});
