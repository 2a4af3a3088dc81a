/** The one Telegram Bot API stand-in of the tests: a real HTTP server on 127.0.0.1 that records every call. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BotApiCall {
  token: string;
  method: string;
  body: { chat_id?: string; text?: string; parse_mode?: string };
}

/** A `sendMessage` call, flattened. */
export interface BotApiMessage {
  token: string;
  chatId: string;
  text: string;
  parseMode: string;
}

export interface BotApiStandIn {
  /** The API root, e.g. for TELEGRAM_BOT_API_ROOT. */
  url: string;
  port: number;
  /** Every call, in order. */
  calls: BotApiCall[];
  /** The `sendMessage` calls (may be emptied by a test to start counting afresh). */
  messages: BotApiMessage[];
  /** 'ok' answers like Telegram; 'unauthorized' answers 401 and records nothing. */
  setMode(mode: 'ok' | 'unauthorized'): void;
  close(): Promise<void>;
}

/** Starts the stand-in on `port` (0: any free one); each call is answered `{ ok: true, result: { message_id } }`. */
export async function startBotApi(port = 0): Promise<BotApiStandIn> {
  const calls: BotApiCall[] = [];
  const messages: BotApiMessage[] = [];
  let mode: 'ok' | 'unauthorized' = 'ok';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (req.method !== 'POST' || !m) {
        res.statusCode = 404;
        res.end('{"ok":false,"error_code":404,"description":"Not Found"}');
        return;
      }
      if (mode === 'unauthorized') {
        res.statusCode = 401;
        res.end(JSON.stringify({ ok: false, error_code: 401, description: 'Unauthorized' }));
        return;
      }
      let body: BotApiCall['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as BotApiCall['body'];
      } catch {
        body = {};
      }
      const call = { token: decodeURIComponent(m[1] ?? ''), method: m[2] ?? '', body };
      calls.push(call);
      if (call.method === 'sendMessage') {
        messages.push({ token: call.token, chatId: String(body.chat_id), text: String(body.text ?? ''), parseMode: String(body.parse_mode ?? '') });
      }
      res.end(JSON.stringify({ ok: true, result: { message_id: calls.length, date: Math.floor(Date.now() / 1000), chat: { id: body.chat_id } } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const p = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${p}`,
    port: p,
    calls,
    messages,
    setMode: (next) => {
      mode = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
