/**
 * A small model of how Argo Rollouts (v1.9) turns web-provider polls into an AnalysisRun result, written from its
 * source: metricproviders/webmetric/webmetric.go (non-2xx -> Error; a non-JSON body -> Successful WITHOUT the
 * conditions; a missing JSONPath -> Error), utils/evaluate/evaluate.go (EvaluateResult over `result`), and
 * analysis/analysis.go assessMetricStatus / assessMetricFailureInconclusiveOrError (limits, count,
 * consecutiveSuccessLimit). Conditions are evaluated by a strict evaluator of the expr subset our templates use
 * (`result == "x"`, `!=`, `&&`, `||`, parentheses); anything else throws, so a template cannot use what the model
 * does not understand.
 */
export type Phase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

export interface WebMetric {
  successCondition?: string;
  failureCondition?: string;
  jsonPath: string;
  count?: number;
  failureLimit?: number;
  inconclusiveLimit?: number;
  consecutiveErrorLimit?: number;
  consecutiveSuccessLimit?: number;
}

// ------------------------------------------------------------------ expr subset
type Tok = { k: 'str'; v: string } | { k: 'id'; v: string } | { k: 'op'; v: string };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') { v += src[j + 1] ?? ''; j += 2; } else { v += src[j]; j++; }
      }
      if (j >= src.length) throw new Error(`unterminated string in ${src}`);
      out.push({ k: 'str', v });
      i = j + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '&&', '||'].includes(two)) { out.push({ k: 'op', v: two }); i += 2; continue; }
    if (c === '(' || c === ')') { out.push({ k: 'op', v: c }); i++; continue; }
    const m = /^[A-Za-z_]\w*/.exec(src.slice(i));
    if (m) { out.push({ k: 'id', v: m[0] }); i += m[0].length; continue; }
    throw new Error(`unsupported expr syntax at ${JSON.stringify(src.slice(i))}`);
  }
  return out;
}

/** Evaluates a condition with `result` bound, as expr would for these operators (strict equality, no coercion). */
export function evalCondition(condition: string, result: unknown): boolean {
  const toks = lex(condition);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const value = (): unknown => {
    const t = toks[p++];
    if (!t) throw new Error(`unexpected end of ${condition}`);
    if (t.k === 'str') return t.v;
    if (t.k === 'id' && t.v === 'result') return result;
    if (t.k === 'id' && (t.v === 'true' || t.v === 'false')) return t.v === 'true';
    if (t.k === 'op' && t.v === '(') {
      const v = or();
      if (toks[p++]?.v !== ')') throw new Error(`missing ) in ${condition}`);
      return v;
    }
    throw new Error(`unsupported token ${t.v} in ${condition}`);
  };
  const cmp = (): unknown => {
    const l = value();
    const t = peek();
    if (t?.k === 'op' && (t.v === '==' || t.v === '!=')) {
      p++;
      const r = value();
      return t.v === '==' ? l === r : l !== r;
    }
    return l;
  };
  const and = (): unknown => {
    let l = cmp();
    while (peek()?.v === '&&') { p++; const r = cmp(); l = Boolean(l) && Boolean(r); }
    return l;
  };
  const or = (): unknown => {
    let l = and();
    while (peek()?.v === '||') { p++; const r = and(); l = Boolean(l) || Boolean(r); }
    return l;
  };
  const v = or();
  if (p !== toks.length) throw new Error(`trailing tokens in ${condition}`);
  if (typeof v !== 'boolean') throw new Error(`expected bool, but got ${typeof v}`); // as EvalCondition
  return v;
}

/** Kubernetes JSONPath of the simple form `{$.a.b}` (all our templates use). */
export function jsonPathValue(path: string, data: unknown): unknown {
  const m = /^\{\$((?:\.[A-Za-z_][\w-]*)+)\}$/.exec(path);
  if (!m) throw new Error(`unsupported jsonPath ${path}`);
  let cur: unknown = data;
  for (const key of (m[1] as string).slice(1).split('.')) {
    if (typeof cur !== 'object' || cur === null || !(key in cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** One measurement from an HTTP answer (status and raw body), as webmetric.go and EvaluateResult decide it. */
export function measure(metric: WebMetric, status: number | 'network-error', body: string): { phase: Phase; value?: unknown } {
  if (status === 'network-error' || status < 200 || status >= 300) return { phase: 'Error' };
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { phase: 'Successful', value: body }; // Argo: non-JSON body -> Successful, conditions NOT evaluated
  }
  const value = jsonPathValue(metric.jsonPath, data);
  if (value === undefined) return { phase: 'Error' };
  const s = metric.successCondition ? evalCondition(metric.successCondition, value) : false;
  const f = metric.failureCondition ? evalCondition(metric.failureCondition, value) : false;
  let success = s;
  let failure = f;
  if (!metric.successCondition && !metric.failureCondition) return { phase: 'Successful', value };
  if (metric.successCondition && !metric.failureCondition) failure = !success;
  if (!metric.successCondition && metric.failureCondition) success = !failure;
  if (failure) return { phase: 'Failed', value };
  if (!success) return { phase: 'Inconclusive', value };
  return { phase: 'Successful', value };
}

/** The metric's phase after these measurements, or 'Running' (assessMetricStatus; not terminating). */
export function assess(metric: WebMetric, phases: Phase[]): Phase | 'Running' {
  if (phases.length === 0) return 'Running';
  const n = (p: Phase): number => phases.filter((x) => x === p).length;
  let consecutiveError = 0;
  for (let i = phases.length - 1; i >= 0 && phases[i] === 'Error'; i--) consecutiveError++;
  let consecutiveSuccess = 0;
  for (let i = phases.length - 1; i >= 0 && phases[i] === 'Successful'; i--) consecutiveSuccess++;
  const failureLimit = metric.failureLimit ?? 0;
  let phase: Phase | undefined;
  if (failureLimit >= 0 && n('Failed') > failureLimit) phase = 'Failed';
  if (n('Inconclusive') > (metric.inconclusiveLimit ?? 0)) phase = 'Inconclusive';
  if (consecutiveError > (metric.consecutiveErrorLimit ?? 4)) phase = 'Error';
  if (phase) return phase;
  const csl = metric.consecutiveSuccessLimit ?? 0;
  if (csl > 0 && consecutiveSuccess >= csl) return 'Successful';
  const count = metric.count;
  // Error measurements do not count towards `count` (analysis.go increments Count for the other three only)
  if (count !== undefined && phases.length - n('Error') >= count) return csl > 0 ? 'Inconclusive' : 'Successful';
  return 'Running';
}
