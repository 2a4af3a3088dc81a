/**
 * Escalation and retry-before-alerting from the `serve` daemon: Slack hears of the failing canary at once,
 * Discord (`after: { runs: 2 }`) on the second failing run; then a canary that fails once and passes its retry
 * (`run.retryFailed: 1`) is a pass with the scenario flaky, which resolves the incident on both channels.
 * Real daemon, real client, sandbox, loopback webhooks.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { startReceiver, type Receiver } from '../hardening/receiver.js';
import { argoPoll, startServe, type ServeProcess } from './helpers.js';
import { waitFor } from '../support/wait.js';

const TOKEN = 'serve-escalation-token-abcdef';
let w: World;
let slack: Receiver;
let discord: Receiver;

const SCENARIO = `
name: convert
suite: favor
targets: [canary]
timeout: 15s
steps:
  - send: "Convert 10 km to miles"
  - expect: { timeout: 2s, settle: 200ms, assert: [ { type: contains, value: "6.21", critical: true } ] }
`;

beforeAll(async () => {
  w = await createWorld();
  [slack, discord] = await Promise.all([startReceiver(), startReceiver()]);
});
afterAll(async () => {
  await Promise.all([slack?.close(), discord?.close()]);
  await w?.close();
});

async function runRevision(serve: ServeProcess, revision: string): Promise<Record<string, unknown>> {
  const url = `${serve.url}/v1/verdict?target=canary&revision=${revision}`;
  expect((await argoPoll(url, TOKEN)).verdict).toBe('pending');
  let body: Record<string, unknown> = {};
  await waitFor(async () => {
    body = (await argoPoll(url, TOKEN)).body;
    return body.verdict !== 'pending';
  }, `the verdict of ${revision}`, 40_000, 200);
  return body;
}

describe('escalation and retry from serve', () => {
  it('slack at once, discord on the 2nd failing run; a pass on retry resolves both and is flaky', async () => {
    const config = join(w.dir, 'serve-escalation.yaml');
    writeFileSync(config, `
run: { retryFailed: 1 }
alerts:
  slack: { webhookUrl: "${slack.url}/slack" }
  discord: { webhookUrl: "${discord.url}/discord" }
  escalation:
    discord: { after: { runs: 2 } }
`);
    w.writeScenario('convert', SCENARIO);
    let asked = 0;
    let wrongUntil = Number.MAX_SAFE_INTEGER;
    await w.sandbox.setBot('canary_bot', {
      async onMessage(_m, chat) {
        asked += 1;
        await chat.reply(asked <= wrongUntil ? 'I cannot do that.' : '10 km is 6.21 miles.');
      },
    });
    const serve = await startServe(['serve'], {
      ...w.env, TG_CANARY_CONFIG: config, SERVE_PORT: '0', SERVE_HOST: '127.0.0.1', SERVE_TOKEN: TOKEN,
      SERVE_SCHEDULE: '0 0 1 1 *', SERVE_JITTER_SECONDS: '0',
    });
    try {
      expect((await runRevision(serve, 'r1')).verdict).toBe('fail');
      expect(asked).toBe(2); // failed, retried, failed again
      await waitFor(() => slack.requests.length >= 1, 'the slack alert', 15_000);
      expect(slack.requests[0]?.body).toMatch(/FAILING/);
      expect(discord.requests).toHaveLength(0);

      expect((await runRevision(serve, 'r2')).verdict).toBe('fail');
      await waitFor(() => discord.requests.length >= 1, 'the escalated discord alert', 15_000);
      expect(discord.requests[0]?.body).toMatch(/FAILING/);
      expect(slack.requests).toHaveLength(1);

      wrongUntil = asked + 1; // the next answer is wrong, its retry right
      const v3 = await runRevision(serve, 'r3');
      expect(v3.verdict).toBe('pass');
      expect(v3.flaky).toStrictEqual(['convert']);
      await waitFor(() => slack.requests.length >= 2 && discord.requests.length >= 2, 'the resolved alerts', 15_000);
      expect(slack.requests[1]?.body).toMatch(/RESOLVED/);
      expect(discord.requests[1]?.body).toMatch(/RESOLVED/);
    } finally {
      await serve.stop();
    }
  });
});
