import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTgCanaryError } from '../core/errors.js';
import { LLM_NOT_CONFIGURED } from './llm-rubric.js';
import { scorerContext, textReply } from './reply.js';
import { scoreAssertion } from './score.js';
import type { AssertionOutcome, LlmJudgeConfig } from './types.js';

interface Seen {
  url: string;
  auth?: string;
  body: { model: string; temperature: number; messages: Array<{ role: string; content: string }> };
}

/** A loopback OpenAI-compatible judge. The rubric text chooses its behaviour. */
let server: Server;
let baseUrl = '';
const seen: Seen[] = [];

function answer(res: ServerResponse, content: string): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  const body = JSON.parse(raw) as Seen['body'];
  seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
  const user = body.messages[1]?.content ?? '';
  if (user.includes('RUBRIC:500')) {
    res.writeHead(503).end('overloaded');
  } else if (user.includes('RUBRIC:slow')) {
    setTimeout(() => answer(res, '{"pass":true,"score":1,"reason":"late"}'), 2000).unref();
  } else if (user.includes('RUBRIC:garbage')) {
    answer(res, 'I think it is fine.');
  } else {
    const good = /REPLY[\s\S]*Orbit/u.test(user);
    answer(res, '```json\n' + JSON.stringify({ pass: good, score: good ? 0.9 : 0.2, reason: good ? 'mentions Orbit' : 'off topic' }) + '\n```');
  }
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

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
