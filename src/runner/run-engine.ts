/**
 * Runs a set of scenarios against canary and stable: the two targets in parallel, each chat sequential (one
 * conversation at a time per bot, as a person would). A session-level infrastructure failure (revoked session,
 * flood wait over budget) ends the remaining scenarios as `error` with the same cause instead of hammering on.
 */
import type { BotPeer } from '../core/ports.js';
import type { Scenario, ScenarioResult, TargetName } from '../core/types.js';
import { isErrorCode } from '../core/error-codes.js';
import { isTgCanaryError, TgCanaryError } from '../core/errors.js';
import { runScenario, type ScenarioDeps } from './scenario-runner.js';
import { builtinVars } from './template-vars.js';
import { createBaselineBoard } from './baseline-board.js';

export interface RunPlan {
  runId: string;
  scenarios: Scenario[];
  bots: Partial<Record<TargetName, string>>;
  /**
   * Re-run each canary scenario that failed (not `error`, not a `repeat: N` attempt) this many times (0 or 1) at
   * the end of the run, before judging: see `retryFailures`.
   */
  retryFailed?: number;
}

export interface EngineDeps extends ScenarioDeps {
  onScenarioStart?(s: Scenario, target: TargetName): void;
  onScenarioDone?(r: ScenarioResult): void;
}

const SESSION_FATAL = new Set(['TG_SESSION_INVALID', 'TG_AUTH_KEY_DUPLICATED', 'TG_FLOOD_WAIT']);

export async function executeRun(deps: EngineDeps, plan: RunPlan, signal: AbortSignal): Promise<ScenarioResult[]> {
  const targets = (Object.keys(plan.bots) as TargetName[]).filter((t) => plan.bots[t]);
  let fatal: TgCanaryError | undefined;
  const stableRuns = new Set(targets.includes('stable') ? plan.scenarios.filter((s) => s.targets.includes('stable')).map((s) => s.name) : []);
  const baseline = createBaselineBoard(deps.clock, stableRuns);

  const runTarget = async (target: TargetName): Promise<ScenarioResult[]> => {
    const username = plan.bots[target] as string;
    const mine = plan.scenarios.filter((s) => s.targets.includes(target));
    const out: ScenarioResult[] = [];
    let bot: BotPeer | undefined;
    let resolveError: TgCanaryError | undefined;
    try {
      bot = await deps.driver.resolveBot(username);
    } catch (e) {
      resolveError = isTgCanaryError(e) ? e : new TgCanaryError('TESTER_ERROR', String(e), { kind: 'internal' });
    }
    for (const { scenario, attempt } of attempts(mine)) {
      const now = deps.clock.now();
      const cause = resolveError ?? fatal ?? (signal.aborted ? abortedError() : undefined);
      if (cause || !bot) {
        const r = errorResult(scenario, target, username, now, cause ?? abortedError());
        if (attempt !== undefined) r.attempt = attempt;
        if (target === 'stable') baseline.close(scenario.name, `stable did not run: ${r.reasons[0] ?? r.errorCode}`);
        out.push(r);
        deps.onScenarioDone?.(r);
        continue;
      }
      deps.onScenarioStart?.(scenario, target);
      const r = await runScenario(deps, {
        scenario,
        target,
        bot,
        vars: builtinVars(plan.runId, now),
        signal,
        baseline,
      });
      if (attempt !== undefined) r.attempt = attempt;
      if (r.status === 'error' && r.errorCode && isErrorCode(r.errorCode) && SESSION_FATAL.has(r.errorCode) && !fatal) {
        fatal = new TgCanaryError(r.errorCode, r.reasons[0] ?? r.errorCode, { kind: 'infra' });
      }
      if (signal.aborted && r.status !== 'error') {
        r.status = 'error';
        r.errorCode = 'RUN_ABORTED';
        r.reasons.push('run aborted (SIGTERM/SIGINT) before the scenario finished');
      }
      out.push(r);
      deps.onScenarioDone?.(r);
    }
    if (target === 'canary' && bot && (plan.retryFailed ?? 0) > 0) {
      const b = bot;
      await retryFailures(out, async (scenario) => {
        if (fatal || signal.aborted) return undefined;
        deps.onScenarioStart?.(scenario, target);
        return runScenario(deps, { scenario, target, bot: b, vars: builtinVars(plan.runId, deps.clock.now()), signal, baseline });
      }, plan.scenarios, (r) => deps.onScenarioDone?.(r));
    }
    return out;
  };

  const perTarget = await Promise.all(targets.map((t) => runTarget(t)));
  return perTarget.flat();
}

/**
 * Retry before alerting (Checkly's retry strategy): each failed result (a `fail`, never an `error`, which is
 * inconclusive anyway, nor an attempt of `repeat: N`, whose attempts are the measurement) is run once more. A
 * passing retry replaces the failure (flaky: counted as one pass, not as a failure plus a pass); otherwise the
 * failure stands. Either way the result records the first outcome in `retried`. Replaces in place.
 */
export async function retryFailures(
  results: ScenarioResult[],
  rerun: (s: Scenario) => Promise<ScenarioResult | undefined>,
  scenarios: readonly Scenario[],
  done?: (r: ScenarioResult) => void,
): Promise<void> {
  for (let i = 0; i < results.length; i++) {
    const first = results[i];
    if (!first || first.status !== 'fail' || first.attempt !== undefined || first.retried) continue;
    const scenario = scenarios.find((s) => s.name === first.scenario && s.suite === first.suite);
    if (!scenario) continue;
    const again = await rerun(scenario);
    if (!again) return;
    const retried = { firstStatus: first.status, firstReasons: [...first.reasons], retryStatus: again.status };
    const final: ScenarioResult = again.status === 'pass'
      ? { ...again, retried }
      : { ...first, retried, reasons: [...first.reasons, `failed again on its retry (${again.status})`] };
    results[i] = final;
    done?.(final);
  }
}

/** Each scenario `repeat` times in a row (attempt 1..N; no attempt number when it runs once). */
function attempts(scenarios: readonly Scenario[]): { scenario: Scenario; attempt?: number }[] {
  const out: { scenario: Scenario; attempt?: number }[] = [];
  for (const scenario of scenarios) {
    const n = Math.max(1, Math.floor(scenario.repeat ?? 1));
    if (n === 1) out.push({ scenario });
    else for (let attempt = 1; attempt <= n; attempt++) out.push({ scenario, attempt });
  }
  return out;
}

function abortedError(): TgCanaryError {
  return new TgCanaryError('RUN_ABORTED', 'run aborted before this scenario started', { kind: 'infra' });
}

export function errorResult(scenario: Scenario, target: TargetName, bot: string, now: number, e: TgCanaryError): ScenarioResult {
  return {
    scenario: scenario.name,
    suite: scenario.suite,
    target,
    bot,
    status: e.kind === 'bot' ? 'fail' : 'error',
    score: 0,
    startedAt: now,
    finishedAt: now,
    latencyMs: { first: null, final: null },
    reasons: [e.hint ? `${e.message} — ${e.hint}` : e.message],
    errorCode: e.code,
    steps: [],
    assertions: [],
  };
}
