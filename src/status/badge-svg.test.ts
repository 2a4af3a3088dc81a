import { describe, expect, it } from 'vitest';
import { renderBadge, statusBadge, uptimeBadge } from './badge-svg.js';

describe('badges', () => {
  it('escapes label and message, and never lets a color inject markup', () => {
    const svg = renderBadge('canary <script>&"x"', "it's </text>", '"/><script>');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('canary &lt;script&gt;&amp;&quot;x&quot;');
    expect(svg).toContain('it&apos;s &lt;/text&gt;');
    expect(svg).toContain('fill="#64748b"');
  });

  it('status colors and uptime figures', () => {
    expect(statusBadge({ label: 'canary', status: 'maintenance', uptime: null, uptimeDays: 30 })).toContain('fill="#2563eb"');
    expect(uptimeBadge({ label: 'canary', status: 'pass', uptime: 0.99951, uptimeDays: 30 })).toContain('>99.951%</text>');
    expect(uptimeBadge({ label: 'canary', status: 'pass', uptime: 1, uptimeDays: 30 })).toContain('>100%</text>');
    expect(uptimeBadge({ label: 'canary', status: 'pass', uptime: 0.5, uptimeDays: 30 })).toContain('>50%</text>');
    expect(uptimeBadge({ label: 'canary', status: 'unknown', uptime: null, uptimeDays: 30 })).toContain('>no data</text>');
  });
});
