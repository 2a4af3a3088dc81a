import { describe, expect, it } from 'vitest';
import { renderAccountsSection } from '../../src/status/page-accounts.js';

describe('status page: Test accounts section', () => {
  it('shows state, pairs, drain end and fault, escaping every text', () => {
    const now = Date.UTC(2026, 0, 1);
    const html = renderAccountsSection([
      { account: 'acct-1', state: 'busy', pairs: ['shop', '<img src=x onerror=alert(1)>'] },
      { account: 'acct-2', state: 'drained', pairs: [], drainedUntil: now + 600_000, lastFault: 'FLOOD_WAIT_600"><script>' },
    ], now);
    expect(html).toContain('<h2>Test accounts</h2>');
    expect(html).toContain('<span class="health-ok">busy</span>');
    expect(html).toContain('<span class="health-bad">drained</span>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('FLOOD_WAIT_600&quot;&gt;&lt;script&gt;');
    expect(renderAccountsSection([], now)).toBe('');
  });
});
