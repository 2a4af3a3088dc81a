import { describe, expect, it } from 'vitest';
import { Api } from 'teleproto';
import { tlPush } from './tl-build.js';
import { World, type WorldEvent } from './world.js';

function pushes(world: World): WorldEvent[] {
  const got: WorldEvent[] = [];
  world.onEvent((e) => got.push(e));
  return got;
}

describe('tlPush', () => {
  it('sends a plain bot message as updateShortMessage, as Telegram does, with its reply-to', () => {
    const world = new World();
    const user = world.addUser({ firstName: 'U', phone: '999661234' });
    const bot = world.addUser({ username: 'some_bot', bot: true });
    const events = pushes(world);
    const prompt = world.addMessage(user.id, bot.id, user.id, 'hi');
    world.addMessage(user.id, bot.id, bot.id, 'hello', { replyToId: prompt.id });
    const upd = tlPush(world, events[0] as WorldEvent);
    expect(upd).toBeInstanceOf(Api.UpdateShortMessage);
    const short = upd as Api.UpdateShortMessage;
    expect(short.out).toBe(false);
    expect(String(short.userId)).toBe(bot.id);
    expect(short.message).toBe('hello');
    expect((short.replyTo as Api.MessageReplyHeader | undefined)?.replyToMsgId).toBe(prompt.id);
    expect(Buffer.isBuffer(short.getBytes())).toBe(true);
  });

  it('sends a message with an inline keyboard, and edits, as full updates with the users', () => {
    const world = new World();
    const user = world.addUser({ firstName: 'U', phone: '999661235' });
    const bot = world.addUser({ username: 'other_bot', bot: true });
    const events = pushes(world);
    const m = world.addMessage(user.id, bot.id, bot.id, 'pick', { buttons: [[{ text: 'A', data: 'a' }]] });
    world.editMessage(user.id, m.id, 'picked');
    const [withButtons, edit] = events.map((e) => tlPush(world, e));
    expect(withButtons).toBeInstanceOf(Api.Updates);
    expect((withButtons as Api.Updates).updates[0]).toBeInstanceOf(Api.UpdateNewMessage);
    expect((withButtons as Api.Updates).users.map((u) => String(u.id)).sort()).toEqual([user.id, bot.id].sort());
    expect((edit as Api.Updates).updates[0]).toBeInstanceOf(Api.UpdateEditMessage);
  });
});
