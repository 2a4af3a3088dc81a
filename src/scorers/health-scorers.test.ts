import { describe, expect, it } from 'vitest';
import { DEMO_FALLBACK, KB_NOT_FOUND, ORBIT_FACTS, greeting, jokeCount, type JokeLanguage, jokeAt, convertUnits } from '@tg-canary/sandbox/demo-bots';
import { ERROR_PATTERNS } from './error-patterns.js';
import { incompleteReason } from './completeness.js';
import { scorerContext, textReply } from './reply.js';
import { scoreAssertion } from './score.js';
import type { AssertionOutcome, CheckExtras } from './types.js';

const grade = (type: string, text: string, value?: unknown, checks?: CheckExtras): Promise<AssertionOutcome> =>
  scoreAssertion({ type, value, weight: 1, critical: true }, scorerContext(textReply(text), { checks }));

/** Healthy replies of many shapes that no default check may fail. */
const HEALTHY = [
  'Sure! 👍',
  'OK',
  'The error bars in the chart show one standard deviation.',
  'If you see an error, restart the app and it should work again.',
  'The session timeout is 30 minutes; after that you log in again.',
  'Our API returns HTTP 200 on success.',
  'Here is the docs page: https://example.com/docs/start?x=1',
  'Run this:\n```bash\nnpm install\nnpm test\n```',
  '```json\n{"city": "Paris", "temperature": 21}\n```',
  'Booked a table for 4. Reference: K7QX2M',
  '10 km = 6.21 miles',
  '⏰ Reminder: water the plants 5e3a9c',
  'Options:\n- Zigbee\n- Matter',
  '| Plan | Price |\n|---|---|\n| Basic | 5 € |',
  'Haha, good one 😂😂',
  'Ошибки бывают у всех, главное — учиться на них.',
  'Der Fehlerbalken zeigt die Streuung.',
  "Les barres d'erreur montrent l'écart type.",
  'Las barras de error muestran la desviación estándar.',
  'Why did the scarecrow win an award? Because he was outstanding in his field!',
  'The Orbit Hub supports Zigbee and Matter. It does not support Z-Wave.',
  'Our shop is closed on Sundays.',
  'As you asked, here is a limerick about cats: …',
  'Price: 12 €',
  'Have a nice day :)',
  'Поддерживаются iOS 16+ и Android 12+',
  'Mit freundlichen Grüßen, Ihr Orbit-Team',
];

describe('default checks pass healthy replies', () => {
  it.each(HEALTHY)('%s', async (text) => {
    for (const type of ['not-error', 'not-leak', 'complete', 'not-refusal']) {
      const r = await grade(type, text);
      expect(r.pass, `${type}: ${r.reason}`).toBe(true);
    }
  });

  it('every demo bot answer passes (jokes in 5 languages, facts, conversions, greetings)', async () => {
    const texts: string[] = [DEMO_FALLBACK, KB_NOT_FOUND, greeting('canary_bot'), ...ORBIT_FACTS.map((f) => f.answer)];
    for (const lang of ['en', 'fr', 'es', 'de', 'ru'] as JokeLanguage[]) for (let k = 0; k < jokeCount(lang); k++) texts.push(jokeAt(lang, k));
    for (const q of ['Convert 10 km to miles', 'Convert 100 C to F', 'Convert 5 kg to lb']) texts.push(convertUnits(q) ?? '');
    texts.push('Got it — I\'ll remember that your secret word is canary-1a2b3c.', "I don't know your code yet.", 'Your code-12ab is city-12ab.');
    for (const text of texts) {
      for (const type of ['not-error', 'not-leak', 'complete', 'not-refusal']) {
        const r = await grade(type, text);
        expect(r.pass, `${type} on ${text}: ${r.reason}`).toBe(true);
      }
    }
  });
});

describe('not-error', () => {
  it.each([
    ['⚠️ Error: upstream timeout', /error line|timeout/u],
    ['Why did the chicken cross the road? To get to the\n⚠️ Error: upstream timeout', /error/u],
    ['ERROR: model returned no choices', /error line/u],
    ['[ERROR] handler crashed', /error line/u],
    ['Ошибка: сервис недоступен', /error/u],
    ['Fehler: Zeitüberschreitung bei der Anfrage', /error/u],
    ['Erreur : délai d\'attente dépassé', /error/u],
    ['Error: tiempo de espera agotado', /error/u],
    ['The connection timed out.', /timeout/u],
    ['upstream connect error or disconnect/reset before headers', /upstream/u],
    ['no healthy upstream', /upstream/u],
    ['HTTP 502', /HTTP status/u],
    ['Request failed with status code 503', /HTTP status/u],
    ['503 Service Unavailable', /error phrasing|HTTP status/u],
    ['429 Too Many Requests', /rate limit|HTTP status/u],
    ['Rate limit exceeded, retry in 20s', /rate limit/u],
    ['TypeError: Cannot read properties of undefined (reading \'text\')', /error|exception/u],
    ['    at handler (/app/src/bot.js:10:5)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)', /stack trace/u],
    ['Traceback (most recent call last):\n  File "bot.py", line 3', /error phrasing|stack trace/u],
    ['Oops! Something went wrong. Please try again later.', /error phrasing/u],
    ['Что-то пошло не так 😢', /error phrasing/u],
    ['Etwas ist schiefgelaufen.', /error phrasing/u],
    ["Désolé, une erreur s'est produite.", /error phrasing/u],
    ['Lo sentimos, algo salió mal.', /error phrasing/u],
    ['connect ECONNREFUSED 127.0.0.1:11434', /upstream/u],
  ])('flags %s', async (text, family) => {
    const r = await grade('not-error', text);
    expect(r.pass, r.reason).toBe(false);
    expect(r.reason).toMatch(family);
  });

  it('takes extra phrasings from the value and from the config', async () => {
    expect((await grade('not-error', 'Our elves are on strike today.')).pass).toBe(true);
    expect((await grade('not-error', 'Our elves are on strike today.', 'elves are on strike')).pass).toBe(false);
    expect((await grade('not-error', 'Our elves are on strike today.', undefined, { errorPhrases: ['elves are on strike'] })).pass).toBe(false);
  });

  it('keeps its pattern table data-driven with families', () => {
    expect(new Set(ERROR_PATTERNS.map((p) => p.family))).toEqual(new Set(['error line', 'exception', 'timeout', 'upstream', 'rate limit', 'HTTP status', 'stack trace']));
  });
});

