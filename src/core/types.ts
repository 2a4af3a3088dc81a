/**
 * Domain types of tg-canary. Pure data: no I/O, no imports outside core.
 * Times are epoch milliseconds unless a name says otherwise.
 */

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
  /** How long with no new message or edit before the reply counts as final. */
  settleMs: number;
  minMessages: number;
  maxMessages?: number;
  assert: AssertionSpec[];
  /** Default checks switched on or off for this expect (`checks: { not-leak: false }`). */
  checks?: Partial<Record<string, boolean>>;
}

export type ButtonMatcher = { text: string } | { regex: string };

export type Step =
  | { kind: 'send'; text: string }
  | { kind: 'expect'; expect: ExpectSpec }
  | { kind: 'click'; button: ButtonMatcher; expect?: ExpectSpec }
  | { kind: 'wait'; ms: number }
  | { kind: 'save'; name: string; regex: string; group: number }
  | { kind: 'remember'; key: string; value: string }
  | { kind: 'recall'; key: string; as: string; maxAgeMs?: number }
  | { kind: 'web'; url: string; text?: string; selector?: string; screenshot: boolean; timeoutMs: number };

export interface Scenario {
  name: string;
  suite: string;
  description?: string;
  targets: TargetName[];
  /** Whole-scenario deadline. */
  timeoutMs: number;
  /** Weighted score (0..1) the scenario must reach to pass. */
  threshold: number;
  steps: Step[];
  /** Default checks switched on or off for every expect of the scenario. */
  checks?: Partial<Record<string, boolean>>;
  /** File the scenario came from (for error messages and `javascript` assertions). */
  file: string;
}

// ---------------------------------------------------------------- replies

export interface InlineButton {
  text: string;
  data: string;
}

/** One bot message as seen by the tester, edits merged by message id. */
export interface ReplyMessage {
  id: number;
  text: string;
  replyToId?: number;
  buttons?: InlineButton[][];
  /** When the tester first saw it. */
  firstSeenAt: number;
  /** When its text last changed (first sight or latest edit). */
  lastChangeAt: number;
  edits: number;
  deleted?: boolean;
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
  latencyFirstMs?: number;
  latencyFinalMs?: number;
  editCount: number;
  messageCount: number;
  /** True when the settle window passed with no change; false when the deadline cut it. */
  settled: boolean;
  /** Answer text of an inline button press, when the step was a click. */
  callbackAnswer?: string;
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
  latencyMs: { first: number | null; final: number | null };
  reasons: string[];
  /** Stable error code for `error` results (e.g. TG_FLOOD_WAIT). */
  errorCode?: string;
  steps: StepTranscript[];
  assertions: AssertionResult[];
}

export interface SuiteSummary {
  status: ScenarioStatus;
  score: number;
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
  latencyMs: { first: number | null; final: number | null };
  reasons: string[];
  flaky?: boolean;
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
