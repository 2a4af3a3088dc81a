/** The zoo's confusion matrix: expected exit code (rows) against the exit code the CLI returned (columns). */

export interface Outcome {
  label: string;
  run: number;
  expected: 0 | 1 | 3;
  got: number | null;
}

export interface Confusion {
  /** counts[expected][got]; `other` collects exit codes that are neither 0, 1 nor 3 (or a killed run). */
  counts: Record<'0' | '1' | '3', Record<'0' | '1' | '3' | 'other', number>>;
  missedRegressions: number;
  falseAlarms: number;
  wrongInconclusive: number;
  misjudged: Outcome[];
}

const NAME = { '0': 'pass (0)', '1': 'fail (1)', '3': 'inconclusive (3)', other: 'other' } as const;

export function confusion(outcomes: readonly Outcome[]): Confusion {
  const row = (): Record<'0' | '1' | '3' | 'other', number> => ({ '0': 0, '1': 0, '3': 0, other: 0 });
  const counts = { '0': row(), '1': row(), '3': row() };
  for (const o of outcomes) {
    const got = o.got === 0 || o.got === 1 || o.got === 3 ? (String(o.got) as '0' | '1' | '3') : 'other';
    counts[String(o.expected) as '0' | '1' | '3'][got] += 1;
  }
  return {
    counts,
    // a regression that did not fail (promoted, or held as inconclusive is counted below)
    missedRegressions: counts['1']['0'],
    // a harmless deploy failed, or a fault that is not the canary's failed it
    falseAlarms: counts['0']['1'] + counts['3']['1'],
    // inconclusive where a verdict was due, a verdict where inconclusive was due, or no usable exit code
    wrongInconclusive: counts['0']['3'] + counts['1']['3'] + counts['3']['0'] + counts['0'].other + counts['1'].other + counts['3'].other,
    misjudged: outcomes.filter((o) => o.got !== o.expected),
  };
}

export function formatMatrix(m: Confusion): string {
  const cols = ['0', '1', '3', 'other'] as const;
  const lines = [
    `| expected \\ got | ${cols.map((c) => NAME[c]).join(' | ')} |`,
    `|---|${cols.map(() => '---').join('|')}|`,
    ...(['0', '1', '3'] as const).map((r) => `| ${NAME[r]} | ${cols.map((c) => m.counts[r][c]).join(' | ')} |`),
    '',
    `missed regressions: ${m.missedRegressions}, false alarms: ${m.falseAlarms}, wrong inconclusive: ${m.wrongInconclusive}`,
    ...m.misjudged.map((o) => `  misjudged: ${o.label} (run ${o.run}): expected ${o.expected}, got ${o.got}`),
  ];
  return lines.join('\n');
}
