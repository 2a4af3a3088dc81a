/** Broken: the model provider times out mid-generation; the joke is cut mid-sentence and ends in an error line. */
import { rewrite, topicOf } from './kit.js';

export default rewrite({
  text: (t, msg) => {
    if (topicOf(msg.text) !== 'joke') return t;
    const words = t.split(' ');
    return `${words.slice(0, Math.max(3, Math.floor(words.length / 2))).join(' ')}\n⚠️ Error: upstream timeout`;
  },
});
