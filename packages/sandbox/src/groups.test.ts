import { describe, expect, it } from 'vitest';
import { World } from './world.js';
import type { GroupMsg } from './groups.js';

function setup(): { w: World; user: string; a: string; b: string } {
  const w = new World();
  const a = w.addUser({ username: 'alpha_bot', bot: true }).id;
  const b = w.addUser({ username: 'beta_bot', bot: true }).id;
  const user = w.addUser({ firstName: 'Tess', phone: '+999 1' }).id;
  return { w, user, a, b };
}

describe('supergroups: privacy mode, topics, channel pts', () => {
  it('a privacy-on bot sees commands for it, mentions of it and replies to it; privacy off sees all people say', () => {
    const { w, user, a, b } = setup();
    const g = w.groups.create({ title: 'G', username: 'g_group', bots: ['alpha_bot', 'beta_bot'], humans: [{ name: 'Ann', chattiness: 0 }] });
    const got: { bot: string; text: string }[] = [];
    w.groups.deliverToBot = (bot, _g, m) => void got.push({ bot: bot === a ? 'alpha' : 'beta', text: m.text });
    w.groups.post(g, user, 'hello all');
    w.groups.post(g, user, '/start@beta_bot');
    w.groups.post(g, user, 'hey @alpha_bot, a joke?');
    w.groups.post(g, user, 'hey @alpha_botx');
    const mine = w.groups.post(g, a, 'I am alpha'); // alpha posts: it is the last bot now
    w.groups.post(g, user, '/help');
    w.groups.post(g, user, 'thanks', { replyToId: mine.id });
    expect(got).toEqual([
      { bot: 'beta', text: '/start@beta_bot' },
      { bot: 'alpha', text: 'hey @alpha_bot, a joke?' },
      { bot: 'alpha', text: '/help' },
      { bot: 'alpha', text: 'thanks' },
    ]);
    got.length = 0;
    w.groups.privacyOff.add(b);
    w.groups.post(g, user, 'plain words');
    w.groups.post(g, a, 'a bot talking'); // bots never see bots
    expect(got).toEqual([{ bot: 'beta', text: 'plain words' }]);
  });

  it('forum topics: a message in a topic, a reply inside it, General; closed topics are kept', () => {
    const { w, user } = setup();
    const g = w.groups.create({ title: 'F', forum: true, topics: ['Support', 'Old'], closedTopics: ['Old'], bots: ['alpha_bot'] });
    const [support, old] = g.topics;
    expect(support?.closed).toBe(false);
    expect(old?.closed).toBe(true);
    const q = w.groups.post(g, user, 'help', { topicId: support?.id });
    expect(w.groups.topicOf(g, q.id, undefined)).toBe(support?.id); // replying to a topic message stays in the topic
    expect(w.groups.topicOf(g, support?.id, undefined)).toBe(support?.id); // reply_to = the topic itself
    expect(w.groups.topicOf(g, undefined, 1)).toBeUndefined(); // General
    expect(w.groups.history(g, { topicId: support?.id }).messages.map((m: GroupMsg) => m.text)).toEqual(['help', '']);
  });

  it('getChannelDifference: new messages since pts, edits of older ones, empty when current, tooLong past the log', () => {
    const { w, user } = setup();
    const g = w.groups.create({ title: 'D', bots: ['alpha_bot'] });
    const start = g.pts;
    const m1 = w.groups.post(g, user, 'one');
    const mid = g.pts;
    w.groups.post(g, user, 'two');
    w.groups.edit(g, m1.id, 'one (edited)');
    const d = w.groups.difference(g, start, 100);
    expect(d.kind === 'changes' && d.msgs.map((m) => m.text)).toEqual(['one (edited)', 'two']);
    expect(d.kind === 'changes' && d.edits).toEqual([]);
    const later = w.groups.difference(g, mid, 100);
    expect(later.kind === 'changes' && later.msgs.map((m) => m.text)).toEqual(['two']);
    expect(later.kind === 'changes' && later.edits.map((m) => m.text)).toEqual(['one (edited)']);
    expect(w.groups.difference(g, g.pts, 100)).toEqual({ kind: 'empty' });
    const slice = w.groups.difference(g, start, 1);
    expect(slice.kind === 'changes' && [slice.final, slice.pts]).toEqual([false, start + 1]);
    for (let i = 0; i < 1001; i++) w.groups.post(g, user, `m${i}`);
    expect(w.groups.difference(g, start, 100)).toEqual({ kind: 'tooLong' });
  });

  it('membership: test users are members unless the group keeps them out; a username must be free', () => {
    const { w, user } = setup();
    const open = w.groups.create({ title: 'Open', bots: [] });
    const closed = w.groups.create({ title: 'Closed', usersJoined: false });
    expect(w.groups.isMember(open, user)).toBe(true);
    expect(w.groups.isMember(closed, user)).toBe(false);
    expect(() => w.groups.create({ title: 'Dup', username: 'alpha_bot' })).toThrow(/taken/u);
    expect(() => w.groups.create({ title: 'NoBot', bots: ['nobody_bot'] })).toThrow(/not a bot of this sandbox/u);
  });
});

describe('a groups file (tg-canary sandbox --groups)', () => {
  it('accepts the documented shape and names the file and key path of a mistake', async () => {
    const { parseGroups } = await import('./group-file.js');
    expect(parseGroups([{ title: 'T', username: '@team_room', forum: true, topics: ['Support'], bots: ['canary_bot'], humans: [{ name: 'Ann', chattiness: 0.3 }] }], 'g.yaml')).toHaveLength(1);
    const bad = (data: unknown): string => {
      try {
        parseGroups(data, 'g.yaml');
        return 'accepted';
      } catch (e) {
        return (e as { describe(): string }).describe();
      }
    };
    expect(bad([{ title: 'T', humans: [{ name: 'Ann', chattiness: 2 }] }])).toMatch(/g\.yaml: \[0\]\.humans\[0\]\.chattiness/u);
    expect(bad([{ title: 'T', topics: ['A'] }])).toMatch(/g\.yaml: \[0\]\.topics: topics need `forum: true`/u);
    expect(bad([{ title: 'T', username: 'x y' }])).toMatch(/\[0\]\.username: is not a Telegram username/u);
    expect(bad([{ title: 'T', colour: 'red' }])).toMatch(/g\.yaml/u);
  });
});
