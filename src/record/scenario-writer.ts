/**
 * A recorded transcript → a scenario file. Steps are written as the user took them (`send` as typed, `click` by the
 * button's exact text), each followed by an `expect` whose deadline and quiet window come from what was observed
 * (timing.ts), and the suggested assertions (suggest-assertions.ts), each marked `# suggested` so the user knows
 * which lines are guesses. Written by hand rather than by a YAML library so the comments sit where they help;
 * every string goes out JSON-quoted (a valid YAML double-quoted scalar), so no bot text can break the file.
 */
import { safeText } from '../util/terminal-text.js';
import { formatDuration, roundUpNice, suggestSettle, suggestTimeout } from './timing.js';
import { checkFindings, suggestAssertions, type SuggestedAssertion } from './suggest-assertions.js';
import type { ObservedReply, Transcript, Turn } from './transcript.js';

export interface WriteScenarioOptions {
  name: string;
  suite: string;
  /** A stable bot is configured (suggest like-stable). */
  stable: boolean;
  /** When the recording was made (header comment). */
  recordedAt: Date;
}

/** A YAML double-quoted scalar: JSON's escapes, plus DEL and C1 controls escaped (YAML wants them escaped too). */
export function q(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Comments carry bot text on one line, shortened, control characters shown as escapes. */
function commentText(s: string, max = 70): string {
  const one = safeText(s, { singleLine: true }).replace(/\s+/gu, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function assertionLine(a: SuggestedAssertion): string {
  switch (a.type) {
    case 'language':
    case 'regex':
      return `{ type: ${a.type}, value: ${q(a.value)}, critical: true }`;
    case 'claims':
      return `{ type: claims, value: [${a.value.map((c) => `{ about: ${q(c.about)}, says: yes }`).join(', ')}], critical: true }`;
    case 'like-stable':
      return '{ type: like-stable }';
    case 'not-error':
      return '{ type: not-error, critical: true }';
  }
}

function expectLines(reply: ObservedReply, prompt: string | undefined, o: WriteScenarioOptions, indent: string): string[] {
  const lines: string[] = [];
  const timeoutMs = suggestTimeout(reply.latencyFirstMs ?? reply.latencyFinalMs);
  const settleMs = suggestSettle(reply.maxGapMs);
  const seen = reply.latencyFirstMs === undefined ? 'no reply seen' : `first message after ${Math.round(reply.latencyFirstMs)} ms${reply.latencyFinalMs !== undefined ? `, final after ${Math.round(reply.latencyFinalMs)} ms` : ''}${reply.approximate ? ' (from message dates, ±1 s)' : ''}`;
  lines.push(`${indent}# observed: ${seen}${reply.settled ? '' : '; it had not settled when the wait ended'}`);
  lines.push(`${indent}timeout: ${formatDuration(timeoutMs)}`);
  lines.push(`${indent}settle: ${formatDuration(settleMs)}`);
  const count = reply.messages.length;
  if (count === 0) {
    lines.push(`${indent}messages: { min: 0 }   # the bot said nothing to this`);
    return lines;
  }
  if (count > 1) lines.push(`${indent}messages: { min: 1, max: ${count} }`);
  for (const m of reply.messages) {
    lines.push(`${indent}# bot: ${commentText(m.text)}${m.buttons ? `   [buttons: ${m.buttons.flat().map((b) => commentText(b, 30)).join(' | ')}]` : ''}`);
  }
  const found = checkFindings(reply.text);
  const off = (Object.keys(found) as (keyof typeof found)[]).filter((k) => !found[k]);
  if (off.length > 0) {
    lines.push(`${indent}# the recorded reply already failed ${off.join(', ')}: switched off here; switch back on once the bot is fixed`);
    lines.push(`${indent}checks: { ${off.map((k) => `${k}: false`).join(', ')} }`);
  } else {
    lines.push(`${indent}# default checks run on every reply: not-error, not-leak, complete (switch one off with checks: { complete: false })`);
  }
  const asserts = suggestAssertions(reply.text, { stable: o.stable, prompt }).map(
    (a) => `${indent}  - ${assertionLine(a)}   # suggested: ${commentText(a.why, 60)}; edit or delete`,
  );
  if (found['not-error']) asserts.push(`${indent}  - ${assertionLine({ type: 'not-error', why: '' })}`);
  if (asserts.length > 0) lines.push(`${indent}assert:`, ...asserts);
  return lines;
}

function turnLines(turn: Turn, prompt: string | undefined, o: WriteScenarioOptions): string[] {
  const a = turn.action;
  if (a.kind === 'send') {
    return [`  - send: ${q(a.text)}`, '  - expect:', ...expectLines(turn.reply, a.text, o, '      ')];
  }
  if (a.kind === 'click') {
    const lines = [`  - click:`, `      text: ${q(a.button)}`];
    if (turn.reply.callbackAnswer !== undefined) lines.push(`      # callback answer: ${commentText(turn.reply.callbackAnswer)}`);
    return [...lines, '      expect:', ...expectLines(turn.reply, prompt, o, '        ')];
  }
  return ['  # the bot spoke unasked here', '  - expect:', ...expectLines(turn.reply, prompt, o, '      ')];
}

/** Deadline of the whole scenario: every expect's deadline plus a margin, rounded up, at least a minute. */
export function scenarioTimeoutMs(t: Transcript): number {
  let sum = 0;
  for (const turn of t.turns) sum += suggestTimeout(turn.reply.latencyFirstMs ?? turn.reply.latencyFinalMs) + (turn.reply.latencyFinalMs ?? 0);
  return Math.max(60_000, roundUpNice(sum + 10_000));
}

export function writeScenarioYaml(t: Transcript, o: WriteScenarioOptions): string {
  const how = t.source === 'history' ? `from the chat history with @${t.bot}` : `by talking to @${t.bot}`;
  const lines = [
    `# Recorded ${how} (tg-canary record, ${o.recordedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC).`,
    '# Deadlines are 3× what was observed, rounded up. Lines marked `# suggested` are guesses from one answer:',
    '# keep what must hold on every run, edit or delete the rest. `tg-canary validate` checks the file.',
    `name: ${q(o.name)}`,
    `suite: ${q(o.suite)}`,
    `description: ${q(`Recorded conversation with @${t.bot}`)}`,
    `timeout: ${formatDuration(scenarioTimeoutMs(t))}`,
    'steps:',
  ];
  let prompt: string | undefined;
  for (const turn of t.turns) {
    if (turn.action.kind === 'send') prompt = turn.action.text;
    lines.push(...turnLines(turn, prompt, o));
  }
  return `${lines.join('\n')}\n`;
}
