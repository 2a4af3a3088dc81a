/**
 * Domain types of tg-canary. Pure data: no I/O, no imports outside core.
 * Times are epoch milliseconds unless a name says otherwise.
 */
import type { OutgoingMedia, ReplyMedia } from './media-types.js';

import type { BotInfoStepSpec, BotProfileInfo, InlineResultPick, InlineResultsInfo, InlineStepSpec } from './bot-surface.js';

export type TargetName = 'canary' | 'stable';
export const TARGET_NAMES: readonly TargetName[] = ['canary', 'stable'];

/** Outcome of one scenario on one target. `error` = infrastructure (us, Telegram, network), never the bot. */
export type ScenarioStatus = 'pass' | 'fail' | 'error' | 'skipped';
export type Verdict = 'pass' | 'fail' | 'inconclusive';
export type Decision = 'promote' | 'hold' | 'rollback';

// ---------------------------------------------------------------- scenarios

export interface AssertionSpec {
  /** promptfoo-style type, e.g. `icontains`, `not-regex`, `latency`, `novel`. */
  type: string;
  /** Type-specific argument (string, list, number, object). */
  value?: unknown;
  weight: number;
  /** Pass mark for graded types (0..1), e.g. `similar`, `levenshtein`. */
  threshold?: number;
  critical: boolean;
}

export interface ExpectSpec {
  /** Deadline for the first message of the reply, from the moment the prompt was sent. */
  timeoutMs: number;
  /** Floor of the adaptive quiet window before the reply counts as final. */
  settleMs: number;
  /** Ceiling of the adaptive quiet window. */
  settleMaxMs?: number;
  /** `allow` turns off the duplicate-reply check. */
  duplicates?: 'fail' | 'allow';
  minMessages: number;
  maxMessages?: number;
  assert: AssertionSpec[];
  /** Default checks switched on or off for this expect (`checks: { not-leak: false }`). */
  checks?: Partial<Record<string, boolean>>;
}

export type ButtonMatcher = { text: string } | { regex: string };

export type Step =
  | { kind: 'send'; text: string; mention?: boolean; replyTo?: 'last-bot-message'; media?: OutgoingMedia }
  | { kind: 'expect'; expect: ExpectSpec }
  | { kind: 'click'; button: ButtonMatcher; expect?: ExpectSpec; answer?: CallbackAnswerSpec; open?: WebPageCheck }
  | { kind: 'wait'; ms: number }
  | { kind: 'save'; name: string; regex: string; group: number }
  | { kind: 'remember'; key: string; value: string }
  | { kind: 'recall'; key: string; as: string; maxAgeMs?: number }
  | { kind: 'web'; url: string; text?: string; selector?: string; screenshot: boolean; timeoutMs: number }
  | { kind: 'start'; payload: string }
  | { kind: 'bot-info'; info: BotInfoStepSpec<AssertionSpec> }
  | { kind: 'inline'; inline: InlineStepSpec<AssertionSpec> }
  | { kind: 'send-inline'; pick: InlineResultPick; assert: AssertionSpec[] };

/** `expect-answer:` of a click: the callback answer's form (alert or toast) and text. */
export interface CallbackAnswerSpec {
  alert?: boolean;
  equals?: string;
  icontains?: string;
  regex?: string;
}

/** `open:` of a click on a URL or Mini App button: the page checks of a `web:` step. */
export interface WebPageCheck {
  text?: string;
  selector?: string;
  screenshot: boolean;
  timeoutMs: number;
}

export interface Scenario {
  name: string;
  suite: string;
  description?: string;
  targets: TargetName[];
  /** Whole-scenario deadline. */
  timeoutMs: number;
  /** Quiet window after the last step for trailing messages (0 = off). */
  quietMs?: number;
  /** Weighted score (0..1) the scenario must reach to pass. */
  threshold: number;
  /** Attempts per target and run (`repeat:`, or the suite's default); absent = 1. */
  repeat?: number;
  steps: Step[];
  /** Default checks switched on or off for every expect of the scenario. */
  checks?: Partial<Record<string, boolean>>;
  /** A group (optionally a forum topic) to talk to the bot in, instead of its private chat (`chat:`). */
  chat?: { group: string; topic?: string };
  /** File the scenario came from (for error messages and `javascript` assertions). */
  file: string;
}

// ---------------------------------------------------------------- replies

export interface InlineButton {
  text: string;
  data: string;
  /** What pressing it does (absent = callback): see src/telegram/buttons.ts. */
  kind?: ButtonKind;
  /** A URL button's link, or a Mini App button's page. */
  url?: string;
  /** A switch-inline button's query. */
  query?: string;
}

