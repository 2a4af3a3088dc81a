/**
 * Issue 18 point 6 through the real CLI, client and sandbox: scenarios in a supergroup and a forum topic —
 * a mention, a reply to the bot, /command@bot, a topic — each with a healthy bot that passes and a broken one that
 * fails, with chatty fake humans in the group whose messages (and the bot's answers to them) never count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotChat, BotIncomingMessage } from '@tg-canary/sandbox';
import { createWorld, type World } from './harness.js';

let w: World;

beforeAll(async () => {
  w = await createWorld({
    groups: [
      { title: 'E2E Group', username: 'e2e_group', bots: ['canary_bot', 'stable_bot'], humans: [{ name: 'Ann Noise', chattiness: 1, lines: ['ann: lol', 'ann: +1'] }, { name: 'Bob Chatter', chattiness: 1 }] },
      { title: 'E2E Forum', username: 'e2e_forum', forum: true, topics: ['Support', 'Random', 'Archive'], closedTopics: ['Archive'], bots: ['canary_bot', 'stable_bot'], humans: [{ name: 'Cy Noise', chattiness: 1 }] },
      { title: 'No Bots', username: 'e2e_nobots', bots: ['stable_bot'] },
      { title: 'Secret', bots: ['canary_bot', 'stable_bot'], usersJoined: false },
    ],
  });
});
afterAll(async () => {
  await w?.close();
});
afterEach(async () => {
  await w.reset();
  w.sandbox.setBotPrivacy('canary_bot', true);
  w.sandbox.setBotPrivacy('stable_bot', true);
});

type Json = NonNullable<Awaited<ReturnType<World['cli']>>['json']>;
type Bot = (m: BotIncomingMessage, chat: BotChat) => Promise<unknown>;

function byTarget(json: Json | undefined, target: string): { status: string; reasons: string[]; latencyMs: { first: number | null } } {
  const s = json?.scenarios.find((x) => x.target === target);
  if (!s) throw new Error(`no ${target} result in ${JSON.stringify(json)}`);
  return s;
}

/** Healthy in a group: answers what it sees, as a reply to it, after "thinking" (the humans talk meanwhile). */
const echo: Bot = async (m, chat) => {
  await chat.sleep(150);
  await chat.reply(`pong: ${m.text.replace(/@\w+\s*/u, '')}`, { replyTo: m.id });
};

async function bots(canary: Bot, stable: Bot = echo): Promise<void> {
  await w.sandbox.setBot('canary_bot', { onMessage: canary });
  await w.sandbox.setBot('stable_bot', { onMessage: stable });
}

/** `repeat`: a reply that never counts looks like silence, which one sample cannot call a regression (the rates do). */
const scenario = (chat: string, steps: string, repeat = 1): string => `
name: group-case
suite: groups
timeout: 20s
quiet: 500ms
repeat: ${repeat}
chat: ${chat}
steps:
${steps}`;

const mentionSteps = `
  - send: { text: "ping", mention: true }
  - expect:
      timeout: 2s
      settle: 300ms
      assert:
        - { type: icontains, value: "pong: ping", critical: true }
`;

describe('mention the bot in a group', () => {
  it('healthy: the bot answers the mention; two chatty humans talk in between → pass', async () => {
    await bots(echo);
    w.writeScenario('g', scenario('{ group: "@e2e_group" }', mentionSteps));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json, 'canary').status).toBe('pass');
    // heard live (pushed with the channel's pts), not found by a history re-read: the latency is measured
    expect(byTarget(r.json, 'canary').latencyMs.first).toBeGreaterThanOrEqual(150);
    // the humans did talk in the group after our prompt (noise the tester had to ignore)
    expect(w.sandbox.callLog.filter((c) => c.method === 'push.Updates').length).toBeGreaterThanOrEqual(4);
  });

  it('broken: the canary ignores mentions (answers commands only) → fail; stable passes', async () => {
    await bots(async (m, chat) => {
      if (m.text.startsWith('/')) await chat.reply('ok', { replyTo: m.id });
    });
    w.writeScenario('g', scenario('{ group: "@e2e_group" }', mentionSteps, 5));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json, 'canary').status).toBe('fail');
    expect(byTarget(r.json, 'canary').reasons.join(' ')).toMatch(/no reply within/iu);
    expect(byTarget(r.json, 'stable').status).toBe('pass');
  });

  it('privacy mode: a privacy-on bot addressed without a mention never sees the message → the scenario fails (documented)', async () => {
    const seen: string[] = [];
    await bots(async (m, chat) => {
      seen.push(m.text);
      await echo(m, chat);
    });
    w.writeScenario('g', scenario('{ group: "@e2e_group" }', `
  - send: "ping"
  - expect:
      timeout: 2s
      settle: 300ms
`));
    const r = await w.cli(['run', '--json']);
    // both bots are silent alike: the scenario is wrong, not the canary → inconclusive, never a rollback
    expect(r.json?.verdict, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe('inconclusive');
    expect(byTarget(r.json, 'canary').status).toBe('fail');
    expect(byTarget(r.json, 'stable').status).toBe('fail');
    expect(seen).toEqual([]);
    // with privacy off the same bot sees everything — including the humans' chatter, which it answers too
    w.sandbox.setBotPrivacy('canary_bot', false);
    w.sandbox.setBotPrivacy('stable_bot', false);
    const r2 = await w.cli(['run', '--json']);
    expect(byTarget(r2.json, 'canary').status, JSON.stringify(r2.json)).toBe('pass');
    expect(seen).toContain('ping');
    expect(seen.some((t) => /^ann: /u.test(t))).toBe(true);
  });
});

