/** Healthy: a new persona decorates every message with emoji ("🤖 … ✨"); the facts are untouched. */
import { rewrite } from './kit.js';

export default rewrite({ text: (t) => `🤖 ${t} ✨` });
