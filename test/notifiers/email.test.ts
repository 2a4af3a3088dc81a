import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/core/alert-policy.js';
import type { AlertMessage } from '../../src/core/ports.js';
import { lazyRenderPdf } from '../../src/app/deliveries.js';
import { createEmailNotifier, DeliveryError, NOTIFIERS } from '../../src/notifiers/index.js';
import { EVIL, makeRun } from './fixtures.js';
import { startSmtp, type Smtp } from './smtp.js';

const CHROMIUM = '/usr/bin/chromium';
let dir: string;
let smtp: Smtp | undefined;

beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'tgc-email-')); });
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
  await rm(dir, { recursive: true, force: true });
});

function alert(): AlertMessage {
  const run = makeRun('run-mail-1', 'fail', 1_700_000_000_000);
  return evaluateAlerts({ verdict: run.verdict, previous: {}, now: run.finishedAt,
    policy: { failureThreshold: 1, successThreshold: 1, reminderIntervalMs: 0, inconclusiveThreshold: 3 } }).alerts[0];
}

async function writeReport(runId: string): Promise<void> {
  await mkdir(join(dir, runId), { recursive: true });
  await writeFile(join(dir, runId, 'report.html'), '<!doctype html><html><body><h1>tg-canary report</h1><p>canary failed</p></body></html>');
}

const base = { host: '127.0.0.1', secure: false, from: 'canary@example.test', to: ['oncall@example.test', 'lead@example.test'] };

describe('email notifier (real SMTP server on loopback)', () => {
  it.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('sends HTML + text bodies with bot text escaped and the report as a PDF', async () => {
    smtp = await startSmtp();
    await writeReport('run-mail-1');
    const n = createEmailNotifier({ ...base, port: smtp.port, attachPdf: true, chromiumPath: CHROMIUM, reportsDir: dir, renderPdf: lazyRenderPdf });
    await n.send(alert());
    expect(smtp.mails).toHaveLength(1);
    const m = smtp.mails[0];
    expect(m.subject).toBe('[tg-canary] canary FAILING: 1/4 scenarios failed');
    expect(m.from?.text).toBe('canary@example.test');
    const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join(',') : m.to?.text;
    expect(to).toContain('oncall@example.test');
    expect(to).toContain('lead@example.test');
    expect(m.text).toContain('canary is FAILING');
    expect(m.text).toContain(EVIL); // plain text carries the raw reply
    const html = String(m.html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(m.attachments).toHaveLength(1);
    const pdf = m.attachments[0];
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.filename).toBe('tg-canary-run-mail-1.pdf');
    expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('attaches nothing and says so when Chromium is missing', async () => {
    smtp = await startSmtp();
    await writeReport('run-mail-1');
    const n = createEmailNotifier({ ...base, port: smtp.port, attachPdf: true, chromiumPath: join(dir, 'no-chromium'), reportsDir: dir });
    await n.send(alert());
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].attachments).toHaveLength(0);
    expect(smtp.mails[0].text).toContain('rendering it needs Chromium');
    expect(String(smtp.mails[0].html)).toContain('rendering it needs Chromium');
  });

  it('through the plugin: the PDF renderer comes from deps (notifiers never import reporters/)', async () => {
    smtp = await startSmtp();
    await writeReport('run-mail-1');
    const cfg = NOTIFIERS.email.schema.parse({ ...base, port: smtp.port });
    const rendered: string[] = [];
    const n = NOTIFIERS.email.create(cfg, {
      chromiumPath: process.execPath, // exists; the injected renderer decides what happens
      reportsDir: dir,
      renderPdf: async (html, pdf) => {
        rendered.push(html);
        await writeFile(pdf, '%PDF-1.4 injected');
      },
    });
    await n.send(alert());
    expect(rendered).toEqual([join(dir, 'run-mail-1', 'report.html')]);
    expect(smtp.mails[0].attachments).toHaveLength(1);
    expect(smtp.mails[0].attachments[0].content.toString('latin1')).toBe('%PDF-1.4 injected');

    const bare = NOTIFIERS.email.create(cfg, { chromiumPath: process.execPath, reportsDir: dir });
    await bare.send(alert());
    expect(smtp.mails[1].attachments).toHaveLength(0);
    expect(smtp.mails[1].text).toContain('no PDF renderer is available');
  });

  it('through the plugin: an empty recipient list is a config error with a hint', () => {
    const cfg = { ...NOTIFIERS.email.schema.parse({ ...base }), to: [] };
    expect(() => NOTIFIERS.email.create(cfg, { chromiumPath: '/nope' })).toThrow(expect.objectContaining({ code: 'ALERT_EMAIL_NO_RECIPIENT', hint: expect.stringContaining('ALERT_EMAIL_TO') }));
  });

  it('authenticates with user/password and never leaks the password on failure', async () => {
    smtp = await startSmtp({ user: 'canary', password: 'right-pass' });
    const good = createEmailNotifier({ ...base, port: smtp.port, user: 'canary', password: 'right-pass', attachPdf: false, chromiumPath: CHROMIUM });
    await good.send(alert());
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].attachments).toHaveLength(0);

    const bad = createEmailNotifier({ ...base, port: smtp.port, user: 'canary', password: 'wrong-pass-s3cret', attachPdf: false, chromiumPath: CHROMIUM });
    const err = await bad.send(alert()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).code).toBe('EMAIL_SEND_FAILED');
    expect(JSON.stringify({ m: (err as Error).message, h: (err as DeliveryError).hint })).not.toContain('wrong-pass-s3cret');
    expect(smtp.mails).toHaveLength(1);
  });
});
