/**
 * Bot modules that behave like real LLM bots in the ways the tester must hear right (issue "Hearing the bot
 * right"): progress messages, acknowledgements, cursors, streams at Telegram's ~1 edit/s pace, drafts, Telegram
 * replies, duplicates, trailing messages, unanswered buttons. Each class has a healthy and a broken variant.
 */
import type { BotModule } from '@tg-canary/sandbox';

const ANSWER = 'The Orbit X1 supports Zigbee and Thread. It does not support Z-Wave.';

/** "🔎 Searching…", then the answer replaces it by an edit after `ms`. */
export const progressThenAnswer = (ms = 1500): BotModule => ({
  async onMessage(msg, chat) {
    await chat.typing();
    const id = await chat.reply('🔎 Searching the knowledge base…', { replyTo: msg.id });
    await chat.sleep(ms);
    await chat.edit(id, ANSWER);
  },
});

/** "🔎 Searching…" and nothing more (a broken tool call). */
export const progressForever: BotModule = {
  async onMessage(msg, chat) {
    await chat.reply('🔎 Searching…', { replyTo: msg.id });
  },
};

/** "On it!" first, the answer as a second message `ms` later. */
export const ackThenAnswer = (ms = 2000): BotModule => ({
  async onMessage(_msg, chat) {
    await chat.reply('On it!');
    await chat.typing();
    await chat.sleep(ms);
    await chat.reply(ANSWER);
  },
});

/** Streams the answer by editing one message once a second, with a trailing cursor until the end. */
export const streamAtTelegramPace = (opts: { cutAfter?: number } = {}): BotModule => ({
  async onMessage(_msg, chat) {
    const words = ANSWER.split(' ');
    const parts = [words.slice(0, 3), words.slice(0, 6), words.slice(0, 9), words].map((w) => w.join(' '));
    const id = await chat.reply(`${parts[0]} ▌`);
    for (let i = 1; i < parts.length; i++) {
      if (opts.cutAfter !== undefined && i > opts.cutAfter) return; // the generation died mid-stream
      await chat.sleep(1000);
      await chat.edit(id, i === parts.length - 1 ? (parts[i] as string) : `${parts[i]} ▌`);
    }
  },
});

/** Streams by drafts (Bot API 9.5 sendMessageDraft) about once a second, then sends the final message. */
export const draftStreamer = (opts: { neverSend?: boolean } = {}): BotModule => ({
  async onMessage(_msg, chat) {
    await chat.typing();
    await chat.sleep(300);
    const words = ANSWER.split(' ');
    for (let i = 3; i < words.length; i += 4) {
      await chat.draft(words.slice(0, i).join(' '));
      await chat.sleep(1000);
    }
    if (opts.neverSend) return; // the answer was drafted, then the process crashed
    await chat.reply(ANSWER);
  },
});

/** Answers as a Telegram reply quoting the prompt. */
export const quotingBot: BotModule = {
  async onMessage(msg, chat) {
    await chat.reply(ANSWER, { replyTo: msg.id });
  },
};

/** "OK, I'll remind you" now, the reminder 1.5 s later as a Telegram reply to the request. */
export const reminderBot: BotModule = {
  async onMessage(msg, chat) {
    await chat.reply("OK, I'll remind you in a moment.");
    await chat.sleep(1500);
    await chat.reply(`⏰ Reminder: ${msg.text.replace(/^remind me to /i, '')}`, { replyTo: msg.id });
  },
};

/** Answers every message twice (a retry loop that does not know the first send succeeded). */
export const doubleAnswer: BotModule = {
  async onMessage(_msg, chat) {
    await chat.reply(ANSWER);
    await chat.sleep(150);
    await chat.reply(ANSWER);
  },
};

/** Answers, then keeps talking after the conversation is over (a follow-up nobody asked for). */
export const trailingTalker: BotModule = {
  async onMessage(_msg, chat) {
    await chat.reply(ANSWER);
    await chat.sleep(1200);
    await chat.reply('By the way, have you tried our premium plan? 🚀');
  },
};

/** A booking flow whose button press the bot never answers (no answerCallbackQuery). */
export const deafToButtons: BotModule = {
  async onMessage(_msg, chat) {
    await chat.reply('Book a table for 2?', { buttons: [[{ text: 'Yes', data: 'yes' }, { text: 'No', data: 'no' }]] });
  },
};

/** The same flow, answered like a real bot: the callback answer, then the edit. */
export const answersButtons: BotModule = {
  async onMessage(_msg, chat) {
    await chat.reply('Book a table for 2?', { buttons: [[{ text: 'Yes', data: 'yes' }, { text: 'No', data: 'no' }]] });
  },
  async onCallback(data, chat, messageId) {
    setTimeout(() => void chat.edit(messageId, data === 'yes' ? 'Booked a table for 2.' : 'Cancelled.').catch(() => undefined), 200);
    return data === 'yes' ? 'Booked!' : 'Cancelled';
  },
};

export const ORBIT_ANSWER = ANSWER;
