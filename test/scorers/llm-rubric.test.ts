import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTgCanaryError } from '../../src/core/errors.js';
import { LLM_NOT_CONFIGURED } from '../../src/scorers/llm-rubric.js';
import { scorerContext, textReply } from '../../src/scorers/reply.js';
import { scoreAssertion } from '../../src/scorers/score.js';
import type { AssertionOutcome, LlmJudgeConfig } from '../../src/scorers/types.js';
import { startLlmJudge, type JudgeAnswer, type JudgeRequest, type LlmJudgeStandIn } from '../support/llm-judge.js';

type Seen = JudgeRequest;

/** A loopback OpenAI-compatible judge. The rubric text chooses its behaviour. */
let judge: LlmJudgeStandIn;
let baseUrl = '';
const seen: Seen[] = [];

function handle(req: JudgeRequest): JudgeAnswer {
  seen.push(req);
  const user = req.body.messages[1]?.content ?? '';
  if (user.includes('RUBRIC:500')) return { status: 503, text: 'overloaded' };
  if (user.includes('RUBRIC:slow')) return { content: '{"pass":true,"score":1,"reason":"late"}', delayMs: 2000 };
  if (user.includes('RUBRIC:garbage')) return { content: 'I think it is fine.' };
  const good = /REPLY[\s\S]*Orbit/u.test(user);
  return { content: '```json\n' + JSON.stringify({ pass: good, score: good ? 0.9 : 0.2, reason: good ? 'mentions Orbit' : 'off topic' }) + '\n```' };
}

beforeAll(async () => {
  judge = await startLlmJudge(handle);
  baseUrl = `${judge.url}/`;
});
afterAll(() => judge.close());

function grade(rubric: string, text: string | string[], llm?: Partial<LlmJudgeConfig>, threshold?: number): Promise<AssertionOutcome> {
  const cfg: LlmJudgeConfig | undefined = llm ? { baseUrl, model: 'judge-1', timeoutMs: 1000, ...llm } : undefined;
  return scoreAssertion(
    { type: 'llm-rubric', value: rubric, weight: 1, critical: false, threshold },
    scorerContext(textReply(text), { llm: cfg }),
  );
}

describe('llm-rubric', () => {
  it('posts the OpenAI chat shape with bearer auth and grades from the JSON answer', async () => {
    seen.length = 0;
    const r = await grade('Talks about Orbit products', 'The Orbit X1 weighs 1.2 kg.', { apiKey: 'sk-secret-123' });
    expect(r).toMatchObject({ pass: true, score: 0.9 });
    expect(r.reason).toContain('mentions Orbit');
    expect(seen[0].url).toBe('/v1/chat/completions');
    expect(seen[0].auth).toBe('Bearer sk-secret-123');
    expect(seen[0].body.model).toBe('judge-1');
    expect(seen[0].body.temperature).toBe(0);
    expect(seen[0].body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(seen[0].body.messages[1].content).toContain('Talks about Orbit products');
  });
  it('sends no authorization without an api key, and applies a threshold to the score', async () => {
    seen.length = 0;
    expect((await grade('x', 'Orbit!', {}, 0.95)).pass).toBe(false);
    expect(seen[0].auth).toBeUndefined();
  });
  it('handles empty, unicode, long replies and passes them through untouched', async () => {
    expect((await grade('about Orbit', [], {})).pass).toBe(false);
    seen.length = 0;
    const uni = 'Orbit 👋🏽 שלום مرحبا Привет';
    expect((await grade('about Orbit', uni, {})).pass).toBe(true);
    expect(seen[0].body.messages[1].content).toContain(uni);
    expect((await grade('about Orbit', `${'z'.repeat(4091)}Orbit`, {})).pass).toBe(true);
  });
  it('fails with a clear reason when not configured', async () => {
    const r = await grade('anything', 'Orbit', undefined);
    expect(r.pass).toBe(false);
    expect(r.reason).toBe(LLM_NOT_CONFIGURED);
    expect(r.reason).toContain('LLM_JUDGE_URL');
  });
  it('throws infra LLM_JUDGE_UNAVAILABLE on HTTP errors, timeouts and a dead endpoint, without leaking the key', async () => {
    const cases: Array<Partial<LlmJudgeConfig> & { rubric: string }> = [
      { rubric: 'RUBRIC:500' },
      { rubric: 'RUBRIC:slow', timeoutMs: 200 },
      { rubric: 'x', baseUrl: 'http://user:pw@127.0.0.1:1/v1?key=abc' },
    ];
    for (const { rubric, ...llm } of cases) {
      const err: unknown = await grade(rubric, 'Orbit', { apiKey: 'sk-secret-123', ...llm }).catch((e: unknown) => e);
      expect(isTgCanaryError(err)).toBe(true);
      if (!isTgCanaryError(err)) continue;
      expect(err.kind).toBe('infra');
      expect(err.code).toBe('LLM_JUDGE_UNAVAILABLE');
      expect(err.describe()).not.toMatch(/sk-secret|pw@|key=abc/u);
    }
  });
  it('throws infra LLM_JUDGE_BAD_ANSWER when the judge does not answer JSON', async () => {
    await expect(grade('RUBRIC:garbage', 'Orbit', {})).rejects.toMatchObject({ kind: 'infra', code: 'LLM_JUDGE_BAD_ANSWER' });
  });
});
