/** Pieces of the HTML report: one target's card for a scenario, its assertions and its transcript. */
import { mediaSummary } from '../core/media-types.js';
import type { AssertionResult, ReplyMessage, ScenarioResult, StepTranscript } from '../core/types.js';
import { escapeHtml as h, formatMs } from '../util/html.js';

export function badge(status: string): string {
  const s = /^[a-z]+$/.test(status) ? status : 'unknown';
  return `<span class="badge b-${s}">${h(status)}</span>`;
}

function assertionsTable(as: AssertionResult[]): string {
  if (as.length === 0) return '<p class="muted small">No assertions.</p>';
  const rows = as
    .map(
      (a) =>
        `<tr><td>${a.pass ? '<span class="ok">✓ pass</span>' : '<span class="ko">✗ fail</span>'}</td>` +
        `<td><code>${h(a.type)}</code>${a.critical ? ' <span class="badge b-fail">critical</span>' : ''}</td>` +
        `<td class="num">${a.step}</td><td class="num">${a.score.toFixed(2)}</td><td class="num">×${h(a.weight)}</td>` +
        `<td class="bot-text">${h(a.reason)}</td></tr>`,
    )
    .join('');
  return `<table class="asserts"><thead><tr><th>Result</th><th>Assertion</th><th class="num">Step</th><th class="num">Score</th><th class="num">Weight</th><th>Reason</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function message(m: ReplyMessage, sentAt: number): string {
  const info = [
    `#${m.id}`,
    m.media ? mediaSummary(m.media) : '',
    `+${formatMs(m.firstSeenAt - sentAt)}`,
    m.edits > 0 ? `edited ${m.edits}× (last +${formatMs(m.lastChangeAt - sentAt)})` : '',
    m.deleted ? 'deleted' : '',
    m.keyboard ? `reply keyboard: ${m.keyboard.rows.map((r) => `[${r.join(' | ')}]`).join(' ')}` : '',
    m.keyboardRemoved ? 'removes the reply keyboard' : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const buttons = (m.buttons ?? [])
    .flat()
    .map((b) => `<span${b.url !== undefined ? ` title="${h(b.url)}"` : ''}>${h(b.text)}</span>`)
    .join('');
  return (
    `<div class="msg bot${m.deleted ? ' deleted' : ''}"><span class="bot-text">${h(m.text)}</span>` +
    `${buttons ? `<div class="btns">${buttons}</div>` : ''}<span class="info">${h(info)}</span></div>`
  );
}

function step(s: StepTranscript): string {
  const parts: string[] = [
    `<div class="step-h">step ${s.index} · <b>${h(s.kind)}</b> · ${formatMs(s.finishedAt - s.startedAt)}</div>`,
  ];
  if (s.sent) {
    parts.push(`<div class="msg sent"><span class="bot-text">${h(s.sent.text)}</span></div>`);
  }
  if (s.reply) {
    const r = s.reply;
    parts.push(
      `<div class="step-h">reply: ${r.messageCount} message(s), ${r.editCount} edit(s)${r.draftCount ? `, ${r.draftCount} draft(s)` : ''}, ${r.latencyFirstTokenMs !== undefined && r.latencyFirstTokenMs !== r.latencyFirstMs ? `first token ${formatMs(r.latencyFirstTokenMs)}, ` : ''}first ${formatMs(r.latencyFirstMs)}, final ${formatMs(r.latencyFinalMs)}${r.latencyApprox ? ' (approx.)' : ''}${r.floodWaitMs ? `, flood wait ${formatMs(r.floodWaitMs)}` : ''}${r.settled ? '' : ', <b>not settled</b>'}${r.finality ? ` — ${h(r.finality)}` : ''}</div>`,
    );
    parts.push(...r.messages.map((m) => message(m, r.sentAt)));
    if (r.callbackAnswer !== undefined) {
      parts.push(`<div class="step-h">callback answer: <span class="bot-text">${h(r.callbackAnswer)}</span></div>`);
    }
  }
  if (s.detail) parts.push(`<div class="step-h bot-text">${h(s.detail)}</div>`);
  if (s.error) parts.push(`<div class="err"><code>${h(s.error.code)}</code> ${h(s.error.message)}</div>`);
  return `<div class="step">${parts.join('')}</div>`;
}

/** One target's result for a scenario, or a placeholder when the scenario did not run there. */
export function targetCard(target: string, r: ScenarioResult | undefined): string {
  if (!r) {
    return `<div class="card"><div class="target-head"><span class="name">${h(target)}</span></div><p class="missing">Not run on ${h(target)}.</p></div>`;
  }
  const reasons = r.reasons.length ? `<ul class="reasons">${r.reasons.map((x) => `<li class="bot-text">${h(x)}</li>`).join('')}</ul>` : '';
  return (
    `<div class="card target t-${h(r.target)}" data-target="${h(r.target)}" data-status="${h(r.status)}">` +
    `<div class="target-head"><span class="name">${h(r.target)}</span>${badge(r.status)}<span class="muted small">@${h(r.bot)}</span></div>` +
    `<div class="kv"><span>score <b>${r.score.toFixed(2)}</b></span>${r.latencyMs.firstToken != null ? `<span title="slowest step: prompt → typing or first draft">first token <b>${formatMs(r.latencyMs.firstToken)}</b></span>` : ''}<span title="slowest step: prompt → first message">first reply <b>${formatMs(r.latencyMs.first)}</b></span>` +
    `<span title="slowest step: prompt → final text">final reply <b>${formatMs(r.latencyMs.final)}</b></span><span>took <b>${formatMs(r.finishedAt - r.startedAt)}</b></span>` +
    `${r.errorCode ? `<span>error <b><code>${h(r.errorCode)}</code></b></span>` : ''}</div>` +
    reasons +
    assertionsTable(r.assertions) +
    `<details${r.status === 'pass' ? '' : ' open'}><summary>Transcript (${r.steps.length} steps)</summary>${r.steps.map(step).join('')}</details>` +
    `</div>`
  );
}