/** callback = a callback query; url = a link; webapp = a Mini App; switch-inline = an inline query; other = game, buy, copy… */
export type ButtonKind = 'callback' | 'url' | 'webapp' | 'switch-inline' | 'other';

/** A reply keyboard (ReplyKeyboardMarkup) sent with a bot message: rows of button texts. */
export interface ReplyKeyboard {
  rows: string[][];
  /** Mini App buttons of the keyboard (KeyboardButtonSimpleWebView): button text → page URL. */
  webApps?: Record<string, string>;
  oneTime?: boolean;
  resize?: boolean;
  placeholder?: string;
}

/** One bot message as seen by the tester, edits merged by message id. */
export interface ReplyMessage {
  id: number;
  text: string;
  replyToId?: number;
  buttons?: InlineButton[][];
  /** The reply keyboard this message shows. */
  keyboard?: ReplyKeyboard;
  /** The message removes the reply keyboard (ReplyKeyboardHide). */
  keyboardRemoved?: true;
  /** The message asks for a reply (ReplyKeyboardForceReply). */
  forceReply?: true;
  /** When the tester first saw it. */
  firstSeenAt: number;
  /** When its text last changed (first sight or latest edit). */
  lastChangeAt: number;
  edits: number;
  deleted?: boolean;
  /** Telegram's date of the message (ms, second resolution). */
  serverDate?: number;
  /** Set when the push was lost and the message was recovered (updates.getDifference) or found in history. */
  via?: 'difference' | 'history';
  /** A photo, file, voice note, sticker, poll, location…; `text` is then its caption. */
  media?: ReplyMedia;
}

export interface Reply {
  /** Messages in arrival order. */
  messages: ReplyMessage[];
  /** Final text: the non-deleted messages' texts joined by a newline. */
  text: string;
  sentAt: number;
  /** First message seen (ms epoch), if any. */
  firstAt?: number;
  /** Last change seen before the reply settled. */
  finalAt?: number;
  /** Prompt → first message. */
  latencyFirstMs?: number;
  /** Prompt → first sign of an answer: typing, a draft (the first token) or a message, whichever came first. */
  latencyFirstTokenMs?: number;
  latencyFirstTypingMs?: number;
  latencyFirstDraftMs?: number;
  /** How many drafts (distinct random ids) the bot streamed. */
  draftCount?: number;
  /** Prompt → last change of the final text. */
  latencyFinalMs?: number;
  /** Some stamps come from Telegram's message date because the push was lost: the figures are within ±1 s. */
  latencyApprox?: boolean;
  editCount: number;
  messageCount: number;
  /** True when the reply looked complete (quiet, not typing or drafting, not progress); false when a deadline cut it. */
  settled: boolean;
  /** Why the tester called the reply final, or why it stopped waiting. */
  finality?: string;
  /** Text of a draft that never became a message. */
  unsentDraft?: string;
  /** Telegram replies to an earlier prompt that arrived during this step: reported, not graded. */
  late?: { id: number; text: string; replyToId: number }[];
  /** Flood-wait time spent before the prompt went out (not part of any latency). */
  floodWaitMs?: number;
  /** Answer text of an inline button press, when the step was a click. */
  callbackAnswer?: string;
  /** The bot's profile, when the step was `bot-info` (the text graded is its description). */
  botProfile?: BotProfileInfo;
  /** The inline results, when the step was `inline` (the text graded is one line per result). */
  inline?: InlineResultsInfo;
  /** The message an inline result produced, when the step sent one: the bot it names in "via @bot". */
  viaBotId?: string;
  /** The callback answer was an alert (a dialog), not a toast. */
  callbackAlert?: boolean;
  /** The callback answer's URL (answerCallbackQuery url). */
  callbackUrl?: string;
}

// ---------------------------------------------------------------- results

export interface AssertionResult {
  type: string;
  pass: boolean;
  /** 0..1 */
  score: number;
  weight: number;
  critical: boolean;
  reason: string;
  /** Index of the step whose reply was graded. */
  step: number;
}

export interface StepTranscript {
  index: number;
  kind: Step['kind'];
  startedAt: number;
  finishedAt: number;
  /** What we sent (send steps) or pressed (click steps). */
  sent?: { id?: number; text: string; at: number };
  reply?: Reply;
  /** Free-form detail: saved value, screenshot path, wait length. */
  detail?: string;
  error?: { code: string; message: string };
}

export interface RetryRecord {
  firstStatus: ScenarioStatus;
  firstReasons: string[];
  retryStatus: ScenarioStatus;
}

