/** A loopback HTTP receiver for delivery tests: records every request's Idempotency-Key; can hold requests. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  key: string | undefined;
  url: string;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** 'ok' answers 200 at once; 'hang' keeps the request open (the sender is mid-delivery) until `release()`. */
  setMode(mode: 'ok' | 'hang'): void;
  /** In 'ok' mode, answer after this many ms (a slow receiver). */
  setDelay(ms: number): void;
  /** Resolves when the request count reaches `n`. */
  waitForCount(n: number, timeoutMs?: number): Promise<void>;
  /** Answers every held request with 200. */
  release(): void;
  /** How many idempotency keys arrived more than once. */
  duplicateKeys(): number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  let mode: 'ok' | 'hang' = 'ok';
  let delay = 0;
  const held: ServerResponse[] = [];
  const waiters: { n: number; resolve(): void }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      requests.push({ key: typeof key === 'string' ? key : undefined, url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      for (const w of [...waiters]) if (requests.length >= w.n) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
      if (mode === 'hang') held.push(res);
      else if (delay > 0) setTimeout(() => res.end('ok'), delay);
      else res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    setMode: (m) => { mode = m; },
    setDelay: (ms) => { delay = ms; },
    waitForCount: (n, timeoutMs = 20_000) => new Promise<void>((resolve, reject) => {
      if (requests.length >= n) return resolve();
      const t = setTimeout(() => reject(new Error(`receiver: ${requests.length} of ${n} requests`)), timeoutMs);
      waiters.push({ n, resolve: () => { clearTimeout(t); resolve(); } });
    }),
    release() {
      for (const r of held.splice(0)) if (!r.writableEnded) r.end('ok');
    },
    duplicateKeys() {
      const seen = new Map<string, number>();
      for (const r of requests) if (r.key) seen.set(r.key, (seen.get(r.key) ?? 0) + 1);
      return [...seen.values()].filter((n) => n > 1).length;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
