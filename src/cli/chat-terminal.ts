/**
 * The terminal side of `chat` and `record`: reads what the user types, prints what the bot does as it happens.
 * Local commands: /quit (or /exit, Ctrl-D, Ctrl-C), /<n> presses button n, /buttons lists them, /help; `//text`
 * sends `/text`. Anything else goes to the bot as typed. Bot text never reaches the terminal raw (safeText).
 */
import { createInterface, type Interface } from 'node:readline';
import { describeError } from './fatal.js';
import { safeText } from '../util/terminal-text.js';
import type { ChatSession } from '../app/chat-session.js';
import type { ChatEvent } from '../record/live-view.js';
import type { Turn } from '../record/transcript.js';

export interface TerminalChatOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Called for each turn completed (record keeps them). */
  onTurn?(turn: Turn): void;
  /** Ends the chat as /quit would (SIGTERM). */
  signal?: AbortSignal;
}

const HELP = 'type a message and press Enter · /1, /2 … press a button · /buttons lists them · //quit sends /quit · /quit ends';

export interface TerminalChat {
  /** Prints the bot's live events (the session calls it). */
  show(events: ChatEvent[]): void;
  /** Runs the read loop until the user quits; resolves once the last turn finished. */
  run(session: ChatSession): Promise<void>;
}

function indentLines(text: string): string {
  return safeText(text).split('\n').join('\n      ');
}

export function renderEvent(bot: string, ev: ChatEvent): string[] {
  const who = `@${safeText(bot, { singleLine: true })}`;
  switch (ev.kind) {
    case 'typing':
      return [`${who} is typing…`];
    case 'draft':
      return [`${who} (draft) ${indentLines(ev.text)}`];
    case 'message':
    case 'edit': {
      const body = ev.text.trim() === '' ? '[media or an empty message]' : indentLines(ev.text);
      const lines = [`${who}${ev.kind === 'edit' ? ' (edited)' : ''}: ${body}`];
      const flat = ev.buttons?.flat() ?? [];
      if (flat.length > 0) lines.push(`      ${flat.map((b, i) => `[${i + 1}] ${safeText(b.text, { singleLine: true })}`).join('   ')}`);
      return lines;
    }
    case 'delete':
      return [`${who} deleted a message`];
  }
}

function describeTurn(t: Turn): string {
  const r = t.reply;
  const ms = (v: number | undefined): string => (v === undefined ? '–' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`);
  if (r.messages.length === 0) return '  (no reply)';
  const answer = r.callbackAnswer !== undefined ? `; button answer: ${safeText(r.callbackAnswer, { singleLine: true })}` : '';
  return `  (first ${ms(r.latencyFirstMs)}, final ${ms(r.latencyFinalMs)}${r.settled ? '' : ', not settled'}${answer})`;
}

export function createTerminalChat(bot: string, o: TerminalChatOptions): TerminalChat {
  let rl: Interface | undefined;
  const tty = !!o.output.isTTY;
  const print = (lines: string[]): void => {
    if (tty && rl) o.output.write('\r\x1b[K');
    o.output.write(`${lines.join('\n')}\n`);
    if (tty && rl) rl.prompt(true);
  };
  return {
    show(events) {
      print(events.flatMap((e) => renderEvent(bot, e)));
    },
    run(session) {
      return new Promise<void>((resolve) => {
        const r = createInterface({ input: o.input, output: o.output, prompt: 'you> ', terminal: tty });
        rl = r;
        let chain: Promise<void> = Promise.resolve();
        let quitting = false;
        const quit = (): void => {
          if (quitting) return;
          quitting = true;
          void chain.then(() => {
            // what the bot said after the last turn (a reminder coming due) is part of the conversation too
            const t = session.takeUnasked();
            if (t) o.onTurn?.(t);
            rl = undefined;
            r.close();
            resolve();
          });
        };
        const handle = async (line: string): Promise<void> => {
          const text = line.trim();
          const unasked = session.takeUnasked();
          if (unasked) o.onTurn?.(unasked);
          if (text === '') return;
          if (text === '/quit' || text === '/exit') return quit();
          if (text === '/help') return print([HELP]);
          if (text === '/buttons') {
            const list = session.buttons();
            return print([list.length === 0 ? 'no buttons to press' : list.map((b) => `[${b.n}] ${safeText(b.button.text, { singleLine: true })}`).join('   ')]);
          }
          try {
            const press = /^\/(\d+)$/u.exec(text);
            const turn = press ? await session.press(Number(press[1])) : await session.send(text.startsWith('//') ? text.slice(1) : text);
            o.onTurn?.(turn);
            print([describeTurn(turn)]);
          } catch (e) {
            print([`! ${safeText(describeError(e).replace(/^tg-canary: /u, ''))}`]);
          }
        };
        let quitTyped = false;
        r.on('line', (line) => {
          // lines typed after /quit (pasted, or typed while a reply was awaited) are never sent
          if (quitting || quitTyped) return;
          if (/^\/(quit|exit)$/u.test(line.trim())) quitTyped = true;
          chain = chain.then(() => handle(line)).then(() => {
            if (!quitting) r.prompt();
          });
        });
        r.on('SIGINT', quit);
        r.on('close', quit);
        o.signal?.addEventListener('abort', quit, { once: true });
        print([`chatting with @${safeText(bot, { singleLine: true })} as the test user · ${HELP}`]);
        r.prompt();
      });
    },
  };
}
