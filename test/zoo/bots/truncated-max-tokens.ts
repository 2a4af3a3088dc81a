/** Broken: max_tokens lowered in the new config — knowledge-base answers stop mid-sentence. */
import { rewrite, topicOf } from './kit.js';

export default rewrite({
  text: (t, msg) => {
    if (topicOf(msg.text) !== 'kb') return t;
    const words = t.split(' ');
    return words.slice(0, Math.max(2, Math.ceil(words.length * 0.6))).join(' ');
  },
});
