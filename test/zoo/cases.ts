/**
 * The zoo: every bot module with the verdict tg-canary must reach on the SHIPPED scenarios, and why. Canary is
 * the zoo bot, stable the built-in stable bot unless `stable` names a zoo bot (shared outages). Exit codes: 0 pass
 * (a harmless deploy must promote), 1 fail (a regression must roll back), 3 inconclusive (not the canary's fault:
 * never roll back, never promote). Cases with several runs run them on one database (and one sandbox: the bots'
 * chat memory carries over), `redeploy` loads the canary module afresh between runs.
 */
import type { FaultSpec } from '@tg-canary/sandbox';

export type Exit = 0 | 1 | 3;
export type Kind = 'healthy' | 'broken' | 'shared';

export interface ZooCase {
  /** File under test/zoo/bots/ (without .ts). */
  bot: string;
  kind: Kind;
  /** Exit code of each run, in order (one run unless cross-run). */
  exits: Exit[];
  why: string;
  /** Only this suite of the shipped scenarios (the one the deploy touches); default all. */
  suite?: 'joke' | 'memory' | 'favor' | 'rag';
  /** Only this shipped scenario (a slow failure: each failing step waits out its 20 s deadline). */
  scenario?: string;
  /** Stable's module: a zoo bot for shared outages, `seed` for a provider failing at random. */
  stable?: string;
  /** Seed for `provider-flaky-shared` (canary seed; stable gets seed + 100). */
  seed?: number;
  faults?: FaultSpec[];
  env?: Record<string, string>;
  redeploy?: boolean;
}

