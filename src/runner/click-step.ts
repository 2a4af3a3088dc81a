/**
 * The keyboard and button side of a `click:` step (issue 18.3): reply-keyboard buttons (their text is sent as a
 * message), URL buttons (optionally opened in Chromium), Mini App buttons (messages.requestWebView, then the
 * signed page in Chromium), switch-inline buttons (their query is recorded; inline mode itself is the `inline:`
 * step's), and the checks of a callback answer (alert or toast, text).
 */
import type { BotDriver, BotPeer } from '../core/ports.js';
import type { AssertionResult, ButtonMatcher, CallbackAnswerSpec, InlineButton, Reply, ReplyKeyboard, Scenario, Step, TargetName } from '../core/types.js';
import { TgCanaryError } from '../core/errors.js';
import { cachedSafeRegex } from '../util/safe-regex.js';

type ClickStep = Extract<Step, { kind: 'click' }>;
type WebStep = Extract<Step, { kind: 'web' }>;
export type WebFn = (step: WebStep, ctx: { scenario: Scenario; target: TargetName; signal: AbortSignal; index?: number }) => Promise<{ pass: boolean; detail: string; reason?: string }>;

const DEFAULT_PAGE_TIMEOUT_MS = 10_000;

const show = (s: string, n = 80): string => JSON.stringify(s.length > n ? `${s.slice(0, n)}…` : s);

function matches(matcher: ButtonMatcher, text: string): boolean {
  return 'text' in matcher ? text === matcher.text : cachedSafeRegex(matcher.regex).test(text);
}

/** The reply keyboard shown after `reply`: its last keyboard, none after a removal, else the one shown before. */
export function nextKeyboard(current: ReplyKeyboard | undefined, reply: Reply): ReplyKeyboard | undefined {
  let kb = current;
  for (const m of reply.messages) {
    if (m.deleted) continue;
    if (m.keyboard) kb = m.keyboard;
    else if (m.keyboardRemoved) kb = undefined;
  }
  return kb;
}

/** The text of the reply-keyboard button the matcher names, if the keyboard shown has one. */
export function findKeyboardButton(kb: ReplyKeyboard | undefined, matcher: ButtonMatcher): string | undefined {
  for (const row of kb?.rows ?? []) for (const t of row) if (matches(matcher, t)) return t;
  return undefined;
}

const result = (type: string, pass: boolean, step: number, reason: string): AssertionResult => ({ type, pass, score: pass ? 1 : 0, weight: 1, critical: true, step, reason });

/** `expect-answer:` against a button press's answer. */
export function answerAssertions(spec: CallbackAnswerSpec | undefined, res: { answer?: string; alert?: boolean }, step: number, expand: (s: string) => string): AssertionResult[] {
  if (!spec) return [];
  const out: AssertionResult[] = [];
  const text = res.answer ?? '';
  const form = res.answer === undefined || res.answer === '' ? 'no answer text' : res.alert ? `an alert ${show(text)}` : `a toast ${show(text)}`;
  if (spec.alert !== undefined) {
    const ok = (res.alert === true) === spec.alert && text !== '';
    out.push(result('callback-answer', ok, step, ok ? `answered with ${form}` : `expected ${spec.alert ? 'an alert' : 'a toast'}, got ${form}`));
  }
  const checks: [string | undefined, (want: string) => boolean, string][] = [
    [spec.equals, (w) => text === w, 'equal'],
    [spec.icontains, (w) => text.toLowerCase().includes(w.toLowerCase()), 'contain'],
    [spec.regex, (w) => cachedSafeRegex(w).test(text), 'match'],
  ];
  for (const [raw, test, verb] of checks) {
    if (raw === undefined) continue;
    const want = expand(raw);
    const ok = text !== '' && test(want);
    out.push(result('callback-answer', ok, step, ok ? `answer ${show(text)}` : `answer is ${form}, expected it to ${verb} ${show(want)}`));
  }
  return out;
}

/** The signed Mini App URL without its init data (the fragment authenticates the test user: never in reports). */
export function redactWebAppUrl(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? url : `${url.slice(0, i)}#tgWebAppData=[redacted]`;
}

export interface LinkPressInput {
  driver: BotDriver;
  web?: WebFn;
  bot: BotPeer;
  step: ClickStep;
  button: InlineButton;
  scenario: Scenario;
  target: TargetName;
  signal: AbortSignal;
  index: number;
  /** A reply keyboard's Mini App button (messages.requestSimpleWebView). */
  simple?: boolean;
}

/** Presses an inline button that is not a callback button; returns the transcript detail and the findings. */
export async function pressLinkButton(i: LinkPressInput): Promise<{ detail: string; assertions: AssertionResult[] }> {
  const { button: b, index } = i;
  const kind = b.kind ?? 'callback';
  const out: AssertionResult[] = [];
  if (i.step.answer) out.push(result('callback-answer', false, index, `${show(b.text)} is a ${kind} button: pressing it gets no callback answer`));
  const open = async (url: string, shown: string, type: string): Promise<string> => {
    if (!i.web) throw new TgCanaryError('WEB_UNAVAILABLE', `opening ${kind} button ${show(b.text)} needs Chromium`, { kind: 'infra', hint: 'Set CHROMIUM_PATH or install Debian chromium.' });
    const o = i.step.open ?? { screenshot: false, timeoutMs: DEFAULT_PAGE_TIMEOUT_MS };
    const page: WebStep = { kind: 'web', url, screenshot: o.screenshot, timeoutMs: o.timeoutMs, ...(o.text !== undefined ? { text: o.text } : {}), ...(o.selector !== undefined ? { selector: o.selector } : {}) };
    const res = await i.web(page, { scenario: i.scenario, target: i.target, signal: i.signal, index });
    const clean = (s: string): string => s.split(url).join(shown);
    out.push(result(type, res.pass, index, clean(res.reason ?? res.detail)));
    return clean(res.detail);
  };
  switch (kind) {
    case 'url': {
      const url = b.url ?? '';
      if (!i.step.open) return { detail: `URL button → ${url}`, assertions: out };
      if (!/^https?:\/\//iu.test(url)) {
        out.push(result('web', false, index, `URL button ${show(b.text)} links to ${show(url)}, which is not an http(s) page`));
        return { detail: `URL button → ${url}`, assertions: out };
      }
      return { detail: `URL button → ${await open(url, url, 'web')}`, assertions: out };
    }
    case 'webapp': {
      if (!i.driver.openWebApp) throw new TgCanaryError('WEBAPP_UNSUPPORTED', 'this driver cannot open Mini Apps', { kind: 'internal' });
      const { url } = await i.driver.openWebApp(i.bot, b, { simple: i.simple });
      const shown = redactWebAppUrl(url);
      return { detail: `Mini App → ${await open(url, shown, 'mini-app')}`, assertions: out };
    }
    case 'switch-inline':
      return { detail: `switch-inline button: query ${show(b.query ?? '')} (not sent: inline queries are the inline step's)`, assertions: out };
    default:
      out.push(result('click', false, index, `${show(b.text)} is a button tg-canary cannot press (a game, payment, copy or similar button)`));
      return { detail: `unsupported button ${show(b.text)}`, assertions: out };
  }
}
