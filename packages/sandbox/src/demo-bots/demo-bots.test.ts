import { describe, expect, it } from 'vitest';
import type { BotButton, BotChat, BotModule, BotOutgoingMedia, BotReplyOptions } from '../bot-contract.js';
import { seededRandom } from '../seeded-random.js';
import { DEMO_BOT_NAMES, DEMO_FALLBACK, DEMO_PACE, KB_NOT_FOUND, STREAM_PLACEHOLDER, createDemoBot, jokeCount } from './index.js';
import { jokeAt } from './jokes.js';

interface ChatEvent {
  kind: 'reply' | 'edit' | 'delete' | 'typing' | 'draft' | 'sleep';
  at: number;
  id?: number;
  text?: string;
  buttons?: BotButton[][];
  replyTo?: number;
  ms?: number;
}

/** The sandbox's side of the bot contract, in memory, with virtual time. Sleeps ≥ holdMs wait for release(). */
class FakeChat implements BotChat {
  readonly id = '1001';
  readonly userId = '1001';
  readonly state = new Map<string, unknown>();
  readonly events: ChatEvent[] = [];
  readonly texts = new Map<number, string>();
  now = 0;
  private nextId = 500;
  private held: Array<() => void> = [];
  constructor(private readonly holdMs = Infinity) {}

  async reply(text: string, opts?: BotReplyOptions): Promise<number> {
    const id = ++this.nextId;
    this.texts.set(id, text);
    this.events.push({ kind: 'reply', at: this.now, id, text, buttons: opts?.buttons, replyTo: opts?.replyTo });
    return id;
  }
  async edit(messageId: number, text: string): Promise<void> {
    if (!this.texts.has(messageId)) throw new Error(`no message ${messageId}`);
    if (this.texts.get(messageId) === text) throw new Error('MESSAGE_NOT_MODIFIED');
    this.texts.set(messageId, text);
    this.events.push({ kind: 'edit', at: this.now, id: messageId, text });
  }
  async replyMedia(m: BotOutgoingMedia): Promise<number> {
    return this.reply(`[${m.kind}] ${m.caption ?? ''}`, { replyTo: m.replyTo });
  }
  async delete(messageId: number): Promise<void> {
    this.texts.delete(messageId);
    this.events.push({ kind: 'delete', at: this.now, id: messageId });
  }
  async typing(): Promise<void> {
    this.events.push({ kind: 'typing', at: this.now });
  }
  async draft(text: string): Promise<void> {
    this.events.push({ kind: 'draft', at: this.now, text });
  }
  async sleep(ms: number): Promise<void> {
    this.events.push({ kind: 'sleep', at: this.now, ms });
    if (ms >= this.holdMs) {
      await new Promise<void>((resolve) => this.held.push(resolve));
      return;
    }
    this.now += ms;
  }
  release(): void {
    for (const r of this.held.splice(0)) r();
  }
  get heldCount(): number {
    return this.held.length;
  }
  kinds(): string[] {
    return this.events.filter((e) => e.kind !== 'sleep').map((e) => e.kind);
  }
  /** Final text of the last message the bot sent. */
  lastText(): string {
    const replies = this.events.filter((e) => e.kind === 'reply');
    const last = replies[replies.length - 1];
    return last?.id === undefined ? '' : (this.texts.get(last.id) ?? '');
  }
  clear(): void {
    this.events.length = 0;
  }
}

/** Deterministic PRNG so tests are reproducible but not trivially constant. */
const seeded = seededRandom;

let msgId = 1;
async function say(bot: BotModule, chat: FakeChat, text: string): Promise<string> {
  chat.clear();
  await bot.onMessage({ id: msgId++, text, date: Math.floor(Date.now() / 1000) }, chat);
  return chat.lastText();
}

function bot(name: string, seed = 7, streamBy: 'draft' | 'edit' = 'draft'): BotModule {
  const b = createDemoBot(name, { random: seeded(seed), streamBy });
  if (!b) throw new Error(`no demo bot ${name}`);
  return b;
}

