/**
 * The demo bots of the sandbox (`canary_bot`, `stable_bot`): a healthy LLM-style bot following the demo
 * conversation spec (jokes, memory, unit conversion, reminders, table booking, Orbit knowledge base).
 * The only difference between them: the canary streams knowledge-base answers and jokes (by drafts, or by
 * edits at ≤ 1 a second); the stable bot generates them whole. Both think with typing, at a realistic pace.
 */
import type { BotButton, BotChat, BotIncomingMessage, BotModule } from '../bot-contract.js';
import type { BotCallbackReply } from '../bot-ui-contract.js';
import { bookingCallback, memorySkill, parseBooking, parseReminder, scheduleReminder } from './chat-skills.js';
import { isJokeRequest, jokeLanguage, nextJoke } from './jokes.js';
import { mediaSkill } from './media-skills.js';
import { KB_NOT_FOUND, isKbQuestion, lookupOrbit } from './knowledge-base.js';
import { pick, replyWithRetry, streamByDrafts, streamByEdits, type DemoPace } from './streaming.js';
import { convertUnits } from './units.js';
import { DEMO_ABOUT, DEMO_COMMANDS, DEMO_DESCRIPTION, deepLinkAnswer, deepLinkPayload, demoInlineAnswer, helpText, isHelp } from './commands-inline.js';
import { uiCallback, uiSkill, uiWebRequest, type UiAnswer } from './ui-skills.js';

export const DEMO_FALLBACK =
  "I'm a demo bot. Ask me for a joke, to remember something, a unit conversion, a reminder, a table booking, " +
  'or about Orbit products.';

export interface DemoBotConfig {
  name: string;
  /** Stream KB answers and jokes. */
  streaming: boolean;
  /** How a stream reaches the user: drafts (sendMessageDraft) or a placeholder and edits. */
  streamBy: 'draft' | 'edit';
  pace: DemoPace;
  random: () => number;
}

interface Answer {
  text: string;
  stream?: boolean;
  buttons?: BotButton[][];
  markup?: UiAnswer['markup'];
  after?: (chat: BotChat) => void;
}

export function greeting(name: string): string {
  return `Hello! I'm ${name}, a demo bot of the tg-canary sandbox. ${DEMO_FALLBACK.replace("I'm a demo bot. ", '')}`;
}

function route(text: string, chat: BotChat, cfg: DemoBotConfig): Answer {
  const t = text.trim();
  const payload = deepLinkPayload(t);
  if (payload !== undefined) return { text: deepLinkAnswer(cfg.name, payload) };
  if (isHelp(t)) return { text: helpText(DEMO_COMMANDS) };
  if (/^\/start(?:@\w+)?\b/iu.test(t)) return { text: greeting(cfg.name) };
  const ui = uiSkill(t);
  if (ui) return ui;
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
  const opts = { replyTo: msg.id, pace: cfg.pace, random: cfg.random };
  // drafts stream into private chats only: in a group the canary streams by edits or not at all
  const canStream = cfg.streamBy === 'edit' || (chat.type ?? 'private') === 'private';
  if (answer.stream && cfg.streaming && canStream) {
    return cfg.streamBy === 'edit' ? streamByEdits(chat, answer.text, opts) : streamByDrafts(chat, answer.text, opts);
  }
  await chat.sleep(pick(answer.stream ? cfg.pace.generateMs : cfg.pace.skillMs, cfg.random));
  return replyWithRetry(chat, answer.text, { replyTo: msg.id, buttons: answer.buttons, ...answer.markup });
}

/** A group message as the bot reads it: without the mention of itself ("@canary_bot tell me a joke"). */
function addressedText(text: string, name: string): string {
  return text.replace(new RegExp(`(^|\\s)@${name}\\b[,:]?\\s*`, 'giu'), '$1').trim();
}

export function buildDemoBot(cfg: DemoBotConfig): BotModule {
  return {
    commands: [...DEMO_COMMANDS],
    description: DEMO_DESCRIPTION,
    about: DEMO_ABOUT,
    async onMessage(msg: BotIncomingMessage, chat: BotChat): Promise<number | undefined> {
      if (msg.viaBotId !== undefined) return undefined; // our own inline result, sent by the user: nothing to answer
      const media = await mediaSkill(msg, chat, () => chat.sleep(pick(cfg.pace.skillMs, cfg.random)));
      if (media !== undefined) return media;
      const answer = route(addressedText(msg.text ?? '', cfg.name), chat, cfg);
      const id = await deliver(answer, msg, chat, cfg);
      answer.after?.(chat);
      return id;
    },
    async onCallback(data: string, chat: BotChat, messageId: number): Promise<string | BotCallbackReply | void> {
      await chat.sleep(pick(cfg.pace.callbackMs, cfg.random)); // well inside Telegram's answer window
      return uiCallback(data) ?? bookingCallback(data, chat, messageId, cfg.random);
    },
    async onInlineQuery(q, chat) {
      await chat.sleep(pick(cfg.pace.callbackMs, cfg.random));
      return demoInlineAnswer(q);
    },
    onWebRequest: (req) => uiWebRequest(req),
  };
}
