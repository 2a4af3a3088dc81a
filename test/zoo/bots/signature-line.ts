/** Healthy: marketing asked for a signature line under every generated answer ("— Acme Assistant 🛰️"). */
import { GENERATED, rewrite, topicOf } from './kit.js';

export default rewrite({ text: (t, msg, kind) => (kind !== 'draft' && GENERATED.has(topicOf(msg.text)) ? `${t}\n\n— Acme Assistant 🛰️` : t) });
