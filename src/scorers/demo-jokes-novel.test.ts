/** The demo bots' jokes must read as new to the `novel` scorer's similarity: the joke scenario relies on it. */
import type { BotChat } from '@tg-canary/sandbox/bot-contract';
import { createDemoBot } from '@tg-canary/sandbox/demo-bots';
import { describe, expect, it } from 'vitest';
import { similarity } from './text.js';

/** A chat that keeps each message's last text and never waits. */
function memoryChat(): BotChat & { last(): string } {
  const texts = new Map<number, string>();
  let nextId = 0;
  let lastId = 0;
  return {
    id: '1001',
    userId: '1001',
    state: new Map<string, unknown>(),
    async reply(text: string): Promise<number> {
      lastId = ++nextId;
      texts.set(lastId, text);
      return lastId;
    },
    async edit(messageId: number, text: string): Promise<void> {
      texts.set(messageId, text);
    },
    async delete(messageId: number): Promise<void> {
      texts.delete(messageId);
    },
    async typing(): Promise<void> {},
    async draft(): Promise<void> {},
    async sleep(): Promise<void> {},
    last: (): string => texts.get(lastId) ?? '',
  };
}

/** mulberry32, so the run is the same every time */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('demo jokes and the novel scorer', () => {
  it('keeps 20 consecutive jokes clearly different from each other', async () => {
    const bot = createDemoBot('stable_bot', { random: seeded(11) });
    if (!bot) throw new Error('no demo bot stable_bot');
    const chat = memoryChat();
    const jokes: string[] = [];
    for (let i = 0; i < 21; i++) {
      await bot.onMessage({ id: i + 1, text: 'Another joke!', date: Math.floor(Date.now() / 1000) }, chat);
      jokes.push(chat.last());
    }
    expect(jokes.every((j) => j.length > 20)).toBe(true);
    for (let i = 0; i < jokes.length; i++) {
      for (let j = i + 1; j < jokes.length; j++) expect(similarity(jokes[i], jokes[j])).toBeLessThan(0.8);
    }
  });
});