describe('createDemoBot', () => {
  it('knows exactly canary_bot and stable_bot', () => {
    expect([...DEMO_BOT_NAMES]).toEqual(['canary_bot', 'stable_bot']);
    expect(createDemoBot('canary_bot')).toBeDefined();
    expect(createDemoBot('@stable_bot')).toBeDefined();
    expect(createDemoBot('other_bot')).toBeUndefined();
    expect(createDemoBot('')).toBeUndefined();
  });

  it.each(['canary_bot', 'stable_bot'])('%s greets by name on /start, typing first, thinking 150–350 ms', async (name) => {
    const chat = new FakeChat();
    const text = await say(bot(name), chat, '/start');
    expect(text).toContain(name);
    expect(text).toMatch(/^Hello!/u);
    expect(chat.kinds()).toEqual(['typing', 'reply']);
    const reply = chat.events.find((e) => e.kind === 'reply');
    expect(reply?.at).toBeGreaterThanOrEqual(DEMO_PACE.skillMs[0]);
    expect(reply?.at).toBeLessThanOrEqual(DEMO_PACE.skillMs[1]);
  });

  it('answers anything else with the fallback', async () => {
    expect(await say(bot('stable_bot'), new FakeChat(), 'hello there')).toBe(DEMO_FALLBACK);
    expect(await say(bot('canary_bot'), new FakeChat(), '')).toBe(DEMO_FALLBACK);
  });
});

describe('jokes', () => {
  it('has at least 300 distinct jokes per language', () => {
    for (const lang of ['en', 'fr', 'es', 'de', 'ru'] as const) {
      const n = jokeCount(lang);
      expect(n).toBeGreaterThanOrEqual(300);
      const all = new Set(Array.from({ length: n }, (_, k) => jokeAt(lang, k)));
      expect(all.size).toBe(n);
    }
  });

  it('never repeats within a chat until the repertoire is exhausted', async () => {
    const b = bot('stable_bot', 3);
    const chat = new FakeChat();
    const seen = new Set<string>();
    const n = jokeCount('en');
    for (let i = 0; i < n; i++) seen.add(await say(b, chat, 'Tell me a joke'));
    expect(seen.size).toBe(n);
    expect(seen.has(await say(b, chat, 'Tell me a joke'))).toBe(true);
  });

  it('starts different chats at random points', async () => {
    const firsts = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) firsts.add(await say(bot('stable_bot', seed * 977), new FakeChat(), 'joke please'));
    expect(firsts.size).toBeGreaterThanOrEqual(6);
  });

  // 20 consecutive jokes clearly different by tg-canary's `novel` scorer: src/scorers/demo-jokes-novel.test.ts
  it('tells 21 consecutive jokes without repeating one', async () => {
    const b = bot('stable_bot', 11);
    const chat = new FakeChat();
    const jokes: string[] = [];
    for (let i = 0; i < 21; i++) jokes.push(await say(b, chat, 'Another joke!'));
    expect(new Set(jokes).size).toBe(21);
  });

  it.each([
    ['Tell me a joke in French', /^Pourquoi .+\?/u],
    ['Raconte-moi une blague en français', /^Pourquoi /u],
    ['Une blague, s’il te plaît', /^Pourquoi /u],
    ['Tell me a joke in Spanish', /^¿Por qué .+\? /u],
    ['Cuéntame un chiste en español', /^¿Por qué /u],
    ['Tell me a joke in German', /^Warum .+\? Weil /u],
    ['Erzähl mir einen Witz auf Deutsch', /^Warum /u],
    ['Tell me a joke in Russian', /^Почему .+\? Потому что /u],
    ['Расскажи шутку по-русски', /^Почему /u],
    ['Tell me a joke 😀', /^Why .+\? Because /u],
  ])('"%s" → joke in the asked language', async (prompt, re) => {
    expect(await say(bot('stable_bot'), new FakeChat(), prompt)).toMatch(re);
  });

  it('canary streams a joke by drafts: typing, growing drafts after the first token, then one message; stable generates it whole', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const chat = new FakeChat();
      const final = await say(bot('canary_bot', seed), chat, 'Tell me a joke');
      const drafts = chat.events.filter((e) => e.kind === 'draft');
      const replies = chat.events.filter((e) => e.kind === 'reply');
      expect(chat.kinds()[0]).toBe('typing');
      expect(chat.kinds().filter((k) => k === 'edit')).toHaveLength(0);
      expect(replies).toHaveLength(1);
      expect(replies[0].text).toBe(final);
      expect(final).toMatch(/^Why /u);
      expect(drafts.length).toBeGreaterThanOrEqual(1);
      expect(drafts.length).toBeLessThanOrEqual(2);
      for (let i = 0; i < drafts.length; i++) {
        expect(final.startsWith(drafts[i].text ?? '\u0000')).toBe(true);
        expect(drafts[i].text?.length).toBeLessThan(final.length);
        if (i > 0) expect(drafts[i].text?.length).toBeGreaterThan(drafts[i - 1].text?.length ?? 0);
      }
      expect(drafts[0].at).toBeGreaterThanOrEqual(DEMO_PACE.firstTokenMs[0]);
      expect(drafts[0].at).toBeLessThanOrEqual(DEMO_PACE.firstTokenMs[1]);
      expect(replies[0].at).toBeLessThan(2000);
    }
    const chat = new FakeChat();
    await say(bot('stable_bot'), chat, 'Tell me a joke');
    expect(chat.kinds()).toEqual(['typing', 'reply']);
    const reply = chat.events.find((e) => e.kind === 'reply');
    expect(reply?.at).toBeGreaterThanOrEqual(DEMO_PACE.generateMs[0]);
  });

  it('canary in edit mode: a placeholder, then growing edits never closer than 1 s apart', async () => {
    const chat = new FakeChat();
    const final = await say(bot('canary_bot', 5, 'edit'), chat, 'Tell me a joke');
    const replies = chat.events.filter((e) => e.kind === 'reply');
    const edits = chat.events.filter((e) => e.kind === 'edit');
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toBe(STREAM_PLACEHOLDER);
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.at(-1)?.text).toBe(final);
    let prev = replies[0].at;
    for (const e of edits) {
      expect(e.at - prev).toBeGreaterThanOrEqual(1000);
      prev = e.at;
    }
  });

  it('a draft refused with 429 is skipped; the answer is still sent', async () => {
    const chat = new FakeChat();
    chat.draft = async (): Promise<void> => {
      throw Object.assign(new Error('Too Many Requests: retry after 1'), { code: 429, retryAfter: 1 });
    };
    const final = await say(bot('canary_bot'), chat, 'Tell me a joke');
    expect(final).toMatch(/^Why /u);
    expect(chat.kinds()).toEqual(['typing', 'reply']);
  });
});

