/**
 * The "Test accounts" section of the status page (fleet mode): per account its state, pairs, drain end and last
 * fault code. Account names and pair names come from the config, fault codes from Telegram: all escaped.
 */
import type { AccountHealth } from '../fleet/account-pool-port.js';
import { escapeHtml as h, formatTime, truncate } from '../util/html.js';

const OK_STATES = new Set(['ready', 'busy']);

export function renderAccountsSection(accounts: readonly AccountHealth[], now: number): string {
  if (accounts.length === 0) return '';
  const rows = accounts
    .map((a) => {
      const ok = OK_STATES.has(a.state);
      const until = a.drainedUntil !== undefined && a.drainedUntil > now ? formatTime(a.drainedUntil) : '—';
      const pairs = a.pairs.length ? truncate(a.pairs.join(', '), 300) : '—';
      return (
        `<tr data-account="${h(a.account)}"><td>${h(a.account)}</td>` +
        `<td><span class="${ok ? 'health-ok' : 'health-bad'}">${h(a.state)}</span></td>` +
        `<td class="num">${a.pairs.length}</td><td class="small">${h(pairs)}</td>` +
        `<td>${h(until)}</td><td class="small"><code>${h(truncate(a.lastFault ?? '—', 80))}</code></td></tr>`
      );
    })
    .join('');
  return `<h2>Test accounts</h2><div class="card" id="accounts"><table class="accounts"><thead><tr><th>Account</th><th>State</th><th class="num">Pairs</th><th>Assigned pairs</th><th>Drained until</th><th>Last fault</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}
