/**
 * Basic groups (Telegram's small `Chat`, issue 18 point 6) through the real CLI, client and sandbox: a scenario whose
 * `chat:` names a basic group by title or by "chat:<id>"; its messages reach us as updateNewMessage in our own id
 * and pts sequence (unlike a supergroup's). A healthy bot passes; a bot that answers someone else or ignores the
 * mention fails; a group the bot is not in, or one we are not in, is a clear configuration error.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotChat, BotIncomingMessage } from '@tg-canary/sandbox';
import { createWorld, type World } from './harness.js';

let w: World;
let teamId = '';

beforeAll(async () => {
  w = await createWorld({
    groups: [
      { title: 'E2E Team', type: 'group', bots: ['canary_bot', 'stable_bot'], humans: [{ name: 'Ann Noise', chattiness: 1, lines: ['ann: lol', 'ann: +1'] }, { name: 'Bob Chatter', chattiness: 1 }] },
      { title: 'Stable Only', type: 'group', bots: ['stable_bot'] },
      { title: 'Closed Circle', type: 'group', bots: ['canary_bot', 'stable_bot'], usersJoined: false },
    ],
  });
  teamId = w.sandbox.addGroup({ title: 'E2E Team 2', type: 'group', bots: ['canary_bot', 'stable_bot'] }).id;
});
afterAll(async () => {
  await w?.close();
});
afterEach(async () => {
  await w.reset();
});

type Json = NonNullable<Awaited<ReturnType<World['cli']>>['json']>;
type Bot = (m: BotIncomingMessage, chat: BotChat) => Promise<unknown>;

function byTarget(json: Json | undefined, target: string): { status: string; reasons: string[]; latencyMs: { first: number | null } } {
  const s = json?.scenarios.find((x) => x.target === target);
  if (!s) throw new Error(`no ${target} result in ${JSON.stringify(json)}`);
  return s;
}

/** Healthy: answers what it sees, as a reply to it, after "thinking" (the humans talk meanwhile). */
const echo: Bot = async (m, chat) => {
  await chat.sleep(150);
  await chat.reply(`pong: ${m.text.replace(/@\w+\s*/u, '')}`, { replyTo: m.id });
};

async function bots(canary: Bot, stable: Bot = echo): Promise<void> {
  await w.sandbox.setBot('canary_bot', { onMessage: canary });
  await w.sandbox.setBot('stable_bot', { onMessage: stable });
}

const scenario = (chat: string, repeat = 1): string => `
name: basic-case
suite: groups
timeout: 20s
quiet: 500ms
repeat: ${repeat}
chat: ${chat}
steps:
  - send: { text: "ping", mention: true }
  - expect:
      timeout: 2s
      settle: 300ms
      assert:
        - { type: icontains, value: "pong: ping", critical: true }
`;

