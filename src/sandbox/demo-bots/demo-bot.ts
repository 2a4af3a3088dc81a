/**
 * The demo bots of the sandbox (`canary_bot`, `stable_bot`): a healthy LLM-style bot following the demo
 * conversation spec (jokes, memory, unit conversion, reminders, table booking, Orbit knowledge base).
 * The only difference between them: the canary streams knowledge-base answers and jokes through edits.
 */
import type { BotButton, BotChat, BotIncomingMessage, BotModule } from '../bot-contract.js';
import { bookingCallback, memorySkill, parseBooking, parseReminder, scheduleReminder } from './chat-skills.js';
import { isJokeRequest, jokeLanguage, nextJoke } from './jokes.js';
import { KB_NOT_FOUND, isKbQuestion, lookupOrbit } from './knowledge-base.js';
import { STREAM_PLACEHOLDER, STREAM_TOTAL_MS, streamPrefixes } from './streaming.js';
import { convertUnits } from './units.js';

export const DEMO_FALLBACK =
  "I'm a demo bot. Ask me for a joke, to remember something, a unit conversion, a reminder, a table booking, " +
  'or about Orbit products.';

export interface DemoBotConfig {
  name: string;
  /** Stream KB answers and jokes as a placeholder plus growing edits. */
  streaming: boolean;
  random: () => number;
}

interface Answer {
  text: string;
  stream?: boolean;
  buttons?: BotButton[][];
  after?: (chat: BotChat) => void;
}

export function greeting(name: string): string {
  return `Hello! I'm ${name}, a demo bot of the tg-canary sandbox. ${DEMO_FALLBACK.replace("I'm a demo bot. ", '')}`;
}

function route(text: string, chat: BotChat, cfg: DemoBotConfig): Answer {
  const t = text.trim();
  if (/^\/start(?:@\w+)?\b/iu.test(t)) return { text: greeting(cfg.name) };
  const memory = memorySkill(t, chat);
  if (memory !== undefined) return { text: memory };
  const converted = convertUnits(t);
  if (converted !== undefined) return { text: converted };
  const reminder = parseReminder(t);
  if (reminder) {
    return {
      text: `OK, I'll remind you in ${reminder.raw} seconds.`,
      after: (c) => scheduleReminder(c, reminder),
    };
  }
  const booking = parseBooking(t);
  if (booking) return { text: booking.question, buttons: booking.buttons };
  if (isJokeRequest(t)) return { text: nextJoke(chat.state, jokeLanguage(t), cfg.random), stream: true };
  if (isKbQuestion(t)) return { text: lookupOrbit(t) ?? KB_NOT_FOUND, stream: true };
  return { text: DEMO_FALLBACK };
}

async function deliver(answer: Answer, msg: BotIncomingMessage, chat: BotChat, cfg: DemoBotConfig): Promise<number> {
  await chat.typing();
  await chat.sleep(5 + Math.floor(cfg.random() * 26));
  if (!(answer.stream && cfg.streaming)) {
    return chat.reply(answer.text, { replyTo: msg.id, buttons: answer.buttons });
  }
  const id = await chat.reply(STREAM_PLACEHOLDER, { replyTo: msg.id });
  // at most editBurst (3) quick edits: more would meet Telegram's per-message edit limit (429)
  const parts = streamPrefixes(answer.text, 2 + Math.floor(cfg.random() * 2));
  const step = Math.round(STREAM_TOTAL_MS / parts.length);
  for (const part of parts) {
    await chat.sleep(step);
    await chat.edit(id, part);
  }
  return id;
}

export function buildDemoBot(cfg: DemoBotConfig): BotModule {
  return {
    async onMessage(msg: BotIncomingMessage, chat: BotChat): Promise<number> {
      const answer = route(msg.text ?? '', chat, cfg);
      const id = await deliver(answer, msg, chat, cfg);
      answer.after?.(chat);
      return id;
    },
    async onCallback(data: string, chat: BotChat, messageId: number): Promise<string | void> {
      return bookingCallback(data, chat, messageId, cfg.random);
    },
  };
}
