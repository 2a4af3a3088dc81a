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
import type { AlertMessage, Notifier } from '../core/ports.js';
import { scrubSecrets } from '../delivery/escape.js';
import { alertEmailHtml, alertPlainText } from './format.js';
import { DeliveryError } from '../delivery/http.js';

export type RenderPdf = (htmlFile: string, pdfFile: string, opts: { chromiumPath: string; timeoutMs?: number }) => Promise<void>;

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
  /** PDF renderer; defaults to `renderPdf` of src/reporters/pdf.ts. */
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
    const render = opts.renderPdf ?? (await loadRenderPdf());
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

/** Loads src/reporters/pdf.ts lazily so Chromium-less installs never load playwright-core. */
async function loadRenderPdf(): Promise<RenderPdf> {
  const mod = await import('../reporters/pdf.js');
  return mod.renderPdf;
}
