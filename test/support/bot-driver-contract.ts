/**
 * One contract for the BotDriver port, run against the real driver (the teleproto client on the sandbox) and the
 * scripted FakeDriver: what the run engine relies on holds for both, so a fast test on the fake means what it says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotDriver } from '../../src/core/ports.js';

export interface DriverHarness {
  driver: BotDriver;
  /** A bot, a prompt it answers, and a piece of the answer. */
  bot: string;
  prompt: string;
  answerContains: string;
  /** The bot says nothing to its next prompt. */
  silenceNext(): void;
  /** The next send meets a flood wait longer than the driver's budget. */
  floodNext(): void;
  close(): Promise<void>;
}

export function botDriverContract(name: string, setup: () => Promise<DriverHarness>): void {
  describe(`BotDriver contract: ${name}`, () => {
    let h: DriverHarness;
    beforeAll(async () => {
      h = await setup();
      await h.driver.connect({ bots: [h.bot] });
    });
    afterAll(async () => {
      await h?.driver.close();
      await h?.close();
    });

    it('resolves a bot by username (with or without @) and refuses one that does not exist', async () => {
      expect((await h.driver.resolveBot(h.bot)).username).toBe(h.bot);
      expect((await h.driver.resolveBot(`@${h.bot}`)).username).toBe(h.bot);
      await expect(h.driver.resolveBot('no_such_bot_here')).rejects.toMatchObject({ code: 'TG_BOT_NOT_FOUND' });
    });

    it('sends a prompt and returns its settled reply, stamped after the prompt', async () => {
      const bot = await h.driver.resolveBot(h.bot);
      const sent = await h.driver.send(bot, h.prompt);
      const reply = await h.driver.waitForReply(bot, sent, { timeoutMs: 4000, settleMs: 200, minMessages: 1 });
      expect(reply.text).toContain(h.answerContains);
      expect(reply.settled).toBe(true);
      expect(reply.messageCount).toBeGreaterThanOrEqual(1);
      expect(reply.sentAt).toBe(sent.at);
      expect(reply.latencyFirstMs).toBeGreaterThanOrEqual(0);
      expect(reply.latencyFinalMs).toBeGreaterThanOrEqual(reply.latencyFirstMs ?? 0);
      expect(reply.messages.every((m) => m.id > sent.id)).toBe(true);
    });

    it('a second prompt gets only its own reply, with a higher message id', async () => {
      const bot = await h.driver.resolveBot(h.bot);
      const a = await h.driver.send(bot, h.prompt);
      const ra = await h.driver.waitForReply(bot, a, { timeoutMs: 4000, settleMs: 200, minMessages: 1 });
      const last = Math.max(...ra.messages.map((m) => m.id));
      const b = await h.driver.send(bot, h.prompt);
      expect(b.id).toBeGreaterThan(last);
      const rb = await h.driver.waitForReply(bot, { id: Math.max(b.id, last), at: b.at }, { timeoutMs: 4000, settleMs: 200, minMessages: 1 });
      expect(rb.messages.map((m) => m.id).some((id) => ra.messages.some((x) => x.id === id))).toBe(false);
      expect(rb.text).toContain(h.answerContains);
    });

    it('silence is an empty, unsettled reply at the deadline, not an error', async () => {
      const bot = await h.driver.resolveBot(h.bot);
      h.silenceNext();
      const sent = await h.driver.send(bot, h.prompt);
      const reply = await h.driver.waitForReply(bot, sent, { timeoutMs: 700, settleMs: 200, minMessages: 1 });
      expect(reply.messageCount).toBe(0);
      expect(reply.text).toBe('');
      expect(reply.settled).toBe(false);
    });

    it('a flood wait over the budget is an infrastructure error (TG_FLOOD_WAIT), never a bot failure', async () => {
      const bot = await h.driver.resolveBot(h.bot);
      h.floodNext();
      await expect(h.driver.send(bot, h.prompt)).rejects.toMatchObject({ code: 'TG_FLOOD_WAIT', kind: 'infra' });
    });
  });
}