export interface ScenarioResult {
  scenario: string;
  suite: string;
  target: TargetName;
  bot: string;
  status: ScenarioStatus;
  /** Weighted assertion score, 0..1. */
  score: number;
  startedAt: number;
  finishedAt: number;
  /**
   * The scenario's slowest step: prompt → first message, prompt → final text (and → first token where the bot
   * showed typing or a draft). Null where not measured exactly (a lost push found later).
   */
  latencyMs: { first: number | null; final: number | null; firstToken?: number | null };
  reasons: string[];
  /** Stable error code for `error` results (e.g. TG_FLOOD_WAIT). */
  errorCode?: string;
  /** 1-based attempt of a repeated scenario (`repeat: N`); absent when the scenario runs once. */
  attempt?: number;
  /**
   * Set when the scenario failed and was re-run once in the same run (`run.retryFailed`): the first outcome and
   * the retry's status. The result itself is the one that counts: the retry when it passed (the scenario is
   * flaky), the first failure when it did not.
   */
  retried?: RetryRecord;
  steps: StepTranscript[];
  assertions: AssertionResult[];
}

export interface SuiteSummary {
  status: ScenarioStatus;
  score: number;
  /** Canary only, when stable ran too: the failure-rate band of the suite (see `failureRates`). */
  band?: 'pass' | 'marginal' | 'fail';
}

export interface TargetSummary {
  verdict: Verdict;
  score: number;
  suites: Record<string, SuiteSummary>;
}

export interface VerdictScenario {
  name: string;
  suite: string;
  target: TargetName;
  status: ScenarioStatus;
  score: number;
  latencyMs: { first: number | null; final: number | null; firstToken?: number | null };
  reasons: string[];
  flaky?: boolean;
  /** Failed, then passed when re-run once in the same run (`run.retryFailed`): counted as a pass, shown as flaky. */
  passedOnRetry?: boolean;
  /** 1-based attempt of a repeated scenario; absent when it ran once. */
  attempt?: number;
}

/** One side of a failure-rate comparison: graded attempts (pass/fail only) in the window. */
export interface RateSideReport {
  n: number;
  failures: number;
  rate: number;
  /** Failures with a cause the other target shows too, left out of the test. */
  shared: number;
}

/** Canary against stable over this run and the previous runs of the window, Fisher's exact test (one-sided). */
export interface RateComparisonReport {
  canary: RateSideReport;
  stable: RateSideReport;
  /** Rates the test compares: without the shared-cause failures. */
  canaryRate: number;
  stableRate: number;
  p: number;
  /** The Holm-corrected level p was held to. */
  level: number;
  significant: boolean;
  insufficient: boolean;
  band: 'pass' | 'marginal' | 'fail';
}

export interface FailureRatesReport {
  /** Runs pooled (this one included). */
  runs: number;
  alpha: number;
  tolerance: number;
  minSamples: number;
  overall: RateComparisonReport;
  suites: Record<string, RateComparisonReport>;
  /** Causes both targets showed in the window (`text:…`, `class:…`, `reply:…`), with their failure counts. */
  sharedCauses: { cause: string; canary: number; stable: number }[];
}

/** Pass rate and pass^k of a repeated scenario on one target in this run. */
export interface RepeatStats {
  scenario: string;
  suite: string;
  target: TargetName;
  /** Attempts run (`repeat`), graded ones (pass or fail), and passes. */
  attempts: number;
  graded: number;
  passes: number;
  /** passes / graded; null when nothing was graded. */
  passRate: number | null;
  /** k = attempts; pass^k = C(passes, k) / C(graded, k): the chance k attempts in a row pass (null if fewer graded). */
  k: number;
  passK: number | null;
}

/** The verdict JSON: a stable contract (schema 1) read by Argo Rollouts, Flagger and scripts. */
export interface VerdictReport {
  schema: 1;
  runId: string;
  verdict: Verdict | 'pending';
  decision: Decision;
  score: number;
  startedAt: string;
  finishedAt: string;
  revision?: string;
  aborted?: boolean;
  targets: Partial<Record<TargetName, TargetSummary>>;
  scenarios: VerdictScenario[];
  reasons: string[];
  consecutiveFailures: number;
  consecutiveInconclusive: number;
  flaky: string[];
  /** Canary vs stable failure rates (runs with both targets and scenarios both ran). */
  failureRates?: FailureRatesReport;
  /** Pass rate and pass^k of the repeated scenarios (`repeat: N`). */
  repeats?: RepeatStats[];
}

export interface RunResult {
  runId: string;
  startedAt: number;
  finishedAt: number;
  aborted: boolean;
  revision?: string;
  scenarios: ScenarioResult[];
  verdict: VerdictReport;
}
