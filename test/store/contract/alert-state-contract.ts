/** Contract of the alert state role: state per key (survives a restart so nothing re-pages) and the alert log. */
import { describe, expect, it } from 'vitest';
import type { AlertStateRow } from '../../../src/core/ports.js';
import { HOSTILE } from '../fixtures.js';
import { contractContext, T0, type MakeStoreHarness } from './harness.js';

const failing: AlertStateRow = {
  key: 'canary', state: 'failing', since: T0, lastNotifiedAt: T0 + 5, failures: 3, successes: 0, alertId: 7,
};

export function describeAlertStateContract(make: MakeStoreHarness): void {
  describe('alert state', () => {
    const c = contractContext(make);

    it('keeps one row per key, replaced as a whole', () => {
      expect(c.store.getAlertState('canary')).toBeUndefined();
      c.store.setAlertState(failing);
      c.store.setAlertState({ ...failing, key: 'canary:inconclusive', state: 'ok', lastNotifiedAt: null, alertId: null });
      expect(c.store.getAlertState('canary')).toStrictEqual(failing);
      const ok: AlertStateRow = { key: 'canary', state: 'ok', since: T0 + 100, lastNotifiedAt: null, failures: 0, successes: 2, alertId: null };
      c.store.setAlertState(ok);
      expect(c.store.getAlertState('canary')).toStrictEqual(ok);
      expect(c.store.getAlertState('canary:inconclusive')?.state).toBe('ok');
    });

    it('survives a restart, so a failing target is not paged again', () => {
      c.store.setAlertState(failing);
      const id = c.store.logAlert({ key: 'canary', kind: 'failing', runId: 'r1', at: T0, subject: 'canary failing' });
      const s = c.reopen();
      expect(s.getAlertState('canary')).toStrictEqual(failing);
      expect(s.listAlerts()).toStrictEqual([{ id, key: 'canary', kind: 'failing', runId: 'r1', at: T0, subject: 'canary failing' }]);
    });

    it('the alert log: increasing ids, newest first, optional fields absent when not given, a limit (default 50)', () => {
      const a = c.store.logAlert({ key: 'canary', kind: 'failing', runId: 'r1', at: T0, subject: HOSTILE.html });
      const b = c.open().logAlert({ key: 'canary', kind: 'resolved', at: T0 + 10 });
      expect(b).toBeGreaterThan(a);
      expect(c.store.listAlerts()).toStrictEqual([
        { id: b, key: 'canary', kind: 'resolved', at: T0 + 10 },
        { id: a, key: 'canary', kind: 'failing', runId: 'r1', at: T0, subject: HOSTILE.html },
      ]);
      expect(c.store.listAlerts(1).map((e) => e.id)).toStrictEqual([b]);
      for (let i = 0; i < 60; i += 1) c.store.logAlert({ key: 'k', kind: 'reminder', at: T0 + 100 + i });
      expect(c.store.listAlerts()).toHaveLength(50);
    });
  });
}
