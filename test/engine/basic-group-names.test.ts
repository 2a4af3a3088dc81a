import { describe, expect, it } from 'vitest';
import { Api, helpers } from 'teleproto';
import { basicChatIdOf, isGroupTitle, shortChatMessage } from '../../src/telegram/basic-group-chat.js';
import { countsInThread, type GroupThread } from '../../src/telegram/group-chat.js';

describe('naming a basic group in chat.group', () => {
  it('"chat:<id>" and the Bot API "-<id>" are a basic group id; "-100…" and bare ids stay supergroup ids', () => {
    expect(basicChatIdOf('chat:4000001')).toBe('4000001');
    expect(basicChatIdOf(' -4000001 ')).toBe('4000001');
    expect(basicChatIdOf('-1001500000001')).toBeUndefined();
    expect(basicChatIdOf('1500000001')).toBeUndefined();
    expect(basicChatIdOf('@sandbox_group')).toBeUndefined();
  });

  it('a title is anything that is neither a username nor an id', () => {
    expect(isGroupTitle('Sandbox Team')).toBe(true);
    expect(isGroupTitle('Ops (on-call)')).toBe(true);
    expect(isGroupTitle('@sandbox_group')).toBe(false);
    expect(isGroupTitle('sandbox_group')).toBe(false);
    expect(isGroupTitle('-1001500000001')).toBe(false);
    expect(isGroupTitle('chat:42')).toBe(false);
  });
});

describe('updateShortChatMessage in a basic group thread', () => {
  const thread = (): GroupThread => ({ channelId: '42', basic: true, forum: false, botId: '700', ours: new Set([10]), held: new Map(), label: '"T"' });
  const short = (o: { fromId: string; chatId: string; replyTo?: number }): Api.UpdateShortChatMessage =>
    new Api.UpdateShortChatMessage({
      id: 11,
      fromId: helpers.returnBigInt(o.fromId),
      chatId: helpers.returnBigInt(o.chatId),
      message: 'pong',
      pts: 5,
      ptsCount: 1,
      date: 1,
      replyTo: o.replyTo ? new Api.MessageReplyHeader({ replyToMsgId: o.replyTo }) : undefined,
    });

  it('the bot replying to our prompt counts; its reply to someone else, another member, or another chat never does', () => {
    expect(countsInThread(thread(), shortChatMessage(short({ fromId: '700', chatId: '42', replyTo: 10 })))).toBe(true);
    expect(countsInThread(thread(), shortChatMessage(short({ fromId: '700', chatId: '42' })))).toBe(true);
    expect(countsInThread(thread(), shortChatMessage(short({ fromId: '700', chatId: '42', replyTo: 9 })))).toBe(false);
    expect(countsInThread(thread(), shortChatMessage(short({ fromId: '701', chatId: '42', replyTo: 10 })))).toBe(false);
    expect(countsInThread(thread(), shortChatMessage(short({ fromId: '700', chatId: '43', replyTo: 10 })))).toBe(false);
    // a supergroup thread with the same id never takes a basic group's message
    expect(countsInThread({ ...thread(), basic: false }, shortChatMessage(short({ fromId: '700', chatId: '42' })))).toBe(false);
  });
});
