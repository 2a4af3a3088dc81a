/** Building replies and contexts by hand: for grading a known text (CLI checks, docs examples, tests). */
import type { Reply, ReplyMessage } from '../core/types.js';
import type { ScorerContext } from './types.js';

export interface TextReplyOptions {
  sentAt?: number;
  latencyFirstMs?: number;
  latencyFinalMs?: number;
  edits?: number;
}

/** A settled reply made of the given message texts (none = an empty reply: no message arrived). */
export function textReply(texts: string | string[], opts: TextReplyOptions = {}): Reply {
  const list = typeof texts === 'string' ? [texts] : texts;
  const sentAt = opts.sentAt ?? 0;
  const first = sentAt + (opts.latencyFirstMs ?? 0);
  const final = sentAt + (opts.latencyFinalMs ?? opts.latencyFirstMs ?? 0);
  const messages: ReplyMessage[] = list.map((text, i) => ({
    id: i + 1,
    text,
    firstSeenAt: first,
    lastChangeAt: final,
    edits: i === list.length - 1 ? (opts.edits ?? 0) : 0,
  }));
  const any = messages.length > 0;
  return {
    messages,
    text: list.join('\n'),
    sentAt,
    firstAt: any ? first : undefined,
    finalAt: any ? final : undefined,
    latencyFirstMs: any ? first - sentAt : undefined,
    latencyFinalMs: any ? final - sentAt : undefined,
    editCount: opts.edits ?? 0,
    messageCount: messages.length,
    settled: true,
  };
}

/** A scorer context with neutral defaults; `over` replaces any field. */
export function scorerContext(reply: Reply, over: Partial<ScorerContext> = {}): ScorerContext {
  return {
    reply,
    vars: {},
    scenario: { name: 'adhoc', suite: 'adhoc', file: `${process.cwd()}/adhoc.yaml` },
    target: 'canary',
    recentReplies: () => [],
    ...over,
  };
}
