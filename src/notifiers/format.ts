/** Renders an AlertMessage for each medium. Everything from the run (bot replies, reasons) is escaped. */
import type { AlertMessage } from '../core/ports.js';
import { escapeHtml, escapeTelegramHtml, truncateEscaped } from '../delivery/escape.js';
import { safeText } from '../util/terminal-text.js';

export const TELEGRAM_MAX_CHARS = 4096;

export const KIND_COLOR: Record<AlertMessage['kind'], string> = {
  failing: '#b42318',
  reminder: '#b54708',
  resolved: '#067647',
  inconclusive: '#6941c6',
  'inconclusive-resolved': '#067647',
};

export const KIND_ICON: Record<AlertMessage['kind'], string> = {
  failing: '🔴',
  reminder: '🟠',
  resolved: '✅',
  inconclusive: '❔',
  'inconclusive-resolved': '✅',
};

/** Plain text body (email text part). */
export function alertPlainText(msg: AlertMessage, notes: string[] = []): string {
  const lines = [safeText(msg.subject, { singleLine: true }), '', safeText(msg.text)];
  if (notes.length > 0) lines.push('', ...notes);
  lines.push('', `Run: ${msg.runId}`, 'Verdict JSON:', JSON.stringify(msg.verdict.targets, null, 2));
  return lines.join('\n');
}

/** Self-contained HTML email body. */
export function alertEmailHtml(msg: AlertMessage, notes: string[] = []): string {
  msg = { ...msg, subject: safeText(msg.subject, { singleLine: true }), text: safeText(msg.text) };
  const color = KIND_COLOR[msg.kind];
  const rows = msg.verdict.scenarios
    .map((s) => {
      const status = escapeHtml(s.status);
      const cls = s.status === 'pass' ? '#067647' : s.status === 'fail' ? '#b42318' : '#667085';
      const latency = s.latencyMs.final === null ? '—' : `${s.latencyMs.final} ms`;
      return `<tr><td>${escapeHtml(s.target)}</td><td>${escapeHtml(s.suite)}</td><td>${escapeHtml(s.name)}</td>`
        + `<td style="color:${cls};font-weight:bold">${status}</td><td>${s.score.toFixed(2)}</td><td>${escapeHtml(latency)}</td>`
        + `<td>${escapeHtml(safeText(s.reasons.join('; ')))}</td></tr>`;
    })
    .join('\n');
  const noteHtml = notes.map((n) => `<p style="color:#667085">${escapeHtml(n)}</p>`).join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(msg.subject)}</title></head>
<body style="font-family:system-ui,sans-serif;color:#101828">
<h2 style="color:${color}">${escapeHtml(msg.subject)}</h2>
<pre style="white-space:pre-wrap;font-family:inherit">${escapeHtml(msg.text)}</pre>
<table cellpadding="4" cellspacing="0" border="1" style="border-collapse:collapse;font-size:13px">
<thead><tr><th>target</th><th>suite</th><th>scenario</th><th>status</th><th>score</th><th>latency</th><th>reasons</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${noteHtml}
<p style="color:#667085;font-size:12px">tg-canary run ${escapeHtml(msg.runId)}</p>
</body></html>
`;
}

/** Telegram HTML parse-mode text, at most 4096 characters. */
export function alertTelegramHtml(msg: AlertMessage): string {
  const head = `${KIND_ICON[msg.kind]} <b>${escapeTelegramHtml(safeText(msg.subject, { singleLine: true }))}</b>\n\n`;
  // Telegram has no idempotency: the delivery's key is shown, so a copy resent after a crash is recognisable.
  const ref = msg.idempotencyKey ? `\n\n<i>ref: ${escapeTelegramHtml(msg.idempotencyKey)}</i>` : '';
  const body = escapeTelegramHtml(safeText(msg.text));
  return head + truncateEscaped(body, Math.max(0, TELEGRAM_MAX_CHARS - head.length - ref.length)) + ref;
}
