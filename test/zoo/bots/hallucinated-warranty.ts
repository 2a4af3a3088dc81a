/** Broken: a smaller model answers from its weights, not the KB — a 1-year warranty and a 12-hour battery. */
import { rewrite } from './kit.js';

export default rewrite({ text: (t) => t.replace('2-year warranty', '1-year warranty').replace('18 hours', '12 hours') });
