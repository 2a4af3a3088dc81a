/** An in-memory RunStore through the port (the SQLite store is tested by its own engineer). */
import type { AlertStateRow, OutboxItem, RunStore, RunSummary, ScenarioHistoryRow } from '../../src/core/ports.js';
import type { RunResult } from '../../src/core/types.js';

export class MemoryRunStore implements RunStore {
  private runs = new Map<string, RunResult>();
  beginRun(): void {}
  saveScenario(): void {}
  finishRun(result: RunResult): void {
    this.runs.set(result.runId, result);
  }
  getRun(runId: string): RunResult | undefined {
    return this.runs.get(runId);
  }
  latestRun(): RunResult | undefined {
    return [...this.runs.values()].sort((a, b) => b.startedAt - a.startedAt)[0];
  }
  listRuns(opts: { last?: number; before?: number }): RunSummary[] {
    return [...this.runs.values()]
      .filter((r) => opts.before === undefined || r.startedAt < opts.before)
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, opts.last ?? 50)
      .map((r) => ({ runId: r.runId, startedAt: r.startedAt, finishedAt: r.finishedAt, verdict: r.verdict.verdict, score: r.verdict.score, aborted: r.aborted }));
  }
  scenarioHistory(): ScenarioHistoryRow[] {
    return [];
  }
  recentReplyTexts(): string[] {
    return [];
  }
  lastSuccessAt(): number | null {
    return null;
  }
  plantFact(): void {}
  getFact(): undefined {
    return undefined;
  }
  enqueue(): boolean {
    return true;
  }
  dueOutbox(): OutboxItem[] {
    return [];
  }
  markDelivered(): void {}
  markFailed(): void {}
  listOutbox(): OutboxItem[] {
    return [];
  }
  getAlertState(): AlertStateRow | undefined {
    return undefined;
  }
  setAlertState(): void {}
  prune(): { runs: number } {
    return { runs: 0 };
  }
  close(): void {}
}
