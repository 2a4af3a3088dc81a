/**
 * `tg-canary chat` and `tg-canary record` in a real pseudo-terminal (tmux) against the sandbox: type, watch the
 * streamed reply, press a button by its number, quit; the recorded file validates with the real loader and
 * `tg-canary run` passes with it right away. `--from-history` turns the chat's last messages into a scenario too.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, createWorld, type World } from '../e2e/harness.js';
import { hasTmux, startTerminal, type Terminal } from './tmux.js';
import type { BotModule } from '@tg-canary/sandbox';
import { loadScenarios } from '../../src/scenarios/index.js';
import { openStore } from '../../src/store/index.js';
import { sessionLeaseName } from '../../src/app/telegram-session.js';
import { processOwner } from '../../src/util/process-owner.js';

let w: World;
const terminals: Terminal[] = [];
const tmux = hasTmux();

beforeAll(async () => {
  w = await createWorld();
});
afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
});
afterAll(async () => {
  for (const t of terminals.splice(0)) t.kill();
  await w?.close();
});

function term(args: string[]): Terminal {
  const t = startTerminal(w.dir, CLI, args, w.env);
  terminals.push(t);
  return t;
}

async function say(t: Terminal, text: string, until: RegExp, timeoutMs?: number): Promise<string> {
  t.type(text);
  t.enter();
  return t.waitFor(until, timeoutMs);
}

describe.skipIf(!tmux && !process.env.CI)('tg-canary chat and record in a terminal', () => {
  it('chat: a streamed answer arrives live, a button is pressed by its number, /quit ends with exit 0', async () => {
    const t = term(['chat', '@canary_bot']);
    await t.waitFor(/chatting with @canary_bot[\s\S]*you> /u);
    // the canary streams knowledge-base answers (drafts or edits): the stream shows before the final text
    const streamed = await say(t, 'What is the warranty of the Orbit X1?', /2-year[^\n]*\n {2}\(first [\d.]+ m?s, final [\d.]+ m?s\)/u, 30_000);
    expect(streamed).toMatch(/@canary_bot is typing…/u);
    expect(streamed).toMatch(/@canary_bot (\(draft\)|\(edited\)|: [^\n]*\n[\s\S]*@canary_bot \(edited\))/u);
    const asked = await say(t, 'Book a table for 4', /\[1\] ✅ Confirm {3}\[2\] ❌ Cancel\n {2}\(first/u);
    expect(asked).toMatch(/@canary_bot: Confirm booking a table for 4\?/u);
    const booked = await say(t, '/1', /@canary_bot \(edited\): ✅ Booked a table for 4\. Reference: [A-Z0-9]{6}[\s\S]*\(first[^\n]*Booked!\)/u);
    expect(booked).toMatch(/button answer: Booked!/u);
    const none = await say(t, '/7', /! there is no button 7 to press/u);
    expect(none).toMatch(/\/buttons/u);
    await say(t, '/quit', /\[exit 0\]/u);
  }, 90_000);

  it('record: the conversation becomes a scenario that validates and passes `tg-canary run` right away', async () => {
    const out = join(w.scenarios, 'booking.yaml');
    rmSync(out, { force: true });
    const t = term(['record', '@canary_bot', '--out', out, '--suite', 'favor']);
    await t.waitFor(/you> /u);
    await say(t, 'Book a table for 2', /\[1\] ✅ Confirm[^\n]*\n {2}\(first/u);
    await say(t, '/1', /Booked a table for 2[\s\S]*\(first[^\n]*Booked!\)/u);
    await say(t, 'Convert 10 km to miles', /6\.21 miles\n {2}\(first/u);
    const done = await say(t, '/quit', /\[exit \d+\]/u);
    expect(done).toMatch(/wrote .*booking\.yaml: scenario booking, 5 steps/u);
    expect(done).toMatch(/\[exit 0\]/u);

    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^ {2}- send: "Book a table for 2"$/mu);
    expect(text).toMatch(/^ {6}text: "✅ Confirm"$/mu);
    expect(text).toMatch(/^ {2}- send: "Convert 10 km to miles"$/mu);
    // deadlines from what was seen (3×, rounded, at least 10 s), suggestions marked for editing
    expect(text).toMatch(/^ {6}timeout: 10s$/mu);
    expect(text).toMatch(/\{ type: regex, value: "\/\\\\b2\\\\b\/", critical: true \} {3}# suggested: the reply repeated 2/u);
    expect(text).toMatch(/\{ type: regex, value: "\/\\\\b6\[\.,\]21\\\\b\/", critical: true \} {3}# suggested/u);
    expect(text).toMatch(/\{ type: language, value: "en", critical: true \} {3}# suggested/u);
    expect(text).toMatch(/\{ type: like-stable \} {3}# suggested: a stable bot is configured/u);

    const [scenario] = await loadScenarios(w.scenarios, { name: 'booking' });
    expect(scenario?.steps.map((s) => s.kind)).toEqual(['send', 'expect', 'click', 'send', 'expect']);
    const run = await w.cli(['run', '--scenario', 'booking', '--json']);
    expect(run.json?.verdict, `${run.stdout}\n${run.stderr}`).toBe('pass');
    expect(run.json?.scenarios.map((s) => `${s.target}:${s.status}`).sort()).toEqual(['canary:pass', 'stable:pass']);
    expect(run.code).toBe(0);
  }, 120_000);

  it('record --from-history N: the last messages of the chat become a scenario that passes', async () => {
    const out = join(w.scenarios, 'from-history.yaml');
    rmSync(out, { force: true });
    // the chat of the test above ends with the conversion: its last 2 messages are that prompt and its answer
    const res = await w.cli(['record', '@canary_bot', '--from-history', '2', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/scenario from-history, 2 steps/u);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/Recorded from the chat history with @canary_bot/u);
    expect(text).toMatch(/- send: "Convert 10 km to miles"/u);
    expect(text).toMatch(/\(from message dates, ±1 s\)/u);
    const run = await w.cli(['run', '--scenario', 'from-history', '--json']);
    expect(run.json?.verdict, `${run.stdout}\n${run.stderr}`).toBe('pass');
  }, 60_000);

  it('chat: a deletion shows as one, and a hostile reply cannot drive the terminal', async () => {
    const hostile: BotModule = {
      async onMessage(msg, chat) {
        const id = await chat.reply('⏳ thinking…');
        await chat.sleep(200);
        await chat.delete(id);
        await chat.reply(`\u001b[2J\u001b]0;owned\u0007Done: ${msg.text ?? ''}`);
      },
    };
    await w.sandbox.setBot('canary_bot', hostile);
    try {
      const t = term(['chat', 'canary_bot']);
      await t.waitFor(/you> /u);
      const shown = await say(t, 'go', /\(first [^\n]*\)/u);
      expect(shown).toMatch(/@canary_bot: ⏳ thinking…\n@canary_bot deleted a message/u);
      // the escape sequences arrive as visible text: the screen was not cleared, the title not set
      expect(shown).toMatch(/@canary_bot: \\x1b\[2J\\x1b\]0;owned\\x07Done: go/u);
      expect(shown).toMatch(/chatting with @canary_bot/u);
      await say(t, '/quit', /\[exit 0\]/u);
    } finally {
      await w.sandbox.setBot('canary_bot', 'builtin');
    }
  });

  it('chat: a silent bot shows as no reply, and the earlier chat history the driver re-reads is not shown as new', async () => {
    // the chat with canary_bot has messages from the tests above; this bot says nothing
    await w.sandbox.setBot('canary_bot', { onMessage: () => undefined });
    try {
      const t = term(['chat', '@canary_bot', '--wait', '1s']);
      await t.waitFor(/you> /u);
      const shown = await say(t, 'anyone there?', /\(no reply\)/u);
      expect(shown).not.toMatch(/^@canary_bot/mu);
      await say(t, '/quit', /\[exit 0\]/u);
    } finally {
      await w.sandbox.setBot('canary_bot', 'builtin');
    }
  });

  it('record: a message the bot sends unasked (a reminder) becomes an expect of its own, and the run passes', async () => {
    const out = join(w.scenarios, 'reminder.yaml');
    rmSync(out, { force: true });
    const t = term(['record', '@canary_bot', '--out', out, '--suite', 'favor']);
    await t.waitFor(/you> /u);
    await say(t, 'Remind me in 2 seconds to water the plants', /remind you in 2 seconds\.\n {2}\(first/u);
    await t.waitFor(/@canary_bot: ⏰ Reminder: water the plants/u);
    const done = await say(t, '/quit', /\[exit \d+\]/u);
    expect(done).toMatch(/scenario reminder, 3 steps/u);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/# the bot spoke unasked here\n {2}- expect:\n {6}# observed: first message after \d+ ms/u);
    expect(text).toMatch(/# bot: ⏰ Reminder: water the plants/u);
    const run = await w.cli(['run', '--scenario', 'reminder', '--json']);
    expect(run.json?.verdict, `${run.stdout}\n${run.stderr}`).toBe('pass');
  }, 90_000);

  it('chat respects the session lease: while a run holds it, chat waits, then tells why and exits 3', async () => {
    const store = openStore(w.env.TG_CANARY_DB as string);
    const lease = sessionLeaseName(w.env.TG_SESSION as string);
    // a live holder (this test process), as a run in progress would be
    const holder = `${processOwner()}:run-1`;
    try {
      expect(store.acquireLease(lease, holder, 60_000)).toBe(true);
      const t = term(['chat', '@canary_bot', '--lease-wait', '1s']);
      const shown = await t.waitFor(/\[exit \d+\]/u);
      expect(shown).toMatch(/another tg-canary process \(a run, or another chat\) is using this Telegram session[\s\S]*\[SESSION_LEASE_HELD\]/u);
      expect(shown).toMatch(/\[exit 3\]/u);
      expect(shown).not.toMatch(/you> /u);
    } finally {
      store.releaseLease(lease, holder);
      store.close();
    }
  });

  it('record refuses an --out that exists before the chat starts, and a bad name', async () => {
    const out = join(w.scenarios, 'booking.yaml');
    expect(existsSync(out)).toBe(true);
    const taken = await w.cli(['record', '@canary_bot', '--out', out]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/exists already[\s\S]*--force to replace it\. \[RECORD_OUT_EXISTS\]/u);
    const bad = await w.cli(['record', '@canary_bot', '--out', join(w.scenarios, 'bad name.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/RECORD_BAD_OUT/u);
  });
});
