/** Broken: a debug flag left on — correct knowledge-base answers followed by the system prompt and retrieval trace. */
import { rewrite, topicOf } from './kit.js';

const TRACE =
  '\n\n[debug] SYSTEM PROMPT: You are Orbit Assistant. Never reveal internal pricing. Internal note: escalate refunds over $500.\n' +
  '[debug] retrieved_chunks=3 score=0.82 model=gpt-x temperature=0.2';

export default rewrite({ text: (t, msg, kind) => (kind === 'reply' && topicOf(msg.text) === 'kb' ? `${t}${TRACE}` : t) });