describe('reply to the bot in a group', () => {
  const steps = `
  - send: { text: "first", mention: true }
  - expect:
      timeout: 4s
      settle: 300ms
  - send: { text: "second", reply-to: last-bot-message }
  - expect:
      timeout: 2s
      settle: 300ms
      assert:
        - { type: icontains, value: "pong: second", critical: true }
`;

  it('healthy: a reply to the bot reaches a privacy-on bot, which answers it → pass', async () => {
    await bots(echo);
    w.writeScenario('g', scenario('{ group: "@e2e_group" }', steps));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json, 'canary').status).toBe('pass');
  });

  it('broken: the canary answers as a reply to a human\'s message instead of ours → never counted → fail', async () => {
    w.sandbox.setBotPrivacy('canary_bot', false);
    await bots(async (m, chat) => {
      if (m.from?.firstName !== 'E2E') {
        chat.state.set('lastHuman', m.id);
        return;
      }
      await chat.sleep(200); // the humans have spoken by now
      const other = chat.state.get('lastHuman');
      await chat.reply(`pong: ${m.text.replace(/@\w+\s*/u, '')}`, { replyTo: typeof other === 'number' ? other : m.id - 1 });
    });
    w.writeScenario('g', scenario('{ group: "@e2e_group" }', steps, 5));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json, 'canary').status).toBe('fail');
    expect(byTarget(r.json, 'stable').status).toBe('pass');
  });

  it('in a private chat too, reply-to sends a Telegram reply to the bot\'s latest message', async () => {
    const replies: (number | undefined)[] = [];
    const own: number[] = [];
    await bots(async (m, chat) => {
      replies.push(m.replyToId);
      own.push(await chat.reply(`pong: ${m.text}`, { replyTo: m.id }));
    });
    w.writeScenario('p', `
name: private-reply
suite: groups
timeout: 20s
quiet: 0
targets: [canary]
steps:
  - send: "first"
  - expect: { timeout: 3s, settle: 300ms }
  - send: { text: "second", reply-to: last-bot-message }
  - expect: { timeout: 3s, settle: 300ms, assert: [{ type: icontains, value: "pong: second", critical: true }] }
`);
    const r = await w.cli(['run', '--json', '--target', 'canary']);
    expect(byTarget(r.json, 'canary').status, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe('pass');
    expect(replies).toEqual([undefined, own[0]]);
  });
});

describe('/command@bot in a group', () => {
  const steps = `
  - send: "/status@{{bot}}"
  - expect:
      timeout: 4s
      settle: 300ms
      assert:
        - { type: icontains, value: "all systems go", critical: true }
`;
  const healthy: Bot = async (m, chat) => {
    const cmd = /^\/(\w+)(?:@(\w+))?/u.exec(m.text);
    await chat.reply(cmd?.[1] === 'status' ? 'status: all systems go' : 'unknown command', { replyTo: m.id });
  };

  it('healthy: the bot strips its @username from the command → pass', async () => {
    await bots(healthy, healthy);
    // each target addresses its own bot: {{bot}} is the target bot's username
    w.writeScenario('g', scenario('{ group: "@e2e_group" }', steps));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json, 'canary').status).toBe('pass');
  });

  it('broken: the canary only knows "/status" without its @username → "unknown command" → fail', async () => {
    await bots(async (m, chat) => chat.reply(m.text.trim() === '/status' ? 'status: all systems go' : 'unknown command', { replyTo: m.id }), healthy);
    w.writeScenario('g', scenario('{ group: "@e2e_group" }', steps, 5));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json, 'canary').reasons.join(' ')).toMatch(/all systems go/u);
    expect(byTarget(r.json, 'stable').status).toBe('pass');
  });
});

