/** The small per-chat skills of the demo bots: memory, reminders and the table-booking confirmation flow. */
import type { BotButton, BotChat } from '../bot-contract.js';
import { replyWithRetry } from './streaming.js';

// ---------------------------------------------------------------- memory

const REMEMBER_RE = /^\s*remember(?:\s*:\s*|\s+that\s+|\s+)my\s+(.+?)\s+is\s+(.+?)\.?\s*$/isu;
const RECALL_RE = /^\s*what(?:'s|’s|\s+is)\s+my\s+(.+?)\s*\??\s*$/isu;

/** Plain data (not a Map) so the sandbox can keep it across restarts (`stateFile`). */
function memoryOf(chat: BotChat): Record<string, string> {
  let mem = chat.state.get('demo:memory') as Record<string, string> | undefined;
  if (!mem) {
    mem = {};
    chat.state.set('demo:memory', mem);
  }
  return mem;
}

function normKey(key: string): string {
  return key.trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** Handles "Remember: my X is Y" and "What is my X?"; undefined when the text is neither. */
export function memorySkill(text: string, chat: BotChat): string | undefined {
  const put = REMEMBER_RE.exec(text);
  if (put) {
    const [, key, value] = put;
    memoryOf(chat)[normKey(key)] = value;
    return `Got it — I'll remember that your ${key.trim()} is ${value}.`;
  }
  const get = RECALL_RE.exec(text);
  if (get) {
    const key = get[1].trim();
    const mem = memoryOf(chat);
    const value = Object.hasOwn(mem, normKey(key)) ? mem[normKey(key)] : undefined;
    return value === undefined ? `I don't know your ${key} yet.` : `Your ${key} is ${value}.`;
  }
  return undefined;
}

// ---------------------------------------------------------------- reminders

const REMIND_RE = /^\s*remind me in\s+(\d+)\s*(?:seconds?|secs?|s)\s+to\s+(.+?)[.!]?\s*$/isu;

export interface ReminderRequest {
  seconds: number;
  raw: string;
  task: string;
}

export function parseReminder(text: string): ReminderRequest | undefined {
  const m = REMIND_RE.exec(text);
  if (!m) return undefined;
  return { seconds: Number(m[1]), raw: m[1], task: m[2] };
}

/** Sends "⏰ Reminder: <task>" after the delay, without holding up the conversation. */
export function scheduleReminder(chat: BotChat, req: ReminderRequest): void {
  void (async (): Promise<void> => {
    try {
      await chat.sleep(req.seconds * 1000);
      await replyWithRetry(chat, `⏰ Reminder: ${req.task}`);
    } catch {
      // The sandbox closed the chat or stopped: a lost reminder is what a real bot would do too.
    }
  })();
}

// ---------------------------------------------------------------- booking

const BOOK_RE = /^\s*book a table for\s+(\d+)\b/iu;
const BOOK_CALLBACK_RE = /^book:(yes|no):(\d+)$/u;
const REF_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function parseBooking(text: string): { question: string; buttons: BotButton[][] } | undefined {
  const m = BOOK_RE.exec(text);
  if (!m) return undefined;
  const n = m[1];
  return {
    question: `Confirm booking a table for ${n}?`,
    buttons: [[
      { text: '✅ Confirm', data: `book:yes:${n}` },
      { text: '❌ Cancel', data: `book:no:${n}` },
    ]],
  };
}

export function bookingReference(random: () => number): string {
  let ref = '';
  for (let i = 0; i < 6; i++) ref += REF_ALPHABET[Math.floor(random() * REF_ALPHABET.length) % REF_ALPHABET.length];
  return ref;
}

/** Handles a booking button: edits the question and returns the callback answer, or undefined if not ours. */
export async function bookingCallback(
  data: string,
  chat: BotChat,
  messageId: number,
  random: () => number,
): Promise<string | undefined> {
  const m = BOOK_CALLBACK_RE.exec(data);
  if (!m) return undefined;
  if (m[1] === 'yes') {
    await chat.edit(messageId, `✅ Booked a table for ${m[2]}. Reference: ${bookingReference(random)}`);
    return 'Booked!';
  }
  await chat.edit(messageId, '❌ Booking cancelled.');
  return 'Cancelled';
}
