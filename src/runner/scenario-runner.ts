/**
 * Runs one scenario against one bot through a BotDriver: sends prompts, waits for settled replies, presses
 * buttons, captures values, scores. Bot-side problems make the scenario `fail`; infrastructure problems
 * (TgCanaryError of kind infra/internal, anything unexpected) make it `error`, never `fail`.
 */
import type { BotDriver, BotPeer, Clock, SentMessage } from '../core/ports.js';
import type {
  AssertionResult,
  AssertionSpec,
  ExpectSpec,
  InlineButton,
  Reply,
  ReplyKeyboard,
  Scenario,
  ScenarioResult,
  StepTranscript,
  TargetName,
} from '../core/types.js';
import { TgCanaryError, isTgCanaryError } from '../core/errors.js';
import type { Logger } from '../util/logger.js';
import { mapStrings } from './template-vars.js';
import { cachedSafeRegex } from '../util/safe-regex.js';
import type { BaselineBoard } from './baseline-board.js';
import { SkipStep, runBotSurfaceStep, type InlineMemo } from './bot-surface-steps.js';
import { answerAssertions, findKeyboardButton, nextKeyboard, pressLinkButton, type WebFn } from './click-step.js';
import { openScenarioChat, sendOptionsOf, textToSend } from './group-steps.js';
import { BYTES_SCORERS, mediaDownloader, mediaLabel, sendMedia } from './media-steps.js';

export interface ScoreFn {
  (
    spec: AssertionSpec,
    ctx: { reply: Reply; vars: Readonly<Record<string, string>>; scenario: Scenario; target: TargetName; signal: AbortSignal; baseline?: Reply; prompt?: string; download?: (messageId: number) => Promise<Buffer> },
  ): Promise<Omit<AssertionResult, 'step'>>;
}

export interface ScenarioDeps {
  driver: BotDriver;
  clock: Clock;
  logger: Logger;
  score: ScoreFn;
  scoreScenario(results: AssertionResult[], threshold: number): { score: number; pass: boolean; reasons: string[] };
  template(text: string, vars: Record<string, string>): string;
  facts: {
    get(key: string, target: TargetName): { value: string } | undefined;
    plant(key: string, target: TargetName, value: string): void;
  };
  /** Runs a `web:` step; returns detail (e.g. screenshot path) or throws. */
  web?: WebFn;
  /**
   * Default checks (assertion types) this expect runs besides its assertions (src/scorers resolveChecks);
   * absent = none. Each is graded as a critical assertion of weight 0.
   */
  defaultChecks?(scenario: Scenario, expect: ExpectSpec): string[];
  /** How long canary's like-stable grading waits for stable's reply to the same step (default: the scenario timeout). */
  baselineWaitMs?: number;
  /** Download cap for media assertions that need a file's bytes (default DEFAULT_MEDIA_MAX_BYTES). */
  mediaMaxBytes?: number;
  /** Progress events for the terminal. */
  onStep?(ev: { scenario: string; target: TargetName; step: number; kind: string; state: 'start' | 'end' }): void;
}

export interface ScenarioInput {
  scenario: Scenario;
  target: TargetName;
  bot: BotPeer;
  vars: Record<string, string>;
  signal: AbortSignal;
  /** Stable's replies for like-stable (shared by the two targets of one run). */
  baseline?: BaselineBoard;
  /** Key of this scenario run on the board (default: the scenario name). */
  baselineKey?: string;
}

const LIKE_STABLE = 'like-stable';

class Skip extends Error {}

