import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { cliEnv, startSandboxChild, tempDir, CLI } from './lib.mjs';
const sb = await startSandboxChild(); const tmp = tempDir();
const env = cliEnv(sb.env, tmp.dir, { MESSAGE_PACING_MS: '0' });
const { spawn } = await import('node:child_process');
const run = (args) => new Promise((res) => { const c = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }); let e=''; c.stdout.resume(); c.stderr.on('data', d => e += d); c.on('close', () => res(e)); });
await run([CLI, 'run', '--target', 'canary', '--scenario', 'favor-convert-units', '--json']);
rmSync('/tmp/b8/prof', { recursive: true, force: true }); mkdirSync('/tmp/b8/prof');
const err = await run(['--cpu-prof', '--cpu-prof-dir=/tmp/b8/prof', '--import', './bench/_pre_tmp.mjs', CLI, 'run', '--target', 'canary', '--scenario', 'favor-convert-units', '--json']);
const at = Number(/CONNECT_AT (\d+)/.exec(err)[1]); console.log('connect at', at);
const p = JSON.parse(readFileSync('/tmp/b8/prof/' + readdirSync('/tmp/b8/prof')[0]));
const byId = new Map(p.nodes.map(n => [n.id, n])); const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const cat = (id) => { // attribute to the first dist/ or node_modules package frame from the leaf upward
  for (let x = id; x !== undefined; x = parent.get(x)) { const u = byId.get(x).callFrame.url; if (u.includes('node_modules/')) return u.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1'); if (u.includes('/dist/')) return u.replace(/.*\/dist\//, 'dist/'); }
  return byId.get(id).callFrame.functionName || '(native)'; };
let t = 0; const agg = new Map();
p.samples.forEach((s, i) => { t += p.timeDeltas[i] / 1000; if (t > at) return; const k = cat(s); agg.set(k, (agg.get(k) ?? 0) + p.timeDeltas[i] / 1000); });
[...agg].sort((a, b) => b[1] - a[1]).slice(0, 30).forEach(([k, v]) => console.log(v.toFixed(0).padStart(6), k));
await sb.stop(); tmp.remove(); process.exit(0);
