import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithBaseline, parseLikeStableOptions, quantitiesOf } from '../../src/scorers/like-stable.js';
import { scorerContext, textReply } from '../../src/scorers/reply.js';
import { scoreAssertion } from '../../src/scorers/score.js';
import type { AssertionOutcome, LlmJudgeConfig } from '../../src/scorers/types.js';
import { startLlmJudge, type JudgeAnswer, type JudgeRequest, type LlmJudgeStandIn } from '../support/llm-judge.js';

const STABLE_HUB = 'The Orbit Hub supports Zigbee and Matter. It does not support Z-Wave.';
const STABLE_BATTERY = 'The Orbit X1 battery lasts 18 hours on a single charge.';
const STABLE_SUPPORT = 'Acme support is available 9:00–17:00 CET on weekdays.';

const cmp = (canary: string | string[], stable: string | string[]): ReturnType<typeof compareWithBaseline> =>
  compareWithBaseline(textReply(canary), textReply(stable));

describe('like-stable comparator: healthy variation passes', () => {
  it.each([
    [STABLE_HUB, 'Zigbee and Matter work with the Orbit Hub; Z-Wave is not supported.'],
    [STABLE_HUB, 'Great question! 😊 The Orbit Hub speaks Zigbee and Matter, but not Z-Wave.'],
    [STABLE_HUB, STABLE_HUB],
    [STABLE_BATTERY, 'On a single charge, the Orbit X1 battery runs for about 18 hours.'],
    [STABLE_BATTERY, 'Orbit X1: up to 18 h per charge 🔋'],
    [STABLE_SUPPORT, 'You can reach Acme support on weekdays, 9:00–17:00 CET.'],
    ['The Orbit X1 comes with a 2-year warranty.', 'Your Orbit X1 is covered by a two-year warranty.'],
    ['10 km = 6.21 miles', '10 km is 6.21 miles.'],
    ['✅ Booked a table for 4. Reference: K7QX2M', '✅ Booked a table for 4. Reference: 9PLM3Z'],
    ['Sure! 👍', 'Sure thing! 👍'],
    ['The Orbit X1 weighs 1.2 kg.', "Great question! Here's what I found: the Orbit X1 weighs 1.2 kg. Anything else I can help with? 😊"],
    [STABLE_HUB, '🤖 Orbi here!\nThe Orbit Hub supports Zigbee and Matter.\nIt does not support Z-Wave.'],
    ['The Orbit app runs on iOS 16+ and Android 12+.', 'Supported platforms:\n- iOS 16 or newer\n- Android 12 or newer'],
    ['Гарантия на Orbit X1 — 2 года.', 'На Orbit X1 действует гарантия 2 года.'],
    ['Acme accepts returns within 30 days of purchase.', 'You can return it within 30 days of buying it from Acme.'],
  ])('stable %s ~ canary %s', (stable, canary) => {
    const r = cmp(canary, stable);
    expect(r.pass, r.problems.join('; ')).toBe(true);
    expect(r.score).toBe(1);
  });
});

describe('like-stable comparator: what the question says need not be repeated', () => {
  it.each([
    ['Convert 10 km to miles', '10 km = 6.21 miles', 'That is about 6.21 miles.'],
    ['Convert 100 C to F', '100 C = 212 F', 'That is 212 °F.'],
    ['How much does the Orbit X1 weigh?', 'The Orbit X1 weighs 1.2 kg.', 'It is light: about 1.2 kg.'],
    ['Does the Orbit app run on Android?', 'The Orbit app runs on iOS 16+ and Android 12+.', 'The Orbit app runs on iOS 16+ and Android 12+ (Windows is not supported).'],
  ])('asked %s: stable %s ~ canary %s', (prompt, stable, canary) => {
    const r = compareWithBaseline(textReply(canary), textReply(stable), undefined, prompt);
    expect(r.pass, r.problems.join('; ')).toBe(true);
  });

  it('without the question those echoes are still missing (the prompt is what frees them), and a wrong number still fails', () => {
    expect(compareWithBaseline(textReply('That is about 6.21 miles.'), textReply('10 km = 6.21 miles')).pass).toBe(false);
    const wrong = compareWithBaseline(textReply('That is about 16.09 miles.'), textReply('10 km = 6.21 miles'), undefined, 'Convert 10 km to miles');
    expect(wrong.problems.join('; ')).toMatch(/16\.09 miles.*6\.21 miles/);
  });
});