export async function runScenario(deps: ScenarioDeps, input: ScenarioInput): Promise<ScenarioResult> {
  const { scenario, target } = input;
  let bot = input.bot; // the bot in its private chat, or inside the scenario's group (`chat:`)
  const { clock } = deps;
  const startedAt = clock.now();
  const steps: StepTranscript[] = [];
  const assertions: AssertionResult[] = [];
  const reasons: string[] = [];
  const vars: Record<string, string> = { bot: input.bot.username, ...input.vars };
  const local = new AbortController();
  const timer = setTimeout(
    () => local.abort(new TgCanaryError('SCENARIO_TIMEOUT', `scenario exceeded its timeout of ${scenario.timeoutMs} ms`, { kind: 'bot' })),
    scenario.timeoutMs,
  );
  const signal = AbortSignal.any([input.signal, local.signal]);
  let lastPrompt: SentMessage | undefined;
  let lastReply: Reply | undefined;
  let cursor = 0; // highest message id consumed in this chat
  let keyboard: ReplyKeyboard | undefined; // the reply keyboard the bot shows now
  let errorCode: string | undefined;
  let status: ScenarioResult['status'] = 'pass';
  const baselineKey = input.baselineKey ?? scenario.name;
  /** Canary's like-stable assertions, graded after the steps once stable's reply is in. */
  let lastPromptText: string | undefined; // the text the current expect answers (like-stable ignores what it echoes)
  const pending: Array<{ index: number; spec: AssertionSpec; reply: Reply; prompt?: string }> = [];
  const memo: { inline?: InlineMemo } = {};
  const download = mediaDownloader(deps, bot, signal);

  /** Prompt ids and the step that sent each, so a late answer can be named ("late answer to step 2"). */
  const promptStep = new Map<number, number>();
  let approx = false;
  const slowest = { first: null as number | null, final: null as number | null, firstToken: null as number | null };
  const note = (k: keyof typeof slowest, v: number | undefined): void => {
    if (v !== undefined) slowest[k] = Math.max(slowest[k] ?? 0, Math.round(v));
  };

  const expectReply = async (index: number, spec: ExpectSpec, tr: StepTranscript, watchIds?: number[]): Promise<void> => {
    const promptId = lastPrompt?.id ?? 0;
    const after: SentMessage = { id: Math.max(cursor, promptId), at: lastPrompt?.at ?? clock.now() };
    // Telegram replies to this step's prompt (or to the message whose button was pressed) count; replies to an
    // earlier prompt are late answers.
    const floorId = Math.min(promptId || Infinity, ...(watchIds ?? []));
    const expanded = spec.assert.map((a) => ({ ...a, value: mapStrings(a.value, (s) => deps.template(s, vars)) }));
    const grade = async (reply: Reply, which: 'cheap' | 'all'): Promise<Omit<AssertionResult, 'step'>[]> => {
      const out = builtInChecks(reply, spec);
      const defaults = reply.messageCount > 0 ? (deps.defaultChecks?.(scenario, spec) ?? []) : [];
      for (const type of defaults) {
        if (type === LIKE_STABLE || spec.assert.some((a) => a.type === type && a.critical)) continue;
        const res = await deps.score({ type, weight: 0, critical: true }, { reply, vars, scenario, target, signal });
        const reason = res.pass ? res.reason : `${res.reason} (a default check; off with \`checks: { ${type}: false }\`)`;
        out.push({ ...res, reason });
      }
      for (const a of expanded) {
        if (a.type === LIKE_STABLE) continue; // graded after the steps, against stable's reply
        if (which === 'cheap' && (!a.critical || COSTLY.has(a.type))) continue;
        out.push(await deps.score(a, { reply, vars, scenario, target, signal, download }));
      }
      return out;
    };
    const reply = await deps.driver.waitForReply(bot, after, {
      timeoutMs: spec.timeoutMs,
      settleMs: spec.settleMs,
      settleMaxMs: spec.settleMaxMs,
      minMessages: spec.minMessages,
      maxMessages: spec.maxMessages,
      signal,
      watchIds,
      floorId: Number.isFinite(floorId) ? floorId : undefined,
      // Web-first: stop as soon as the reply looks complete and every cheap critical check passes.
      accept: async (r) => (await grade(r, 'cheap')).every((x) => x.pass),
    });
    if (lastPrompt?.floodWaitMs) reply.floodWaitMs = lastPrompt.floodWaitMs;
    tr.reply = reply;
    lastReply = reply;
    keyboard = nextKeyboard(keyboard, reply);
    for (const m of reply.messages) cursor = Math.max(cursor, m.id);
    for (const m of reply.late ?? []) {
      cursor = Math.max(cursor, m.id);
      const step = promptStep.get(m.replyToId);
      assertions.push({
        type: 'late-answer', pass: true, score: 1, weight: 0, critical: false, step: index,
        reason: `late answer to ${step === undefined ? 'an earlier message' : `step ${step + 1}`} (not graded here): "${m.text.slice(0, 80)}"`,
      });
    }
    if (reply.latencyApprox) approx = true;
    note('first', reply.latencyFirstMs);
    note('final', reply.latencyFinalMs);
    note('firstToken', reply.latencyFirstTokenMs);
    const first = assertions.length;
    for (const r of await grade(reply, 'all')) assertions.push({ ...r, step: index });
    const likeStable: AssertionSpec[] = spec.assert.filter((a) => a.type === LIKE_STABLE);
    const defaults = reply.messageCount > 0 ? (deps.defaultChecks?.(scenario, spec) ?? []) : [];
    if (likeStable.length === 0 && defaults.includes(LIKE_STABLE)) likeStable.push({ type: LIKE_STABLE, weight: 0, critical: true });
    if (target === 'stable') {
      const own = assertions.slice(first);
      const unusable = reply.messageCount === 0
        ? 'stable did not reply to this step'
        : !reply.settled
          ? 'stable\'s reply to this step never settled'
          : own.some((r) => r.type === 'not-error' && !r.pass) ? 'stable\'s reply to this step is itself an error' : undefined;
      input.baseline?.post(baselineKey, index, unusable === undefined ? { reply } : { none: unusable });
    } else {
      for (const a of likeStable) pending.push({ index, spec: a, reply, prompt: lastPromptText });
    }
  };

  /** After the last step: anything more the bot says unasked is a finding (a second answer, a stray message). */
  const watchTrailing = async (): Promise<void> => {
    const quiet = Math.min(scenario.quietMs ?? 0, Math.max(0, startedAt + scenario.timeoutMs - clock.now() - 50));
    if (quiet <= 0 || !deps.driver.collectTrailing || !steps.some((t) => t.kind === 'send' || t.kind === 'start' || t.kind === 'send-inline')) return;
    // A scenario that already failed a critical check fails whatever comes next: no need to watch.
    if (assertions.some((a) => a.critical && !a.pass)) return;
    // a Telegram reply to a prompt from before this scenario (another run's, a killed process's) is a late answer
    // to that prompt, not something this scenario's bot said unasked
    const firstPrompt = Math.min(...promptStep.keys());
    const extra = await deps.driver.collectTrailing(bot, cursor, quiet, signal, Number.isFinite(firstPrompt) ? firstPrompt : 0);
    if (!extra.length) return;
    const shown = extra.slice(0, 3).map((m) => `"${m.text.slice(0, 80)}"`).join(', ');
    assertions.push({
      type: 'unexpected-message', pass: false, score: 0, weight: 1, critical: true, step: scenario.steps.length - 1,
      reason: `${extra.length} message${extra.length === 1 ? '' : 's'} after the last step, unasked: ${shown}`,
    });
  };

  /** Grades canary's like-stable assertions against stable's replies (waiting for them, with a bound). */
  const gradeAgainstStable = async (): Promise<void> => {
    for (const p of pending) {
      const base = { type: LIKE_STABLE, weight: p.spec.weight, critical: p.spec.critical, step: p.index };
      const found = input.baseline
        ? await input.baseline.wait(baselineKey, p.index, deps.baselineWaitMs ?? scenario.timeoutMs, input.signal)
        : { none: 'stable is not part of this run' };
      if ('none' in found) {
        assertions.push({ ...base, weight: 0, pass: true, score: 1, reason: `no baseline: ${found.none}` });
        continue;
      }
      const res = await deps.score(p.spec, { reply: p.reply, vars, scenario, target, signal: input.signal, baseline: found.reply, prompt: p.prompt });
      assertions.push({ ...res, step: p.index });
    }
  };

  try {
    bot = await openScenarioChat(deps.driver, bot, scenario);
    for (const [index, step] of scenario.steps.entries()) {
      if (signal.aborted) throw signal.reason;
      const tr: StepTranscript = { index, kind: step.kind, startedAt: clock.now(), finishedAt: 0 };
      steps.push(tr);
      deps.onStep?.({ scenario: scenario.name, target, step: index, kind: step.kind, state: 'start' });
      try {
        switch (step.kind) {
          case 'send': {
            const text = textToSend(step, bot, deps.template(step.text, vars));
            if (step.media) {
              lastPrompt = await sendMedia(deps.driver, bot, step.media, deps.template(step.text, vars));
            } else {
              const { opts, missing } = sendOptionsOf(step, lastReply);
              if (missing) {
                assertions.push({ type: 'reply-to', pass: false, score: 0, weight: 1, critical: true, step: index, reason: missing });
                throw new Skip('nothing to reply to');
              }
              lastPrompt = await deps.driver.send(bot, text, opts);
            }
            lastPromptText = text;
            cursor = Math.max(cursor, lastPrompt.id);
            promptStep.set(lastPrompt.id, index);
            tr.sent = { id: lastPrompt.id, text: step.media ? mediaLabel(step.media, text) : text, at: lastPrompt.at };
            break;
          }
          case 'expect':
            await expectReply(index, step.expect, tr);
            break;
          case 'click': {
            const found = findButton(lastReply, step.button);
            const key = found ? undefined : findKeyboardButton(keyboard, step.button);
            const keyApp = key !== undefined ? keyboard?.webApps?.[key] : undefined;
            if (key !== undefined && keyApp !== undefined) {
              // a reply keyboard's Mini App button: opened, nothing is sent
              tr.sent = { text: `[webapp] ${key}`, at: clock.now() };
              const pressed = await pressLinkButton({ driver: deps.driver, web: deps.web, bot, step, button: { text: key, data: '', kind: 'webapp', url: keyApp }, scenario, target, signal, index, simple: true });
              tr.detail = pressed.detail;
              assertions.push(...pressed.assertions);
              if (step.expect) await expectReply(index, step.expect, tr);
              break;
            }
            if (key !== undefined) {
              // a reply-keyboard button: the user's client sends its text as a message
              lastPrompt = await deps.driver.send(bot, key);
              lastPromptText = key;
              cursor = Math.max(cursor, lastPrompt.id);
              promptStep.set(lastPrompt.id, index);
              tr.sent = { id: lastPrompt.id, text: key, at: lastPrompt.at };
              tr.detail = 'reply-keyboard button';
              if (step.expect) await expectReply(index, step.expect, tr);
              break;
            }
            if (!found) {
              assertions.push({
                type: 'click', pass: false, score: 0, weight: 1, critical: true, step: index,
                reason: `no inline button${keyboard ? ' or reply-keyboard button' : ''} matching ${JSON.stringify(step.button)} in the last reply`,
              });
              throw new Skip('button missing');
            }
            if ((found.button.kind ?? 'callback') !== 'callback') {
              tr.sent = { text: `[${found.button.kind ?? 'button'}] ${found.button.text}`, at: clock.now() };
              const pressed = await pressLinkButton({ driver: deps.driver, web: deps.web, bot, step, button: found.button, scenario, target, signal, index });
              tr.detail = pressed.detail;
              assertions.push(...pressed.assertions);
              if (step.expect) await expectReply(index, step.expect, tr);
              break;
            }
            const res = await deps.driver.click(bot, found.messageId, found.button);
            lastPrompt = { id: lastPrompt?.id ?? 0, at: res.at };
            tr.sent = { text: `[button] ${found.button.text}`, at: res.at };
            if (res.answer !== undefined) tr.detail = `callback answer${res.alert ? ' (alert)' : ''}: ${res.answer}`;
            assertions.push(...answerAssertions(step.answer, res, index, (t) => deps.template(t, vars)));
            if (step.expect) {
              await expectReply(index, step.expect, tr, [found.messageId]);
              if (tr.reply && res.answer !== undefined) tr.reply.callbackAnswer = res.answer;
              if (tr.reply && res.alert) tr.reply.callbackAlert = true;
              if (tr.reply && res.url !== undefined) tr.reply.callbackUrl = res.url;
            }
            break;
          }
          case 'wait':
            await clock.sleep(step.ms, signal);
            tr.detail = `waited ${step.ms} ms`;
            break;
          case 'save': {
            const m = lastReply ? cachedSafeRegex(step.regex).exec(lastReply.text) : null;
            const v = m?.groups[step.group];
            if (v === undefined) {
              assertions.push({
                type: 'save', pass: false, score: 0, weight: 1, critical: true, step: index,
                reason: `could not capture "${step.name}": /${step.regex}/ did not match the last reply`,
              });
              throw new Skip('capture failed');
            }
            vars[step.name] = v;
            tr.detail = `${step.name} = ${v}`;
            break;
          }
          case 'remember': {
            const value = deps.template(step.value, vars);
            deps.facts.plant(step.key, target, value);
            tr.detail = `planted ${step.key}`;
            break;
          }
          case 'recall': {
            const fact = deps.facts.get(step.key, target);
            if (fact) {
              vars[step.as] = fact.value;
              tr.detail = `recalled ${step.key} from an earlier run`;
            } else {
              const planter = scenario.steps.find((s) => s.kind === 'remember' && s.key === step.key);
              if (!planter || planter.kind !== 'remember') throw new SkipScenario(`no fact "${step.key}" planted by an earlier run yet`);
              vars[step.as] = deps.template(planter.value, vars);
              tr.detail = `no earlier fact "${step.key}": using the value this run plants`;
            }
            break;
          }
          case 'web': {
            if (!deps.web) throw new TgCanaryError('WEB_UNAVAILABLE', 'web steps need Chromium', { kind: 'infra', hint: 'Set CHROMIUM_PATH or install Debian chromium.' });
            const res = await deps.web(step, { scenario, target, signal });
            tr.detail = res.detail;
            assertions.push({ type: 'web', pass: res.pass, score: res.pass ? 1 : 0, weight: 1, critical: true, step: index, reason: res.reason ?? res.detail });
            break;
          }
          default: {
            const env = { driver: deps.driver, score: deps.score, template: deps.template, now: () => clock.now(), scenario, target, bot, vars, signal, index, tr, assertions, memo };
            const out = await runBotSurfaceStep(step, env);
            if (out.reply) lastReply = out.reply;
            if (out.prompt) {
              lastPrompt = out.prompt;
              lastPromptText = tr.sent?.text;
              cursor = Math.max(cursor, out.prompt.id);
              promptStep.set(out.prompt.id, index);
            }
            break;
          }
        }
      } finally {
        tr.finishedAt = clock.now();
        deps.onStep?.({ scenario: scenario.name, target, step: index, kind: step.kind, state: 'end' });
      }
    }
    await watchTrailing();
  } catch (e) {
    const reason = signal.aborted && input.signal.aborted ? input.signal.reason : e;
    if (e instanceof SkipScenario) {
      status = 'skipped';
      reasons.push(e.message);
    } else if (e instanceof Skip || e instanceof SkipStep) {
      // an assertion already recorded why
    } else if (isTgCanaryError(reason) && reason.kind === 'bot') {
      status = 'fail';
      reasons.push(reason.message);
    } else if (isTgCanaryError(reason)) {
      status = 'error';
      errorCode = reason.code;
      reasons.push(reason.hint ? `${reason.message} — ${reason.hint}` : reason.message);
      const last = steps[steps.length - 1];
      if (last) last.error = { code: reason.code, message: reason.message };
    } else {
      status = 'error';
      errorCode = 'TESTER_ERROR';
      reasons.push(`tester error: ${reason instanceof Error ? reason.message : String(reason)}`);
      deps.logger.error({ err: reason instanceof Error ? reason.stack : String(reason), scenario: scenario.name }, 'tester error');
    }
  } finally {
    clearTimeout(timer);
    if (target === 'stable') input.baseline?.close(baselineKey, "stable's run of this scenario stopped before this step");
  }
  if ((status === 'pass' || status === 'fail') && pending.length > 0 && !input.signal.aborted) {
    try {
      await gradeAgainstStable();
    } catch (e) {
      status = 'error';
      errorCode = isTgCanaryError(e) ? e.code : 'TESTER_ERROR';
      reasons.push(`like-stable could not be graded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  const graded = deps.scoreScenario(assertions, scenario.threshold);
  if (status === 'pass') {
    if (!graded.pass) status = 'fail';
    reasons.push(...graded.reasons);
  } else if (status === 'fail') {
    reasons.push(...graded.reasons);
  }
  return {
    scenario: scenario.name,
    suite: scenario.suite,
    target,
    bot: bot.username,
    status,
    score: status === 'error' || status === 'skipped' ? 0 : graded.score,
    startedAt,
    finishedAt: clock.now(),
    latencyMs: approx ? { first: null, final: null, firstToken: null } : slowest,
    reasons: [...new Set(reasons)],
    errorCode,
    steps,
    assertions,
  };
}

class SkipScenario extends Error {}

/** Assertion types too costly to re-run on every change of a reply (a model call, user code, the baseline). */
const COSTLY = new Set(['llm-rubric', 'javascript', 'like-stable', ...BYTES_SCORERS]);

/** The checks every `expect` makes besides its assertions: a reply came, it is not a placeholder, its size. */
function builtInChecks(reply: Reply, spec: ExpectSpec): Omit<AssertionResult, 'step'>[] {
  const out: Omit<AssertionResult, 'step'>[] = [];
  const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  if (reply.messageCount === 0) {
    if (spec.minMessages === 0) return out; // silence expected
    const why = reply.unsentDraft !== undefined
      ? `the answer was drafted but never sent: "${reply.unsentDraft.slice(0, 60)}"`
      : `no reply within ${secs(spec.timeoutMs)}`;
    out.push({ type: 'reply', pass: false, score: 0, weight: 1, critical: true, reason: why });
    return out;
  }
  if (!reply.settled && reply.unsentDraft !== undefined) {
    out.push({ type: 'reply', pass: false, score: 0, weight: 1, critical: true, reason: `the answer was drafted but never sent: "${reply.unsentDraft.slice(0, 60)}"` });
  } else if (!reply.settled) {
    const live = reply.messages.filter((m) => !m.deleted);
    const why = live.length < spec.minMessages
      ? `only ${live.length} of at least ${spec.minMessages} messages arrived`
      : `the reply never settled (${reply.finality ?? 'still changing'}: "${reply.text.slice(0, 60)}")`;
    out.push({ type: 'reply', pass: false, score: 0, weight: 1, critical: true, reason: why });
  }
  if (spec.duplicates !== 'allow') {
    const dup = findDuplicate(reply);
    if (dup) out.push({ type: 'duplicate-reply', pass: false, score: 0, weight: 1, critical: true, reason: dup });
  }
  if (spec.maxMessages !== undefined && reply.messageCount > spec.maxMessages) {
    out.push({
      type: 'messages', pass: false, score: 0, weight: 1, critical: true,
      reason: `${reply.messageCount} messages, at most ${spec.maxMessages} expected`,
    });
  }
  return out;
}

/**
 * The same answer twice: two messages of one reply with the same text, or nearly the same words (a second complete
 * answer to one prompt). Short messages (acknowledgements, progress) are left alone.
 */
function findDuplicate(reply: Reply): string | undefined {
  const live = reply.messages.filter((m) => !m.deleted);
  const words = live.map((m) => new Set(m.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []));
  for (let i = 0; i < live.length; i++) {
    for (let j = i + 1; j < live.length; j++) {
      const a = words[i] as Set<string>;
      const b = words[j] as Set<string>;
      const same = (live[i] as { text: string }).text.trim() === (live[j] as { text: string }).text.trim() && a.size > 0;
      let shared = 0;
      for (const w of a) if (b.has(w)) shared++;
      const jaccard = shared / Math.max(1, a.size + b.size - shared);
      if (same || (Math.min(a.size, b.size) >= 4 && jaccard >= 0.8)) {
        return `the bot answered twice: "${(live[j] as { text: string }).text.slice(0, 60)}" repeats message ${i + 1} of ${live.length}`;
      }
    }
  }
  return undefined;
}

function findButton(reply: Reply | undefined, matcher: { text: string } | { regex: string }): { messageId: number; button: InlineButton } | undefined {
  if (!reply) return undefined;
  const test = 'text' in matcher ? (t: string): boolean => t === matcher.text : (t: string): boolean => cachedSafeRegex(matcher.regex).test(t);
  for (const m of [...reply.messages].reverse()) {
    for (const row of m.buttons ?? []) for (const b of row) if (test(b.text)) return { messageId: m.id, button: b };
  }
  return undefined;
}
