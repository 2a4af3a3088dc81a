// experiment: patch PromisedNetSockets to setNoDelay(true) when BENCH_NODELAY=1
import { PromisedNetSockets } from 'telegram/extensions/index.js';
if (process.env.BENCH_NODELAY === '1') {
  const orig = PromisedNetSockets.prototype.connect;
  PromisedNetSockets.prototype.connect = async function (...a) { const r = await orig.apply(this, a); this.client?.setNoDelay(true); return r; };
}
