/**
 * Runs the bot-surface steps through the BotDriver: a deep link (`start`), the bot's profile (`bot-info`), an
 * inline query (`inline`) and sending one of its results (`send: { result }`). Each grades what it read like an
 * `expect` grades a reply: built-in checks (a menu-less profile is fine, an empty description is not; an inline
 * answer has results; a sent result is a message "via @bot") plus the step's assertions. Bot faults reach the
 * runner as TgCanaryErrors of kind `bot` (fail), Telegram's as `infra` (error → inconclusive).
 */
import type { BotDriver, BotPeer, SentMessage } from '../core/ports.js';
import type { AssertionResult, AssertionSpec, Reply, Scenario, Step, StepTranscript, TargetName } from '../core/types.js';
import type { BotProfileInfo, InlineResultInfo, InlineResultsInfo } from '../core/bot-surface.js';
import { TgCanaryError, isTgCanaryError } from '../core/errors.js';
import { cachedSafeRegex } from '../util/safe-regex.js';
import { mapStrings } from './template-vars.js';

/** The runner's scorer, as these steps call it (scenario-runner.ts' ScoreFn accepts this). */
type ScoreFn = (
  spec: AssertionSpec,
  ctx: { reply: Reply; vars: Readonly<Record<string, string>>; scenario: Scenario; target: TargetName; signal: AbortSignal },
) => Promise<Omit<AssertionResult, 'step'>>;

export type BotSurfaceStep = Extract<Step, { kind: 'start' | 'bot-info' | 'inline' | 'send-inline' }>;

/** What the last inline step answered (for a later `send: { result }`). */
export interface InlineMemo {
  bot: BotPeer;
  answer: InlineResultsInfo;
}

export interface BotSurfaceEnv {
  driver: BotDriver;
  score: ScoreFn;
  template(text: string, vars: Record<string, string>): string;
  now(): number;
  scenario: Scenario;
  target: TargetName;
  bot: BotPeer;
  vars: Record<string, string>;
  signal: AbortSignal;
  index: number;
  tr: StepTranscript;
  /** Where the step's graded results go. */
  assertions: AssertionResult[];
  /** The last inline answer of this scenario run; set by inline steps. */
  memo: { inline?: InlineMemo };
}

/** What the runner takes over: the prompt later expects answer (start, a sent result) and the reply `save` reads. */
export interface BotSurfaceOutcome {
  prompt?: SentMessage;
  reply?: Reply;
}

/** A Reply made of one text (a description, the inline results' lines, a sent message), for the scorers. */
function textReply(text: string, at: number, extra: Partial<Reply> = {}, id = 0): Reply {
  const messages = text === '' ? [] : [{ id, text, firstSeenAt: at, lastChangeAt: at, edits: 0 }];
  return { messages, text, sentAt: at, firstAt: at, finalAt: at, editCount: 0, messageCount: messages.length, settled: true, finality: 'read at once', ...extra };
}

/** A read that always answers (a profile, an inline answer): one message, even when its text is empty. */
function oneAnswer(text: string, at: number, extra: Partial<Reply>): Reply {
  const messages = [{ id: 0, text, firstSeenAt: at, lastChangeAt: at, edits: 0 }];
  return { ...textReply(text, at, extra), messages, messageCount: 1 };
}

/** What the bot "said" when an inline query failed through its own fault; undefined for anyone else's fault. */
function botFault(e: unknown, query: string): string | undefined {
  if (!isTgCanaryError(e) || e.kind !== 'bot') return undefined;
  if (e.code === 'BOT_INLINE_DISABLED') return 'inline mode is off (BOT_INLINE_DISABLED)';
  if (e.code === 'BOT_INLINE_TIMEOUT') return `no answer to the inline query "${query.slice(0, 60)}" in time (BOT_RESPONSE_TIMEOUT)`;
  return undefined;
}

function need<K extends keyof BotDriver>(driver: BotDriver, name: K, step: string): NonNullable<BotDriver[K]> {
  const fn = driver[name];
  if (typeof fn !== 'function') throw new TgCanaryError('DRIVER_UNSUPPORTED', `the driver cannot run ${step} steps (no ${String(name)})`);
  return (fn as (...a: unknown[]) => unknown).bind(driver) as NonNullable<BotDriver[K]>;
}

async function grade(env: BotSurfaceEnv, specs: AssertionSpec[], reply: Reply): Promise<void> {
  for (const spec of specs) {
    const a = { ...spec, value: mapStrings(spec.value, (s) => env.template(s, env.vars)) };
    const res = await env.score(a, { reply, vars: env.vars, scenario: env.scenario, target: env.target, signal: env.signal });
    env.assertions.push({ ...res, step: env.index });
  }
}

function builtIn(env: BotSurfaceEnv, type: string, pass: boolean, reason: string): void {
  env.assertions.push({ type, pass, score: pass ? 1 : 0, weight: 1, critical: true, step: env.index, reason });
}

/** One line per result, as a user reads the list: "title — description" (or the kind and message for media). */
export function inlineText(results: InlineResultInfo[]): string {
  return results.map((r) => [r.title ?? `[${r.kind}]`, r.description].filter((x) => x !== undefined && x !== '').join(' — ')).join('\n');
}

