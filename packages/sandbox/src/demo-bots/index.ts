/** Built-in demo bots of the sandbox, by username. */
import type { BotModule } from '../bot-contract.js';
import { buildDemoBot } from './demo-bot.js';
import { DEMO_PACE, type DemoPace } from './streaming.js';

export const DEMO_BOT_NAMES = ['canary_bot', 'stable_bot'] as const;
export type DemoBotName = (typeof DEMO_BOT_NAMES)[number];

export interface DemoBotOptions {
  /** Source of randomness (joke start point, latency, streaming chunks, booking reference). */
  random?: () => number;
  /** How the canary streams: by drafts (default) or by a placeholder and edits at ≤ 1 a second. */
  streamBy?: 'draft' | 'edit';
  /** Think and stream times (default DEMO_PACE). */
  pace?: Partial<DemoPace>;
}

export function isDemoBotName(name: string): name is DemoBotName {
  return (DEMO_BOT_NAMES as readonly string[]).includes(name);
}

/** A fresh demo bot for `canary_bot` or `stable_bot` (a leading `@` is accepted); undefined for other names. */
export function createDemoBot(name: string, opts: DemoBotOptions = {}): BotModule | undefined {
  const bare = name.replace(/^@/u, '');
  if (!isDemoBotName(bare)) return undefined;
  return buildDemoBot({
    name: bare,
    streaming: bare === 'canary_bot',
    streamBy: opts.streamBy ?? 'draft',
    pace: { ...DEMO_PACE, ...opts.pace },
    random: opts.random ?? Math.random,
  });
}

export { DEMO_FALLBACK, greeting } from './demo-bot.js';
export { KB_NOT_FOUND, ORBIT_FACTS } from './knowledge-base.js';
export { STREAM_PLACEHOLDER, DEMO_PACE, type DemoPace } from './streaming.js';
export { jokeAt, jokeCount, type JokeLanguage } from './jokes.js';
export { convertUnits } from './units.js';
export { chartPng, exportJson } from './media-skills.js';
