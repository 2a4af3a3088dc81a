#!/usr/bin/env node
// Regenerates docs/status-page.png and docs/report.png: seeds 30 days of history (scripts/seed-demo-history.mjs:
// two incidents, a silence), writes a maintenance config (one active run-silently window, one weekly pause window),
// starts `tg-canary demo --serve` on them on a free loopback port, waits for its first run, screenshots the status page and that run's HTML report in headless Chromium
// (scripts/screenshots.mjs), then stops the daemon. Usage: npm run screenshots
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const reports = mkdtempSync(join(tmpdir(), 'tg-canary-shots-'));
const db = join(reports, 'history.db');
execFileSync(process.execPath, [join(root, 'scripts/seed-demo-history.mjs'), db], { stdio: 'inherit' });
const maintenance = join(reports, 'maintenance.yaml');
const now = Date.now();
writeFileSync(maintenance, `maintenance:
  mode: pause
  windows:
    - name: bot-migration
      mode: run-silently
      start: ${new Date(now - 20 * 60_000).toISOString()}
      end: ${new Date(now + 100 * 60_000).toISOString()}
      match: { target: canary, suite: memory }
    - name: weekly-db-maintenance
      cron: "0 3 * * sun"
      duration: 2h
`);
const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'demo', '--serve', '--port', String(port), '--reports-dir', reports,
  '--db', db, '--maintenance', maintenance], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
try {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error('the demo run did not finish within 120 s');
    const v = await fetch(`${base}/v1/verdict?target=canary`).then((r) => r.json()).catch(() => null);
    if (v && v.verdict !== 'pending' && v.runId && !String(v.runId).startsWith('seed-')) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  execFileSync(process.execPath, [join(root, 'scripts/screenshots.mjs'), `${base}/`, join(reports, 'latest.html'), join(root, 'docs')], { stdio: 'inherit' });
} finally {
  child.kill('SIGTERM');
}