describe('memory', () => {
  it('remembers per chat with case-insensitive keys and exact values', async () => {
    const b = bot('canary_bot');
    const chat = new FakeChat();
    expect(await say(b, chat, 'Remember: my favourite colour is Teal-7f3A.')).toBe(
      "Got it — I'll remember that your favourite colour is Teal-7f3A.",
    );
    expect(await say(b, chat, 'What is my Favourite Colour?')).toBe('Your Favourite Colour is Teal-7f3A.');
    expect(await say(b, chat, 'Remember that my code word is Ёжик-🦔-42')).toBe(
      "Got it — I'll remember that your code word is Ёжик-🦔-42.",
    );
    expect(await say(b, chat, "What's my code word?")).toBe('Your code word is Ёжик-🦔-42.');
    expect(await say(b, chat, 'What is my pet?')).toBe("I don't know your pet yet.");
    expect(await say(b, new FakeChat(), 'What is my code word?')).toBe("I don't know your code word yet.");
  });

  it('overwrites a remembered value', async () => {
    const b = bot('stable_bot');
    const chat = new FakeChat();
    await say(b, chat, 'Remember: my nonce is a1.');
    await say(b, chat, 'remember my nonce is b2');
    expect(await say(b, chat, 'What is my nonce?')).toBe('Your nonce is b2.');
  });
});

describe('unit conversion', () => {
  it.each([
    ['Convert 10 km to miles', '10 km = 6.21 miles'],
    ['Convert 100 C to F', '100 C = 212 F'],
    ['Convert 212 F to C', '212 F = 100 C'],
    ['convert 5 miles to km', '5 miles = 8.05 km'],
    ['Convert 2 kg to lb', '2 kg = 4.41 lb'],
    ['Convert 10 lb to kg.', '10 lb = 4.54 kg'],
    ['Convert 3 m to ft', '3 m = 9.84 ft'],
    ['Convert 10 ft to m', '10 ft = 3.05 m'],
    ['Convert 10 l to gal', '10 l = 2.64 gal'],
    ['Convert 2 gal to l', '2 gal = 7.57 l'],
    ['Convert -40 C to F', '-40 C = -40 F'],
    ['Convert 0 km to miles', '0 km = 0 miles'],
  ])('%s → %s', async (prompt, expected) => {
    expect(await say(bot('stable_bot'), new FakeChat(), prompt)).toBe(expected);
  });

  it('explains unsupported pairs', async () => {
    expect(await say(bot('stable_bot'), new FakeChat(), 'Convert 3 km to kg')).toMatch(/^Sorry, I can only convert/u);
  });
});

