import { describe, expect, it } from 'vitest';
import { World } from './world.js';
import { basicPeerKey, boxIdOf, groupIdOf, installBasicGroups } from './basic-groups.js';
import { tlMessage } from './tl-build.js';
import { Api } from './tl.js';
import { parseGroups } from './group-file.js';

function setup(): { w: World; tess: string; uma: string; bot: string } {
  const w = new World();
  installBasicGroups(w);
  const bot = w.addUser({ username: 'alpha_bot', bot: true }).id;
  const tess = w.addUser({ firstName: 'Tess', phone: '+999 1' }).id;
  const uma = w.addUser({ firstName: 'Uma', phone: '+999 2' }).id;
  return { w, tess, uma, bot };
}

describe('basic groups: each member keeps its own copy (ids, pts, pushes)', () => {
  it('a message gets a different id in each member box, in that box\'s own sequence; replies map per member', () => {
    const { w, tess, uma, bot } = setup();
    w.addMessage(tess, bot, tess, 'a private hello first'); // Tess's box already holds a message: her ids run ahead
    const g = w.groups.create({ title: 'Team', type: 'group', bots: ['alpha_bot'] });
    expect(g.basic).toBe(true);
    const pushed: { userId: string; id: number }[] = [];
    w.onEvent((e) => {
      if (e.kind === 'new') pushed.push({ userId: e.userId, id: e.msg.id });
    });
    const ptsBefore = w.pts(tess);
    const q = w.groups.post(g, tess, 'hi @alpha_bot');
    const a = w.groups.post(g, bot, 'hello', { replyToId: q.id });
    expect(boxIdOf(g, tess, q.id)).toBe(2);
    expect(boxIdOf(g, uma, q.id)).toBe(1);
    expect(w.pts(tess)).toBe(ptsBefore + 2); // the user's pts, not a channel's
    // the author's own copy is not pushed (its RPC answer carries it); everyone else's is
    expect(pushed).toEqual([
      { userId: uma, id: 1 },
      { userId: tess, id: 3 },
      { userId: uma, id: 2 },
    ]);
    const tessAnswer = w.getMessage(tess, boxIdOf(g, tess, a.id) ?? 0);
    expect(tessAnswer?.replyToId).toBe(2); // her id of her prompt
    expect(w.getMessage(uma, boxIdOf(g, uma, a.id) ?? 0)?.replyToId).toBe(1);
    expect(groupIdOf(g, uma, 2)).toBe(a.id);
    if (!tessAnswer) throw new Error('Tess has no copy of the answer');
    const tl = tlMessage(tessAnswer);
    expect(tl.peerId).toBeInstanceOf(Api.PeerChat);
    expect(String((tl.peerId as Api.PeerChat).chatId)).toBe(g.id);
    expect(w.history(tess, basicPeerKey(g), {}).messages.map((m) => m.text)).toEqual(['hello', 'hi @alpha_bot']);
    expect(w.history(tess, bot, {}).messages.map((m) => m.text)).toEqual(['a private hello first']);
  });

  it('edits and deletions reach every member copy; a basic group has no username or topics', () => {
    const { w, tess, bot } = setup();
    const g = w.groups.create({ title: 'Team', type: 'group', bots: ['alpha_bot'] });
    const m = w.groups.post(g, bot, 'v1');
    w.groups.edit(g, m.id, 'v2');
    expect(w.getMessage(tess, boxIdOf(g, tess, m.id) ?? 0)?.text).toBe('v2');
    w.groups.remove(g, m.id);
    expect(w.getMessage(tess, boxIdOf(g, tess, m.id) ?? 0)).toBeUndefined();
    expect(() => w.groups.create({ title: 'X', type: 'group', username: 'x_group' })).toThrow(/basic group/u);
    expect(() => w.groups.create({ title: 'Y', type: 'group', forum: true })).toThrow(/basic group/u);
  });

  it('a groups file: `type: group` is a basic group; with a username it is refused naming the entry and the fix', () => {
    expect(parseGroups([{ title: 'Team', type: 'group', bots: ['alpha_bot'] }])[0]?.type).toBe('group');
    expect(() => parseGroups([{ title: 'Team', type: 'group', username: 'team_group' }], 'groups.yaml')).toThrow(/groups\.yaml.*\[0\]\.username|\[0\]\.username[\s\S]*groups\.yaml/u);
    expect(() => parseGroups([{ title: 'Team', type: 'channel' }])).toThrow();
  });
});
