/**
 * `--from-history N`: the last N messages of an existing chat with the bot → a transcript. Each message the user
 * sent becomes a `send` turn, the bot messages up to the next one its reply; timings come from Telegram's message
 * dates (second resolution, marked approximate). Button presses leave no message in a chat's history, so a flow
 * through buttons shows only as the edited message: the writer cannot know a press happened.
 */
import type { ObservedMessage, Transcript, Turn } from './transcript.js';
import { largestGap } from './timing.js';

export interface HistoryMessage {
  out: boolean;
  text: string;
  /** ms */
  date: number;
  editDate?: number;
  buttons?: { text: string }[][];
}

export function transcriptFromHistory(bot: string, messages: readonly HistoryMessage[]): Transcript {
  const turns: Turn[] = [];
  let prompt: HistoryMessage | undefined;
  let replies: HistoryMessage[] = [];
  const flush = (): void => {
    if (!prompt) return;
    const first = replies[0];
    const last = replies.reduce((t, m) => Math.max(t, m.editDate ?? m.date), first?.date ?? prompt.date);
    const shown: ObservedMessage[] = replies.map((m) => ({ text: m.text, buttons: m.buttons?.map((r) => r.map((b) => b.text)) }));
    turns.push({
      action: { kind: 'send', text: prompt.text },
      reply: {
        messages: shown,
        text: shown.map((m) => m.text).join('\n'),
        latencyFirstMs: first ? Math.max(0, first.date - prompt.date) : undefined,
        latencyFinalMs: first ? Math.max(0, last - prompt.date) : undefined,
        maxGapMs: largestGap(replies.map((m) => m.date)),
        settled: true,
        approximate: true,
      },
    });
  };
  for (const m of messages) {
    if (m.out) {
      flush();
      prompt = m.text.trim() === '' ? undefined : m;
      replies = [];
    } else if (prompt) {
      replies.push(m);
    }
  }
  flush();
  return { bot: bot.replace(/^@/u, ''), turns, source: 'history' };
}
