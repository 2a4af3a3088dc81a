/**
 * Email alerts with nodemailer: an HTML and a text body (everything from the run escaped) and, when asked, the
 * run's HTML report rendered to PDF in Chromium and attached. Without Chromium (or without a report) nothing is
 * attached and the body says why; the alert itself is still sent.
 */
import { safeText } from '../util/terminal-text.js';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import { z } from '../schema-kit/zod.js';
import { int } from '../config/schema-parts.js';
import { configError } from '../core/errors.js';
import { defineNotifier, type RenderPdf } from '../delivery/plugin.js';
import type { AlertMessage, Notifier } from '../core/ports.js';
import { scrubSecrets } from '../delivery/escape.js';
import { alertEmailHtml, alertPlainText } from './format.js';
import { DeliveryError } from '../delivery/http.js';

export type { RenderPdf } from '../delivery/plugin.js';

export interface EmailNotifierOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  to: string[];
  attachPdf: boolean;
  chromiumPath: string;
  /** Where `<runId>/report.html` lives when the alert carries no `reportDir`. Default `./reports`. */
  reportsDir?: string;
  timeoutMs?: number;
  /** PDF renderer (the composition root injects src/reporters/pdf.ts); without one nothing is attached. */
  renderPdf?: RenderPdf;
}

interface Attachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export function createEmailNotifier(opts: EmailNotifierOptions): Notifier {
  const timeout = opts.timeoutMs ?? 15_000;
  // nodemailer is imported on the first alert, not at start: it costs ~0.15 s of every cold start (CronJob).
  let transport: Promise<Transporter> | undefined;
  const getTransport = (): Promise<Transporter> =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host: opts.host,
        port: opts.port,
        secure: opts.secure,
        auth: opts.user ? { user: opts.user, pass: opts.password ?? '' } : undefined,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      }),
    ));
  const secrets = [opts.password];

  return {
    name: 'email',
    async send(msg: AlertMessage): Promise<void> {
      const notes: string[] = [];
      const attachments: Attachment[] = [];
      if (opts.attachPdf) {
        const pdf = await reportPdf(msg, opts, notes);
        if (pdf) attachments.push(pdf);
      }
      try {
        await (await getTransport()).sendMail({
          from: opts.from,
          to: opts.to.join(', '),
          subject: safeText(msg.subject, { singleLine: true }),
          // the same Message-ID on every attempt of one delivery: mail systems and readers drop the copy
          ...(msg.idempotencyKey ? { messageId: emailMessageId(msg.idempotencyKey) } : {}),
          text: alertPlainText(msg, notes),
          html: alertEmailHtml(msg, notes),
          attachments,
        });
      } catch (e) {
        const text = e instanceof Error ? e.message : String(e);
        throw new DeliveryError('EMAIL_SEND_FAILED', `email: ${scrubSecrets(text, secrets)}`, {
          hint: `Check SMTP_HOST/SMTP_PORT (${opts.host}:${opts.port}) and the SMTP credentials; retried by the outbox.`,
        });
      }
    },
  };
}

/** `<key@tg-canary>` with the key reduced to characters valid in a Message-ID's left part. */
export function emailMessageId(key: string): string {
  return `<${key.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '.')}@tg-canary>`;
}

async function reportPdf(msg: AlertMessage, opts: EmailNotifierOptions, notes: string[]): Promise<Attachment | undefined> {
  const dir = msg.reportDir ?? join(opts.reportsDir ?? 'reports', msg.runId);
  const html = join(dir, 'report.html');
  if (!existsSync(opts.chromiumPath)) {
    notes.push(`The PDF report is not attached: rendering it needs Chromium (not found at ${opts.chromiumPath}; set CHROMIUM_PATH).`);
    return undefined;
  }
  if (!existsSync(html)) {
    notes.push(`The PDF report is not attached: no HTML report found for run ${msg.runId}.`);
    return undefined;
  }
  const tmp = await mkdtemp(join(tmpdir(), 'tg-canary-pdf-'));
  try {
    const render = opts.renderPdf;
    if (!render) {
      notes.push('The PDF report is not attached: no PDF renderer is available in this process.');
      return undefined;
    }
    const file = join(tmp, 'report.pdf');
    await render(html, file, { chromiumPath: opts.chromiumPath, timeoutMs: 30_000 });
    return { filename: `tg-canary-${safeName(msg.runId)}.pdf`, content: await readFile(file), contentType: 'application/pdf' };
  } catch (e) {
    notes.push(`The PDF report is not attached: rendering failed (${e instanceof Error ? e.message.slice(0, 200) : 'unknown error'}).`);
    return undefined;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
}

const schema = z.strictObject({
  host: z.string().min(1),
  port: int(1, 65535).default(587),
  secure: z.boolean().default(false),
  user: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  from: z.string().min(3),
  to: z.array(z.string().regex(/^[^\s@]+@[^\s@]+$/, { message: 'is not an email address' })).min(1),
  attachPdf: z.boolean().default(true),
});

export const emailPlugin = defineNotifier({
  name: 'email',
  configKey: 'email',
  schema,
  direct: true,
  envVars: [
    { name: 'SMTP_HOST', field: 'host', kind: 'string', doc: 'SMTP server; setting it turns email alerts on.', example: 'smtp.example.com' },
    { name: 'SMTP_PORT', field: 'port', kind: 'int', doc: 'SMTP port.', default: '587' },
    { name: 'SMTP_SECURE', field: 'secure', kind: 'bool', doc: 'Use TLS from the start (port 465); otherwise STARTTLS when offered.', default: 'false' },
    { name: 'SMTP_USER', field: 'user', kind: 'string', doc: 'SMTP user name.', example: 'canary@example.com' },
    { name: 'SMTP_PASSWORD', field: 'password', kind: 'string', doc: 'SMTP password.', fromFile: true, example: 'change-me' },
    { name: 'ALERT_EMAIL_FROM', field: 'from', kind: 'string', doc: 'Sender address of alert emails (required with SMTP_HOST).', example: 'tg-canary <canary@example.com>' },
    { name: 'ALERT_EMAIL_TO', field: 'to', kind: 'list', doc: 'Comma-separated recipients (required with SMTP_HOST).', example: 'oncall@example.com,dev@example.com' },
    { name: 'ALERT_EMAIL_PDF', field: 'attachPdf', kind: 'bool', doc: 'Attach the PDF report to alert emails.', default: 'true' },
  ],
  secrets: ['password'],
  create(cfg, deps) {
    if (cfg.to.length === 0) {
      throw configError('ALERT_EMAIL_NO_RECIPIENT', 'alerts.email.to is empty', 'Set ALERT_EMAIL_TO to a comma-separated list.');
    }
    return createEmailNotifier({
      ...cfg,
      attachPdf: cfg.attachPdf && !deps.direct,
      chromiumPath: deps.chromiumPath,
      reportsDir: deps.reportsDir,
      renderPdf: deps.renderPdf,
      timeoutMs: deps.timeoutMs,
    });
  },
});