export const CASES: readonly ZooCase[] = [
  // ---------------------------------------------------------------- healthy but different: must PASS
  { bot: 'persona-emoji', kind: 'healthy', exits: [0], why: 'emoji around every message; facts untouched' },
  { bot: 'preamble-user-language', kind: 'healthy', exits: [0], why: '"Sure! Here you go:" / "Bien sûr !" / "Конечно!" before answers' },
  { bot: 'markdown-lists', kind: 'healthy', exits: [0], suite: 'rag', why: 'KB answers as Markdown lists with ✅/❌' },
  { bot: 'quotes-the-question', kind: 'healthy', exits: [0], why: 'quotes the question ("> …") and answers as a Telegram reply' },
  { bot: 'ack-then-answer', kind: 'healthy', exits: [0], why: '"On it! 🔎" first, the answer 1.5 s later as a second message' },
  { bot: 'stream-by-edits', kind: 'healthy', exits: [0], why: '"Thinking…" placeholder, edits ≥ 1 s apart' },
  { bot: 'stream-every-answer-cursor', kind: 'healthy', exits: [0], suite: 'memory', why: 'every answer streamed by edits ~1/s with a "▌" cursor' },
  { bot: 'stream-drafts-slow', kind: 'healthy', exits: [0], why: 'drafts ~1/s for ~4 s, then the message' },
  { bot: 'thinks-8s', kind: 'healthy', exits: [0], suite: 'rag', why: 'thinks 8 s before generated answers, typing renewed' },
  { bot: 'split-two-messages', kind: 'healthy', exits: [0], why: 'long answers in two messages 700 ms apart' },
  { bot: 'confirms-without-echo', kind: 'healthy', exits: [0], suite: 'memory', why: 'memory confirmed without repeating the secret' },
  { bot: 'caveats-not-supported', kind: 'healthy', exits: [0], suite: 'rag', why: 'caveats naming what is not supported / closed' },
  { bot: 'different-wording', kind: 'healthy', exits: [0], why: 'a model swap: every answer and button worded differently, same facts' },
  { bot: 'network-jitter', kind: 'healthy', exits: [0], why: '0.2–3 s extra before each answer (seeded)' },
  { bot: 'handles-rate-limit', kind: 'healthy', exits: [0], why: 'edits every 250 ms, gets 429, waits retry_after, final text lands' },
  { bot: 'signature-line', kind: 'healthy', exits: [0], why: '"— Acme Assistant 🛰️" under generated answers' },
  { bot: 'edits-typo-after-send', kind: 'healthy', exits: [0], why: 'answer sent with a typo, fixed by an edit 900 ms later' },
  { bot: 'stream-by-edits', kind: 'healthy', exits: [0, 0], suite: 'memory', why: 'cross-run memory holds over two runs on one database' },

  // ---------------------------------------------------------------- broken: must FAIL
  { bot: 'stale-replica-greeting', kind: 'broken', exits: [1], why: 'one message in three answered with a generic greeting' },
  { bot: 'leaks-system-prompt', kind: 'broken', exits: [1], suite: 'rag', why: 'correct answer, then the system prompt and a debug trace' },
  { bot: 'wrong-polarity-zwave', kind: 'broken', exits: [1], suite: 'rag', why: '"supports … Z-Wave" where the KB says it does not' },
  { bot: 'joke-cut-upstream-timeout', kind: 'broken', exits: [3, 1], suite: 'joke', why: 'joke cut mid-sentence, "⚠️ Error: upstream timeout"' },
  { bot: 'refuses-as-an-ai', kind: 'broken', exits: [1], suite: 'joke', why: '"As an AI language model…" refusals' },
  { bot: 'forgets-planted-facts', kind: 'broken', exits: [1], suite: 'memory', why: 'confirms, then forgets the planted fact' },
  { bot: 'answers-twice', kind: 'broken', exits: [1], scenario: 'rag-orbit-x1', why: 'every generated answer sent twice' },
  { bot: 'trailing-promo', kind: 'broken', exits: [1], suite: 'favor', why: 'an unasked promo 1.2 s after every answer' },
  { bot: 'wrong-language', kind: 'broken', exits: [1], suite: 'joke', why: 'French and Russian joke requests answered in English' },
  { bot: 'wrong-unit-factor', kind: 'broken', exits: [1], suite: 'favor', why: '10 km = 16.09 miles, 100 C = 180 F' },
    // silence and error classes that can be transient hold the first run (insufficient evidence), then fail
  { bot: 'silent-on-jokes', kind: 'broken', exits: [3, 1], suite: 'joke', why: 'jokes: the worker crashes, no answer (hold, then rollback)' },
  { bot: 'progress-never-replaced', kind: 'broken', exits: [1], scenario: 'rag-orbit-x1', why: '"🔎 Searching…" never replaced' },
  { bot: 'draft-never-sent', kind: 'broken', exits: [3, 1], suite: 'joke', why: 'jokes drafted, never sent (hold, then rollback)' },
  { bot: 'button-never-answered', kind: 'broken', exits: [1], suite: 'favor', why: 'button presses never answered (BOT_RESPONSE_TIMEOUT)' },
  { bot: 'retrieval-miss', kind: 'broken', exits: [1], scenario: 'rag-orbit-x1', why: 'every KB question "couldn\'t find" (index not rebuilt)' },
  { bot: 'generic-fallback', kind: 'broken', exits: [1], suite: 'favor', why: 'everything answered with a generic blurb' },
  { bot: 'self-rate-limited', kind: 'broken', exits: [1], scenario: 'rag-orbit-x1', why: 'edits every 200 ms, 429 ignored, final edit lost with "▌"' },
  { bot: 'hallucinated-warranty', kind: 'broken', exits: [1], suite: 'rag', why: '1-year warranty, 12-hour battery' },
  { bot: 'apologizes-error', kind: 'broken', exits: [1], scenario: 'rag-orbit-x1', why: '"Sorry, something went wrong" on canary only' },
  { bot: 'truncated-max-tokens', kind: 'broken', exits: [1], scenario: 'rag-orbit-x1', why: 'KB answers stop mid-sentence' },
  { bot: 'raw-tool-json', kind: 'broken', exits: [1], suite: 'rag', why: 'answer followed by the raw tool-call JSON' },
  { bot: 'stale-joke-cache', kind: 'broken', exits: [0, 1], suite: 'joke', why: 'the same joke every run: run 2 fails novelty' },
  { bot: 'memory-in-ram', kind: 'broken', exits: [0, 1], suite: 'memory', redeploy: true, why: 'memory in RAM: lost at the redeploy between runs' },

  // ---------------------------------------------------------------- not the canary's fault: must be INCONCLUSIVE
  { bot: 'provider-flaky-shared', kind: 'shared', exits: [3], stable: 'provider-flaky-shared', seed: 1, why: 'model provider fails at random in both bots (seed 1)' },
  { bot: 'provider-flaky-shared', kind: 'shared', exits: [3], stable: 'provider-flaky-shared', seed: 2, why: 'model provider fails at random in both bots (seed 2)' },
  { bot: 'provider-flaky-shared', kind: 'shared', exits: [3], stable: 'provider-flaky-shared', seed: 3, why: 'model provider fails at random in both bots (seed 3)' },
  { bot: 'kb-backend-down-shared', kind: 'shared', exits: [3], scenario: 'rag-orbit-x1', stable: 'kb-backend-down-shared', why: 'KB backend down for both bots' },
  {
    bot: 'persona-emoji', kind: 'shared', exits: [3], suite: 'favor', why: 'a flood wait over the budget (Telegram, not the bot)',
    faults: [{ kind: 'rpc_error', method: 'messages.SendMessage', error: 'FLOOD_WAIT_120' }], env: { FLOOD_SLEEP_THRESHOLD: '5' },
  },
  {
    bot: 'persona-emoji', kind: 'shared', exits: [3], suite: 'favor', why: 'the session is revoked (AUTH_KEY_UNREGISTERED)',
    faults: [{ kind: 'rpc_error', method: 'users.GetUsers', error: 'AUTH_KEY_UNREGISTERED' }],
  },
];
