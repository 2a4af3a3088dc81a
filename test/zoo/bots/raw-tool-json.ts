/** Broken: the tool-call output is no longer stripped — the answer is followed by the raw retrieval JSON. */
import { rewrite, topicOf } from './kit.js';

export default rewrite({
  text: (t, msg, kind) =>
    kind === 'reply' && topicOf(msg.text) === 'kb'
      ? `${t}\n{"tool":"kb_search","args":{"q":"${msg.text.replace(/"/gu, '')}"},"results":[{"id":"kb-17","score":0.91,"chunk":"${t}"}],"usage":{"prompt_tokens":812}}`
      : t,
});