describe('reminders', () => {
  it('confirms at once and sends a new message after n seconds', async () => {
    const b = bot('canary_bot');
    const chat = new FakeChat(1000);
    expect(await say(b, chat, 'Remind me in 3 seconds to stretch')).toBe("OK, I'll remind you in 3 seconds.");
    await new Promise((r) => setImmediate(r));
    expect(chat.heldCount).toBe(1);
    expect(chat.events.some((e) => e.kind === 'sleep' && e.ms === 3000)).toBe(true);
    const before = chat.events.filter((e) => e.kind === 'reply').length;
    chat.release();
    await new Promise((r) => setImmediate(r));
    const replies = chat.events.filter((e) => e.kind === 'reply');
    expect(replies).toHaveLength(before + 1);
    expect(replies[replies.length - 1].text).toBe('⏰ Reminder: stretch');
    expect(replies[replies.length - 1].replyTo).toBeUndefined();
  });
});

describe('booking', () => {
  it('asks to confirm with two buttons and books on yes', async () => {
    const b = bot('stable_bot');
    const chat = new FakeChat();
    await say(b, chat, 'Book a table for 4');
    const q = chat.events.find((e) => e.kind === 'reply');
    expect(q?.text).toBe('Confirm booking a table for 4?');
    expect(q?.buttons).toEqual([[{ text: '✅ Confirm', data: 'book:yes:4' }, { text: '❌ Cancel', data: 'book:no:4' }]]);
    const id = q?.id ?? -1;
    const pressedAt = chat.now;
    const answer = await b.onCallback?.('book:yes:4', chat, id);
    expect(answer).toBe('Booked!');
    // answered like a real bot: after a short piece of work, well inside Telegram's ~10 s window
    expect(chat.now - pressedAt).toBeGreaterThanOrEqual(DEMO_PACE.callbackMs[0]);
    expect(chat.now - pressedAt).toBeLessThanOrEqual(DEMO_PACE.callbackMs[1]);
    expect(chat.texts.get(id)).toMatch(/^✅ Booked a table for 4\. Reference: [A-Z0-9]{6}$/u);
  });

  it('cancels on no and ignores unknown callbacks', async () => {
    const b = bot('canary_bot');
    const chat = new FakeChat();
    await say(b, chat, 'book a table for 2 people please');
    const id = chat.events.find((e) => e.kind === 'reply')?.id ?? -1;
    expect(await b.onCallback?.('book:no:2', chat, id)).toBe('Cancelled');
    expect(chat.texts.get(id)).toBe('❌ Booking cancelled.');
    expect(await b.onCallback?.('something:else', chat, id)).toBeUndefined();
  });
});

describe('Orbit knowledge base', () => {
  it.each([
    ['What is the warranty of the Orbit X1?', 'The Orbit X1 comes with a 2-year warranty.'],
    ['How long does the Orbit X1 battery last?', 'The Orbit X1 battery lasts 18 hours on a single charge.'],
    ['How much does the Orbit X1 weigh?', 'The Orbit X1 weighs 1.2 kg.'],
    ['Does the Orbit Hub support Z-Wave?', 'The Orbit Hub supports Zigbee and Matter. It does not support Z-Wave.'],
    ['Which protocols does the Orbit Hub support?', 'The Orbit Hub supports Zigbee and Matter. It does not support Z-Wave.'],
    ['What are the Acme support hours?', 'Acme support is available 9:00–17:00 CET on weekdays.'],
    ['Can I return my Orbit X1?', 'Acme accepts returns within 30 days of purchase.'],
    ['What is the refund policy?', 'Acme accepts returns within 30 days of purchase.'],
    ['Does the Orbit X2 have a camera?', 'The Orbit X2 has a 4K camera.'],
    ['Does the Orbit app run on Android?', 'The Orbit app runs on iOS 16+ and Android 12+.'],
  ])('%s', async (q, a) => {
    expect(await say(bot('stable_bot'), new FakeChat(), q)).toBe(a);
    expect(await say(bot('canary_bot'), new FakeChat(), q)).toBe(a);
  });

  it.each([
    'What is the warranty of the Orbit X2?',
    'How long does the Orbit X2 battery last?',
    'Does the Orbit Hub support Thread?',
    'What is the price of the Orbit X1?',
    'What is the capital of France?',
  ])('never invents: %s', async (q) => {
    expect(await say(bot('stable_bot'), new FakeChat(), q)).toBe(KB_NOT_FOUND);
  });

  it('canary streams KB answers, stable does not', async () => {
    const chat = new FakeChat();
    await say(bot('canary_bot'), chat, 'What is the warranty of the Orbit X1?');
    expect(chat.kinds().filter((k) => k === 'draft').length).toBeGreaterThanOrEqual(1);
    expect(chat.kinds().at(-1)).toBe('reply');
    const stable = new FakeChat();
    await say(bot('stable_bot'), stable, 'What is the warranty of the Orbit X1?');
    expect(stable.kinds()).toEqual(['typing', 'reply']);
  });
});
