/**
 * Telegram's behaviour towards bots, as numbers: per-chat rate limits (a token bucket), the button-press window,
 * typing and draft lifetimes, the getDifference page size. Defaults and their sources: packages/sandbox/README.md,
 * "Telegram's limits".
 */

export interface SandboxLimits {
  /** New messages a bot may send per second in one chat (Bot API FAQ: about 1). */
  messagesPerSecond: number;
  /** Messages a bot may send at once before the per-second rate applies ("short bursts"). */
  messageBurst: number;
  /** Edits per second of one message. */
  editsPerSecond: number;
  editBurst: number;
  /** Draft updates (sendMessageDraft) per second in one chat: limited like edits. */
  draftsPerSecond: number;
  draftBurst: number;
  /** How long a button press waits for the bot's answer before BOT_RESPONSE_TIMEOUT. */
  callbackTimeoutMs: number;
  /** How long messages.getInlineBotResults waits for the bot's answerInlineQuery before BOT_RESPONSE_TIMEOUT. */
  inlineTimeoutMs: number;
  /** How long a user client shows one typing action (informational: clients expire it, the server sends nothing). */
  typingMs: number;
  /** A draft not updated for this long is over: the next chat.draft() starts a new one (new random_id). */
  draftExpiresMs: number;
  /** Changes per updates.getDifference answer; more → updates.differenceSlice. */
  differenceLimit: number;
  /** Changes kept per user box; a client further behind gets updates.differenceTooLong. */
  updateLogSize: number;
}

export const DEFAULT_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  messagesPerSecond: 1,
  messageBurst: 5,
  editsPerSecond: 1,
  editBurst: 3,
  draftsPerSecond: 1,
  draftBurst: 3,
  callbackTimeoutMs: 10_000,
  inlineTimeoutMs: 10_000,
  typingMs: 5_000,
  draftExpiresMs: 30_000,
  differenceLimit: 100,
  updateLogSize: 1_000,
});

/** Defaults overridden by `partial`; a bad value (negative, NaN) is an error naming the field. */
export function resolveLimits(partial: Partial<SandboxLimits> = {}): SandboxLimits {
  const out: SandboxLimits = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(partial)) {
    if (!(k in DEFAULT_LIMITS)) throw new Error(`sandbox limits: unknown field ${k} (known: ${Object.keys(DEFAULT_LIMITS).join(', ')})`);
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new Error(`sandbox limits: ${k} must be a number ≥ 0 (Infinity = unlimited), got ${String(v)}`);
    out[k as keyof SandboxLimits] = v;
  }
  return out;
}

/** What a Bot API library throws on HTTP 429: `code`, `retryAfter` (seconds) and Telegram's description. */
export class BotApiError extends Error {
  readonly code: number;
  readonly description: string;
  readonly retryAfter?: number;
  /** As in the Bot API's JSON answer (`parameters.retry_after`). */
  readonly parameters: { retry_after?: number };

  constructor(code: number, description: string, retryAfter?: number) {
    super(description);
    this.name = 'BotApiError';
    this.code = code;
    this.description = description;
    this.retryAfter = retryAfter;
    this.parameters = retryAfter === undefined ? {} : { retry_after: retryAfter };
  }
}

export function tooManyRequests(retryAfter: number): BotApiError {
  return new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
}

/** Token buckets by key: `perSecond` refill, `burst` capacity. Time in milliseconds from `now`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Takes one token: 0 when allowed, else the whole seconds to wait (≥ 1), as retry_after. */
  take(key: string, perSecond: number, burst: number): number {
    if (perSecond === Infinity || burst === Infinity) return 0;
    const t = this.now();
    const cap = Math.max(1, burst);
    const b = this.buckets.get(key) ?? { tokens: cap, at: t };
    b.tokens = Math.min(cap, b.tokens + (perSecond > 0 ? ((t - b.at) / 1000) * perSecond : 0));
    b.at = t;
    this.buckets.set(key, b);
    if (this.buckets.size > 50_000) this.buckets.delete(this.buckets.keys().next().value as string);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    if (perSecond <= 0) return 3600;
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }
}