describe('not-leak', () => {
  it.each([
    ['The X1 weighs 1.2 kg.\n\nSYSTEM PROMPT: You are Orbi, the Acme assistant. Never mention competitors.', /system prompt/u],
    ['Sure! [debug] retrieved 3 chunks from kb-v2', /debug marker/u],
    ['DEBUG: user_id=42 intent=weather', /debug marker/u],
    ['Here you go. Internal note: customer is on the legacy plan', /internal note/u],
    ['<|im_start|>system\nYou are a bot<|im_end|>', /chat template/u],
    ['Answer: 42 {"role": "system", "content": "You are a helpful assistant"}', /JSON dump|message dump/u],
    ['{"choices": [{"message": {"content": "hi"}}], "usage": {"prompt_tokens": 12}}', /JSON dump/u],
    ['Done!\n    at Object.<anonymous> (/srv/bot/index.js:12:9)', /stack trace/u],
    ['Use key sk-proj-abcdefghijklmnopqrstuvwxyz012345', /OpenAI-style API key/u],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789', /GitHub token/u],
    ['AWS: AKIAIOSFODNN7EXAMPLE', /AWS access key/u],
    ['bot 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1 ok', /Telegram bot token/u],
    ['Системный промпт: ты — бот поддержки', /system prompt/u],
    ['Interne Notiz: Kunde ist verärgert', /internal note/u],
  ])('flags %s', async (text, what) => {
    const r = await grade('not-leak', text);
    expect(r.pass, r.reason).toBe(false);
    expect(r.reason).toMatch(what);
  });

  it('never repeats the secret in its reason', async () => {
    const secret = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';
    const r = await grade('not-leak', `here: ${secret}`);
    expect(r.reason).not.toContain(secret);
    expect(r.reason).not.toContain('abcdefghij');
  });

  it('passes JSON answers without internal keys, and takes RE2 patterns from value and config', async () => {
    expect((await grade('not-leak', '{"city": "Paris", "temperature_c": 21, "wind": "light"}')).pass).toBe(true);
    expect((await grade('not-leak', 'Ticket ACME-INT-4411 opened')).pass).toBe(true);
    expect((await grade('not-leak', 'Ticket ACME-INT-4411 opened', 'ACME-INT-\\d+')).pass).toBe(false);
    const viaConfig = await grade('not-leak', 'Ticket ACME-INT-4411 opened', undefined, { leakPatterns: ['ACME-INT-\\d+'] });
    expect(viaConfig.reason).toMatch(/configured leak pattern/u);
  });
});

describe('complete', () => {
  it.each([
    ['Why did the scarecrow win an award? Because he was outstanding in his fi', /last sentence stops/u],
    ['Here is a joke about cats and', /stops on "and"/u],
    ['The Orbit X1 weighs▌', /streaming cursor/u],
    ['Thinking… █', /streaming cursor/u],
    ['The three protocols are:', /mid-sentence/u],
    ['Zigbee, Matter,', /mid-sentence/u],
    ['Run this:\n```bash\nnpm install', /code block/u],
    ['Why did the chicken cross the road? To get to the\n⚠️ Error: upstream timeout', /error line follows/u],
    ['A pun walks into a bar. ⚠️ Error: upstream timeout', /error line follows/u],
    ['Вот шутка. Почему программист не любит природу? Потому что там слишком много', /mid-sentence|stops/u],
  ])('flags %s', async (text, why) => {
    const r = await grade('complete', text);
    expect(r.pass, r.reason).toBe(false);
    expect(r.reason).toMatch(why);
  });

  it('passes emoji, URL, code block, number and list endings', () => {
    for (const t of ['Sure! 👍', 'See https://acme.example/orbit', '```\nok\n```', 'Total: 42', '- one\n- two', 'Bye 👋🏽']) {
      expect(incompleteReason(t), t).toBeUndefined();
    }
  });
});

describe('not-refusal', () => {
  it.each([
    "As an AI, I don't have a sense of humour, but I can't tell jokes.",
    "I'm sorry, but I can't help with that.",
    'I cannot fulfill this request.',
    'Как ИИ, я не могу рассказывать шутки.',
    'Als KI kann ich dabei nicht helfen.',
    "En tant qu'IA, je ne peux pas vous aider.",
    'Como IA, no puedo ayudarte con eso.',
  ])('flags %s', async (text) => {
    const r = await grade('not-refusal', text);
    expect(r.pass, r.reason).toBe(false);
    expect(r.reason).toMatch(/refusal/u);
  });
});