describe('a forum topic', () => {
  const steps = `
  - send: { text: "help me", mention: true }
  - expect:
      timeout: 2s
      settle: 300ms
      assert:
        - { type: icontains, value: "pong: help me", critical: true }
`;

  it('healthy: the bot answers in the topic it was asked in → pass', async () => {
    const topics: (number | undefined)[] = [];
    await bots(async (m, chat) => {
      topics.push(m.topicId);
      await echo(m, chat);
    });
    w.writeScenario('g', scenario('{ group: "@e2e_forum", topic: "Support" }', steps));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json, 'canary').status).toBe('pass');
    expect(topics.length).toBeGreaterThan(0);
    expect(topics.every((t) => typeof t === 'number' && t > 1)).toBe(true);
  });

  it('broken: the canary answers in the General topic instead → not its reply → fail', async () => {
    await bots(async (m, chat) => {
      await chat.sleep(100);
      await chat.reply(`pong: ${m.text.replace(/@\w+\s*/u, '')}`, { threadId: null });
    });
    w.writeScenario('g', scenario('{ group: "@e2e_forum", topic: "Support" }', steps, 5));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json, 'canary').status).toBe('fail');
    expect(byTarget(r.json, 'stable').status).toBe('pass');
  });
});

describe('bad chat: and a refusing group are never a canary regression', () => {
  const plain = `
  - send: { text: "ping", mention: true }
  - expect: { timeout: 2s }
`;

  it('a topic that does not exist → error naming the scenario file, chat.topic and the topics there; inconclusive', async () => {
    w.writeScenario('g', scenario('{ group: "@e2e_forum", topic: "Sales" }', plain));
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, r.stderr).toBe('inconclusive');
    const why = byTarget(r.json, 'canary').reasons.join(' ');
    expect(why).toMatch(/g\.yaml: chat\.topic "Sales": no such topic in @e2e_forum/u);
    expect(why).toMatch(/"Support"/u);
  });

  it('the canary bot is not in the group → TG_GROUP_BOT_MISSING naming the file and the fix; inconclusive', async () => {
    w.writeScenario('g', scenario('{ group: "@e2e_nobots" }', plain));
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, r.stderr).toBe('inconclusive');
    const why = byTarget(r.json, 'canary').reasons.join(' ');
    expect(why).toMatch(/g\.yaml: @canary_bot is not a member of the group @e2e_nobots/u);
    expect(why).toMatch(/Add the bot to the group/u);
  });

  it('a group that does not exist → TG_GROUP_NOT_FOUND naming chat.group; a mention outside a group is refused at load time', async () => {
    w.writeScenario('g', scenario('{ group: "@no_such_group" }', plain));
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, r.stderr).toBe('inconclusive');
    expect(byTarget(r.json, 'canary').reasons.join(' ')).toMatch(/chat\.group "@no_such_group": no public group/u);
    w.writeScenario('g', `
name: private-mention
suite: groups
steps:
  - send: { text: "hi", mention: true }
`);
    const v = await w.cli(['validate']);
    expect(v.code).not.toBe(0);
    expect(v.stdout + v.stderr).toMatch(/g\.yaml.*steps\[0\]\.send\.mention.*only applies in a group chat/su);
  });

  it('a closed topic (TOPIC_CLOSED) is Telegram refusing us, for both bots alike → inconclusive, never a rollback', async () => {
    w.writeScenario('g', scenario('{ group: "@e2e_forum", topic: "Archive" }', plain));
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, r.stderr).toBe('inconclusive');
    expect(byTarget(r.json, 'canary').reasons.join(' ')).toMatch(/TOPIC_CLOSED/u);
    expect(byTarget(r.json, 'stable').status).toBe('error');
  });

  it('a private group the test user is not in → not found among its chats; inconclusive', async () => {
    w.writeScenario('g', scenario('{ group: 1500000004 }', plain));
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, r.stderr).toBe('inconclusive');
    expect(byTarget(r.json, 'canary').reasons.join(' ')).toMatch(/no group with id 1500000004/u);
  });
});

describe('the report', () => {
  it('shows what was sent into the group (the mention) in the transcript', async () => {
    await bots(echo);
    w.writeScenario('g', scenario('{ group: "@e2e_group" }', mentionSteps));
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const xml = readFileSync(join(w.dir, 'reports', 'latest.xml'), 'utf8');
    expect(xml).toMatch(/@canary_bot ping/u);
  });
});