function pickResult(answer: InlineResultsInfo, pick: Extract<BotSurfaceStep, { kind: 'send-inline' }>['pick']): InlineResultInfo | undefined {
  if ('index' in pick) return answer.results[pick.index - 1];
  if ('title' in pick) return answer.results.find((r) => (r.title ?? '').toLowerCase().includes(pick.title.toLowerCase()));
  const re = cachedSafeRegex(pick.regex);
  return answer.results.find((r) => re.test(r.title ?? ''));
}

function describePick(pick: Extract<BotSurfaceStep, { kind: 'send-inline' }>['pick']): string {
  return 'index' in pick ? `result ${pick.index}` : 'title' in pick ? `a result titled like "${pick.title}"` : `a result matching /${pick.regex}/`;
}

export async function runBotSurfaceStep(step: BotSurfaceStep, env: BotSurfaceEnv): Promise<BotSurfaceOutcome> {
  const { driver, bot, tr } = env;
  switch (step.kind) {
    case 'start': {
      const payload = env.template(step.payload, env.vars);
      const prompt = await need(driver, 'startBot', 'start')(bot, payload);
      tr.sent = { id: prompt.id, text: `[deep link] t.me/${bot.username}?start=${payload}`, at: prompt.at };
      return { prompt };
    }
    case 'bot-info': {
      const at = env.now();
      const profile: BotProfileInfo = await need(driver, 'botProfile', 'bot-info')(bot);
      tr.sent = { text: '[bot info] users.getFullUser', at };
      tr.detail = `menu: ${profile.commands.map((c) => `/${c.command}`).join(' ') || '(empty)'}; about: ${profile.about.slice(0, 80) || '(empty)'}`;
      const reply = oneAnswer(profile.description, at, { botProfile: profile });
      tr.reply = reply;
      if (step.info.emptyDescription === 'fail') {
        builtIn(env, 'bot-description', profile.description.trim() !== '', profile.description.trim() !== '' ? 'the bot has a description' : 'the bot\'s description is empty (users see a blank chat before /start); `empty-description: allow` accepts it');
      }
      await grade(env, step.info.assert, reply);
      if (step.info.about.length > 0) await grade(env, step.info.about, oneAnswer(profile.about, at, { botProfile: profile }));
      return { reply };
    }
    case 'inline': {
      const target = step.inline.bot ? await driver.resolveBot(step.inline.bot) : bot;
      const query = env.template(step.inline.query, env.vars);
      const at = env.now();
      tr.sent = { text: `@${target.username} ${query}`, at };
      let answer: InlineResultsInfo;
      try {
        answer = await need(driver, 'inlineQuery', 'inline')(target, query, step.inline.offset);
      } catch (e) {
        const said = botFault(e, query);
        if (said === undefined) throw e;
        // the bot's own fault, recorded as its answer: the same words for canary and stable, so both timing out
        // reads as a shared cause (an outage) and canary alone as its regression
        tr.reply = textReply(said, at);
        builtIn(env, 'inline-answer', false, (e as Error).message);
        throw new SkipStep();
      }
      env.memo.inline = { bot: target, answer };
      const done = env.now();
      // one answer (possibly empty): the results are its lines
      const reply = oneAnswer(inlineText(answer.results), at, { inline: answer, latencyFirstMs: done - at, latencyFinalMs: done - at, finalAt: done, firstAt: done });
      tr.reply = reply;
      tr.detail = `${answer.results.length} result(s)${answer.nextOffset ? `, next offset ${answer.nextOffset}` : ''}, cache ${answer.cacheTime} s${answer.gallery ? ', gallery' : ''}`;
      const n = answer.results.length;
      const { minResults: min, maxResults: max } = step.inline;
      if (n < min) builtIn(env, 'inline-results', false, n === 0 ? `@${target.username} answered the inline query "${query}" with no results` : `${n} results, at least ${min} expected`);
      if (max !== undefined && n > max) builtIn(env, 'inline-results', false, `${n} results, at most ${max} expected`);
      await grade(env, step.inline.assert, reply);
      return { reply };
    }
    case 'send-inline': {
      const memo = env.memo.inline;
      const chosen = memo ? pickResult(memo.answer, step.pick) : undefined;
      if (!memo || !chosen) {
        builtIn(env, 'inline-result', false, `no ${describePick(step.pick)} among the ${memo?.answer.results.length ?? 0} inline results`);
        throw new SkipStep();
      }
      const sent = await need(driver, 'sendInlineResult', 'send-inline')(bot, memo.answer.queryId, chosen.id);
      tr.sent = { id: sent.id, text: `[inline result] ${chosen.title ?? chosen.id} via @${memo.bot.username}`, at: sent.at };
      const reply = textReply(sent.text, sent.at, sent.viaBotId !== undefined ? { viaBotId: sent.viaBotId } : {}, sent.id);
      tr.reply = reply;
      builtIn(env, 'via-bot', sent.viaBotId === memo.bot.id, sent.viaBotId === memo.bot.id
        ? `sent via @${memo.bot.username}`
        : `the message is not marked "via @${memo.bot.username}" (via_bot_id ${sent.viaBotId ?? 'missing'})`);
      builtIn(env, 'inline-message', sent.text.trim() !== '', sent.text.trim() !== '' ? 'the result produced a message with text' : 'the result produced an empty message');
      await grade(env, step.assert, reply);
      return { prompt: { id: sent.id, at: sent.at }, reply };
    }
  }
}

/** Thrown when a step recorded its own failed assertion and the scenario cannot go on. */
export class SkipStep extends Error {}
