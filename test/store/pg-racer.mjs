// One racing process of test/store/pg-concurrency.test.ts: opens the PostgreSQL store (built dist/), waits for the
// common start time, does its part of the race and prints what it got as one JSON line.
// argv: <mode> <url> <startAt epoch ms> <name>
import { openStore } from '../../dist/store/index.js';

const [mode, url, startAtArg, name] = process.argv.slice(2);
const startAt = Number(startAtArg);
const clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

const store = openStore(url, { clock });
while (Date.now() < startAt) {
  // spin: every racer starts its first write within the same millisecond or so
}
const out = { name };
if (mode === 'migrate') {
  out.version = store.schemaVersion();
} else if (mode === 'outbox') {
  const due = store.dueOutbox(Date.now() + 1, 1000);
  out.claimed = [];
  for (const item of due) {
    if (store.claimOutbox(item.id, name, Date.now() + 600_000, () => false, item.attempts) === 'claimed') {
      out.claimed.push(item.id);
      store.markDelivered(item.id, Date.now());
    }
  }
} else if (mode === 'lease') {
  out.won = store.acquireLease('tg-session', name, 600_000, () => false);
} else if (mode === 'alerts') {
  out.ids = [];
  for (let i = 0; i < 25; i++) {
    const id = store.logAlert({ key: 'canary', kind: 'fire', at: Date.now(), subject: `${name} #${i}` });
    out.ids.push(id);
    store.setAlertState({ key: 'canary', state: 'failing', since: i, lastNotifiedAt: id, failures: i, successes: 0, alertId: id });
  }
}
store.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
