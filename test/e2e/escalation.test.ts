/**
 * Per-channel escalation through the real CLI, the real client and the sandbox, delivered to loopback webhooks:
 * Slack hears of a failing canary at once, Discord (`after: { runs: 2 }`) only on the second failing run, and
 * both hear it recover.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from './harness.js';
import { startReceiver, type Receiver } from '../hardening/receiver.js';

let w: World;
let slack: Receiver;
let discord: Receiver;

const conversion = `
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
  slack = await startReceiver();
  discord = await startReceiver();
});
afterAll(async () => {
  await slack?.close();
  await discord?.close();
  await w?.close();
});
afterEach(() => w.reset());

async function canaryAnswers(right: boolean): Promise<void> {
  await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply(right ? '10 km is 6.21 miles.' : 'I cannot do that.') });
}

describe('tg-canary run: per-channel escalation', () => {
  it('slack at once, discord after 2 failing runs, both resolved', async () => {
    const config = join(w.dir, 'escalation.yaml');
    writeFileSync(config, `
alerts:
  slack: { webhookUrl: "${slack.url}/slack" }
  discord: { webhookUrl: "${discord.url}/discord" }
  escalation:
    discord: { after: { runs: 2 } }
`);
    const env = { TG_CANARY_CONFIG: config };
    w.writeScenario('convert', conversion);
    await canaryAnswers(false);
    const first = await w.cli(['run', '--target', 'canary', '--json'], env);
    expect(first.json?.verdict, first.stderr).toBe('fail');
    expect(slack.requests.map((r) => r.body).join('\n')).toMatch(/FAILING/);
    expect(discord.requests).toHaveLength(0);

    const second = await w.cli(['run', '--target', 'canary', '--json'], env);
    expect(second.json?.verdict, second.stderr).toBe('fail');
    expect(slack.requests).toHaveLength(1); // no reminders configured: nothing new for slack
    expect(discord.requests).toHaveLength(1);
    expect(discord.requests[0]?.body).toMatch(/FAILING/);

    await canaryAnswers(true);
    const third = await w.cli(['run', '--target', 'canary', '--json'], env);
    expect(third.json?.verdict, third.stderr).toBe('pass');
    expect(slack.requests.at(-1)?.body).toMatch(/RESOLVED/);
    expect(discord.requests.at(-1)?.body).toMatch(/RESOLVED/);
    expect(discord.requests).toHaveLength(2);
  });

  it('a bad escalation entry is a config error naming the file, the field and the fix', async () => {
    const config = join(w.dir, 'bad.yaml');
    writeFileSync(config, `
alerts:
  escalation:
    slack: { quietHours: { from: "22:00", to: "7" } }
`);
    const r = await w.cli(['run', '--target', 'canary'], { TG_CANARY_CONFIG: config });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml/);
    expect(r.stderr).toMatch(/alerts\.escalation\.slack\.quietHours\.to/);
    expect(r.stderr).toMatch(/HH:MM/);
  });
});
