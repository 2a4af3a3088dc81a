/**
 * The demo bots' command menu, texts, deep links and inline mode: `/start PAYLOAD` names the payload back, `/help`
 * lists the commands, `@bot <anything>` offers jokes (articles) and, for "5 km in miles", the conversion.
 */
import type { BotCommandSpec, BotInlineAnswer, BotInlineQuery, BotInlineResultSpec } from '../bot-contract.js';
import { jokeAt, jokeCount } from './jokes.js';
import { convertUnits } from './units.js';

export const DEMO_COMMANDS: readonly BotCommandSpec[] = Object.freeze([
  { command: 'start', description: 'Start the conversation' },
  { command: 'help', description: 'What I can do' },
  { command: 'joke', description: 'Tell a joke' },
]);

export const DEMO_DESCRIPTION =
  'A demo bot of the tg-canary sandbox: jokes, memory, unit conversion, reminders, table bookings and the Orbit ' +
  'knowledge base. Inline mode: type @canary_bot joke in any chat.';

export const DEMO_ABOUT = 'Demo bot of the tg-canary sandbox: jokes, units, reminders, bookings.';

/** `/start PAYLOAD` (a deep link): the payload, or undefined for a bare /start. */
export function deepLinkPayload(text: string): string | undefined {
  return /^\/start(?:@\w+)?\s+(\S+)/iu.exec(text.trim())?.[1];
}

/** The answer to a deep link: names the payload so a test can see it was read. */
export function deepLinkAnswer(name: string, payload: string): string {
  return `Welcome to ${name}! You came from the link "${payload}". Ask me for a joke, a unit conversion or a table booking.`;
}

export function isHelp(text: string): boolean {
  return /^\/help(?:@\w+)?\s*$/iu.test(text.trim());
}

export function helpText(commands: readonly BotCommandSpec[]): string {
  return `Commands:\n${commands.map((c) => `/${c.command} — ${c.description}`).join('\n')}\nInline mode: type @canary_bot joke in any chat.`;
}

/** Inline answers: up to 3 jokes as articles (from the query's offset), and a unit conversion when the query is one. */
export function demoInlineAnswer(q: BotInlineQuery): BotInlineAnswer {
  const results: BotInlineResultSpec[] = [];
  const converted = convertUnits(q.query);
  if (converted !== undefined) results.push({ id: 'convert', kind: 'article', title: 'Convert', description: converted, message: converted });
  const start = Number.parseInt(q.offset, 10) || 0;
  const total = jokeCount('en');
  const n = Math.min(3, Math.max(0, total - start));
  for (let i = 0; i < n; i++) {
    const text = jokeAt('en', start + i);
    results.push({ id: `joke-${start + i}`, kind: 'article', title: `Joke #${start + i + 1}`, description: text.slice(0, 60), message: text });
  }
  const next = start + n < total ? String(start + n) : undefined;
  return { results, cacheTime: 0, ...(next ? { nextOffset: next } : {}) };
}