describe('a bot in a basic group', () => {
  it('healthy, named by title: the bot answers the mention while two humans chat → pass, heard live', async () => {
    const seen: { type: string | undefined; chatId: string }[] = [];
    await bots(async (m, chat) => {
      seen.push({ type: m.chat?.type, chatId: chat.id });
      await echo(m, chat);
    });
    w.writeScenario('b', scenario('{ group: "E2E Team" }'));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json, 'canary').status).toBe('pass');
    expect(byTarget(r.json, 'stable').status).toBe('pass');
    // pushed live as updateNewMessage in the user's sequence (not re-read from history): the latency is measured
    expect(byTarget(r.json, 'canary').latencyMs.first).toBeGreaterThanOrEqual(150);
    // the bots saw a Bot API basic group ("group", id "-<chat id>"), not a supergroup
    expect(seen[0]?.type).toBe('group');
    expect(seen[0]?.chatId).toMatch(/^-\d+$/u);
    expect(seen[0]?.chatId.startsWith('-100')).toBe(false);
    // the client talked to a basic group: getFullChat, sendMessage to InputPeerChat; no channel RPCs
    const methods = w.sandbox.callLog.map((c) => c.method);
    expect(methods).toContain('messages.GetFullChat');
    // plain text of a basic group is pushed as Telegram does: updateShortChatMessage (the user's pts)
    expect(methods).toContain('push.UpdateShortChatMessage');
    expect(methods.some((m) => m.startsWith('channels.'))).toBe(false);
  });

  it('healthy, a reply edited into its final text (updateEditMessage on peerChat) → pass; a lost push is recovered', async () => {
    await bots(async (m, chat) => {
      await chat.sleep(150);
      const id = await chat.reply('pong: thinking…', { replyTo: m.id });
      await chat.sleep(150);
      await chat.edit(id, 'pong: ping');
    });
    w.writeScenario('b', scenario('{ group: "E2E Team" }'));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json, 'canary').status).toBe('pass');
    expect(w.sandbox.callLog.map((c) => c.method)).toContain('push.Updates'); // the edit, with the message object
    // the bot's first push is lost: the edit that follows shows the gap (or the deadline sweep re-reads the chat)
    w.sandbox.faults.add({ kind: 'drop_push', bot: 'canary_bot', times: 1 });
    const again = await w.cli(['run', '--json']);
    expect(again.code, `${again.stderr}\n${JSON.stringify(again.json)}`).toBe(0);
    expect(byTarget(again.json, 'canary').status).toBe('pass');
    expect(w.sandbox.callLog.some((c) => c.method.startsWith('push.') && c.fault === 'drop_push')).toBe(true);
  });

  it('healthy, named by "chat:<id>" → pass', async () => {
    await bots(echo);
    w.writeScenario('b', scenario(`{ group: "chat:${teamId}" }`));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json, 'canary').status).toBe('pass');
  });

  it('broken: the canary answers a human instead of us (a reply to their message) → fail; stable passes', async () => {
    let answered = 0;
    await bots(async (m, chat) => {
      await chat.sleep(400); // the humans have spoken by now (each says something right after our prompt)
      // a "wrong thread" bot: the right text, but as a reply to the human who spoke after us, not to us
      await chat.reply('pong: ping', { replyTo: m.id + 1 });
      answered += 1;
    });
    w.writeScenario('b', scenario('{ group: "E2E Team" }', 5));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(answered).toBeGreaterThanOrEqual(1); // it did answer — just not us
    expect(byTarget(r.json, 'canary').status).toBe('fail');
    expect(byTarget(r.json, 'canary').reasons.join(' ')).toMatch(/no reply within/iu);
    expect(byTarget(r.json, 'stable').status).toBe('pass');
  });

  it('broken: the canary ignores mentions (answers commands only) → fail; stable passes', async () => {
    await bots(async (m, chat) => {
      if (m.text.startsWith('/')) await chat.reply('ok', { replyTo: m.id });
    });
    w.writeScenario('b', scenario('{ group: "E2E Team" }', 5));
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json, 'canary').status).toBe('fail');
    expect(byTarget(r.json, 'canary').reasons.join(' ')).toMatch(/no reply within/iu);
    expect(byTarget(r.json, 'stable').status).toBe('pass');
  });

  it('a basic group the canary bot is not in: a clear configuration error naming the file, the group and the fix; inconclusive', async () => {
    await bots(echo);
    w.writeScenario('b', scenario('{ group: "Stable Only" }'));
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe('inconclusive');
    const why = byTarget(r.json, 'canary').reasons.join(' ');
    expect(why).toMatch(/b\.yaml: @canary_bot is not a member of the group "Stable Only"/u);
    expect(why).toMatch(/Add the bot to the group/u);
    expect(byTarget(r.json, 'stable').status).toBe('pass');
  });

  it('a basic group the test user is not in (an unknown title to it): the groups it has are listed; inconclusive', async () => {
    await bots(echo);
    w.writeScenario('b', scenario('{ group: "Closed Circle" }'));
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe('inconclusive');
    const why = byTarget(r.json, 'canary').reasons.join(' ');
    expect(why).toMatch(/b\.yaml: chat\.group "Closed Circle": no group with that title among the test user's chats/u);
    expect(why).toMatch(/"E2E Team"/u);
    expect(why).not.toMatch(/"Closed Circle",/u);
  });
});
