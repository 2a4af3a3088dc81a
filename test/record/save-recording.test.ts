/** Writing a recording: the file validates with the real loader before it is kept; a clash or a bad name is told. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutFree, saveRecording, scenarioNameFor } from '../../src/app/record-scenario.js';
import { loadScenarios } from '../../src/scenarios/index.js';
import type { Transcript } from '../../src/record/transcript.js';

const dir = mkdtempSync(join(tmpdir(), 'tg-canary-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const transcript = (text = 'Convert 10 km to miles'): Transcript => ({
  bot: 'canary_bot', source: 'chat',
  turns: [{ action: { kind: 'send', text }, reply: { messages: [{ text: '10 km = 6.21 miles' }], text: '10 km = 6.21 miles', latencyFirstMs: 400, latencyFinalMs: 400, settled: true } }],
});
const now = new Date('2026-12-01T12:00:00Z');

describe('saving a recording', () => {
  it('writes a scenario the loader reads, named after the file, creating its folder', async () => {
    const out = join(dir, 'scenarios', 'convert.yml');
    const saved = await saveRecording(transcript(), { out, suite: 'favor', stable: true, now });
    expect(saved).toEqual({ file: out, name: 'convert', steps: 2 });
    const [s] = await loadScenarios(join(dir, 'scenarios'));
    expect(s).toMatchObject({ name: 'convert', suite: 'favor', steps: [{ kind: 'send', text: 'Convert 10 km to miles' }, { kind: 'expect' }] });
  });

  it('refuses to replace a file unless forced', async () => {
    const out = join(dir, 'taken.yaml');
    writeFileSync(out, 'mine');
    expect(() => checkOutFree(out)).toThrow(expect.objectContaining({ code: 'RECORD_OUT_EXISTS' }));
    await expect(saveRecording(transcript(), { out, suite: 'favor', stable: false, now })).rejects.toMatchObject({ code: 'RECORD_OUT_EXISTS' });
    expect(readFileSync(out, 'utf8')).toBe('mine');
    await saveRecording(transcript(), { out, suite: 'favor', stable: false, now, force: true });
    expect(readFileSync(out, 'utf8')).toMatch(/^name: "taken"$/mu);
  });

  it('keeps a recording that does not validate beside the file, never as the scenario', async () => {
    const out = join(dir, 'braces.yaml');
    // {{name}} in a typed message reads as a variable no step defines
    await expect(saveRecording(transcript('hi {{who}}'), { out, suite: 'favor', stable: false, now })).rejects.toMatchObject({ code: 'RECORD_INVALID' });
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(`${out}.rejected`, 'utf8')).toContain('hi {{who}}');
  });

  it('refuses an empty recording and names that are no scenario names', async () => {
    await expect(saveRecording({ bot: 'b', source: 'chat', turns: [] }, { out: join(dir, 'e.yaml'), suite: 's', stable: false, now })).rejects.toMatchObject({ code: 'RECORD_EMPTY' });
    expect(() => scenarioNameFor('a/bad name.yaml')).toThrow(expect.objectContaining({ code: 'RECORD_BAD_OUT' }));
    expect(() => scenarioNameFor('a/x.json')).toThrow(/must end in \.yaml or \.yml/u);
    expect(scenarioNameFor('scenarios/favor/booking-2.yaml')).toBe('booking-2');
  });
});