describe('like-stable comparator: regressions fail with the reason', () => {
  it.each([
    ['a flipped polarity', STABLE_HUB, 'The Orbit Hub supports Zigbee, Matter and Z-Wave.', /affirms "z-wave", which stable denies/u],
    ['a changed number', STABLE_BATTERY, 'The Orbit X1 battery lasts 12 hours on a single charge.', /canary says "12 hours" where stable says "18 hours"/u],
    ['another unit', STABLE_BATTERY, 'The Orbit X1 battery lasts 18 minutes on a single charge.', /another unit/u],
    ['a missing number', STABLE_SUPPORT, 'Acme support is available during office hours on weekdays.', /lacks the number "9:00/u],
    ['another language', STABLE_HUB, 'Der Orbit Hub unterstützt Zigbee und Matter, aber kein Z-Wave.', /canary answers in de, stable in en/u],
    ['a truncated answer', STABLE_HUB, 'The Orbit Hub supports Zigbee and Matter. It does not supp', /cut short/u],
    ['an error after the answer', STABLE_HUB, `${STABLE_HUB}\n⚠️ Error: upstream timeout`, /reads like an error|cut short/u],
    ['a generic greeting instead', STABLE_HUB, "Hi! I'm the Acme assistant. How can I help you today?", /lacks \d of the \d named facts/u],
    ['a rambling answer', 'The Orbit X1 weighs 1.2 kg.', `The Orbit X1 weighs 1.2 kg. ${'Let me tell you more about weight and mass and gravity. '.repeat(6)}`, /characters/u],
    ['a much shorter answer', 'Acme accepts returns within 30 days of purchase, with the receipt, in the original box, at any Acme store or by post.', 'Returns: 30 days.', /characters/u],
  ])('%s', (_what, stable, canary, why) => {
    const r = cmp(canary, stable);
    expect(r.pass).toBe(false);
    expect(r.problems.join('; ')).toMatch(why);
    expect(r.score).toBeLessThan(1);
  });

  it('counts messages: a duplicated or exploded reply fails', () => {
    expect(cmp([STABLE_HUB, STABLE_HUB], [STABLE_HUB]).problems.join(' ')).toMatch(/repeats a message/u);
    expect(cmp(['a.', 'b.', 'c.', STABLE_HUB], [STABLE_HUB]).problems.join(' ')).toMatch(/sent 4 messages, stable 1/u);
    expect(cmp(['The Orbit Hub supports Zigbee and Matter.', 'It does not support Z-Wave.'], [STABLE_HUB]).pass).toBe(true);
  });

  it('reads numbers, units, times and ignores references and ids', () => {
    expect(quantitiesOf('18 hours, 1.2 kg, 1,2 kg, 2-year, 9:00–17:00, 100 C, ref 483920, X1, iOS 16+')).toEqual([
      { value: '18', unit: 'hour', text: '18 hours' },
      { value: '1.2', unit: 'kg', text: '1.2 kg' },
      { value: '1.2', unit: 'kg', text: '1,2 kg' },
      { value: '2', unit: 'year', text: '2-year' },
      { value: '9:00', unit: undefined, text: '9:00' },
      { value: '17:00', unit: undefined, text: '17:00' },
      { value: '100', unit: '°c', text: '100 C' },
      { value: '16', unit: undefined, text: '16' },
    ]);
  });

  it('validates its options', () => {
    expect(parseLikeStableOptions(undefined)).toEqual({ maxLengthRatio: 2.5, judge: true });
    expect(() => parseLikeStableOptions({ ratio: 2 })).toThrow(/unknown key ratio/u);
    expect(() => parseLikeStableOptions({ maxLengthRatio: 0.5 })).toThrow(/above 1/u);
  });
});

// ---------------------------------------------------------------- the pairwise judge on a loopback server

let judge: LlmJudgeStandIn;
let baseUrl = '';
const prompts: string[] = [];

/** A judge that finds the reply mentioning "Thread" worse, wherever it is shown; "DOWN" makes it fail. */
function handle(req: JudgeRequest): JudgeAnswer {
  const user = req.body.messages[1].content;
  prompts.push(user);
  if (user.includes('DOWN')) return { status: 503, text: 'overloaded' };
  const a = /<<<A\n([\s\S]*?)\nA>>>/u.exec(user)?.[1] ?? '';
  const b = /<<<B\n([\s\S]*?)\nB>>>/u.exec(user)?.[1] ?? '';
  const worse = a.includes('Thread') ? 'A' : b.includes('Thread') ? 'B' : 'neither';
  return { content: JSON.stringify({ worse, reason: worse === 'neither' ? 'same facts' : 'invents Thread support' }) };
}

beforeAll(async () => {
  judge = await startLlmJudge(handle);
  baseUrl = judge.url;
});
afterAll(() => judge.close());

describe('like-stable with the pairwise LLM judge', () => {
  const llm = (): LlmJudgeConfig => ({ baseUrl, model: 'judge', timeoutMs: 2000 });
  const grade = (canary: string, stable: string, random: () => number): Promise<AssertionOutcome> =>
    scoreAssertion(
      { type: 'like-stable', weight: 1, critical: true },
      scorerContext(textReply(canary), { baseline: textReply(stable), llm: llm(), random }),
    );
  // The deterministic comparison passes this (Thread is one extra fact); only the judge catches it.
  const invented = 'The Orbit Hub supports Zigbee, Matter and Thread. It does not support Z-Wave.';

  it('shows both answers in random order and maps the verdict back to canary', async () => {
    for (const random of [() => 0.1, () => 0.9]) {
      prompts.length = 0;
      const r = await grade(invented, STABLE_HUB, random);
      expect(r.pass, r.reason).toBe(false);
      expect(r.reason).toMatch(/pairwise judge: canary is worse \("invents Thread support"\)/u);
      const a = /<<<A\n([\s\S]*?)\nA>>>/u.exec(prompts[0])?.[1];
      expect(a).toBe(random() < 0.5 ? invented : STABLE_HUB);
    }
  });

  it('passes when the judge finds neither worse', async () => {
    const r = await grade('Zigbee and Matter work with the Orbit Hub; Z-Wave is not supported.', STABLE_HUB, () => 0.3);
    expect(r.pass, r.reason).toBe(true);
    expect(r.reason).toMatch(/pairwise judge: canary is not worse/u);
  });

  it('a judge that is down never fails the canary: the deterministic comparison decides, and says so', async () => {
    const r = await grade('DOWN. The Orbit Hub supports Zigbee and Matter. It does not support Z-Wave.', STABLE_HUB, () => 0.3);
    expect(r.pass, r.reason).toBe(true);
    expect(r.reason).toMatch(/pairwise judge not used \(LLM judge at http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions answered HTTP 503\)/u);
  });

  it('without a baseline the scorer passes with "no baseline"', async () => {
    const r = await scoreAssertion({ type: 'like-stable', weight: 1, critical: true }, scorerContext(textReply('anything')));
    expect(r.pass).toBe(true);
    expect(r.reason).toMatch(/no baseline/u);
  });
});
