import { dist, startSandboxChild, median, quantile } from './lib.mjs';
import { PromisedNetSockets } from 'telegram/extensions/index.js';
let noDelayNext = false;
const orig = PromisedNetSockets.prototype.connect;
PromisedNetSockets.prototype.connect = async function (...a) { const r = await orig.apply(this, a); if (noDelayNext) this.client?.setNoDelay(true); return r; };
const { createTelegramClient } = await dist('telegram/client-factory.js');
const { GramjsDriver } = await dist('telegram/driver.js');
const { systemClock } = await dist('core/clock.js');
const { silentLogger } = await dist('util/logger.js');
const sb = await startSandboxChild(); const { info } = sb;
const mk = async (nd) => { noDelayNext = nd; const d = new GramjsDriver({ client: createTelegramClient({ session: info.session, apiId: info.apiId, apiHash: info.apiHash, dc: { host: info.host, port: info.port } }), clock: systemClock, logger: silentLogger(), rpcTimeoutMs: 15000, pacingMs: 0 }); await d.connect(); return { d, bot: await d.resolveBot('bench_bot'), xs: [] }; };
const A = await mk(false); const B = await mk(true);
const L = Number(process.argv[2] ?? 0);
for (let i = 0; i < 300; i++) for (const x of [A, B]) { const s = await x.d.send(x.bot, `p L=${L}`); const r = await x.d.waitForReply(x.bot, s, { timeoutMs: 10000, settleMs: 20, minMessages: 1 }); if (i >= 20) x.xs.push(r.latencyFinalMs - L); }
for (const [n, x] of [['nagle', A], ['nodelay', B]]) console.log(n, 'median', median(x.xs), 'p90', quantile(x.xs, 90), 'p99', quantile(x.xs, 99));
await A.d.close(); await B.d.close(); await sb.stop(); process.exit(0);
