/**
 * The sandbox's Mini App server: one small HTTP server per sandbox on its host (127.0.0.1), serving each bot's
 * pages and backend at /bots/<username>/<path> through the bot's `onWebRequest`. A bot without one, or an unknown
 * bot, is a 404; a bot that throws is a 500 (as a crashed backend is).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { BotModule } from './bot-contract.js';
import type { FaultEngine } from './faults.js';
import type { SandboxLogger } from './logger.js';

const MAX_BODY = 64 * 1024;

export interface WebAppBot {
  module: BotModule;
  token: string;
}

export class WebAppServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private origin = '';

  constructor(
    private readonly host: string,
    private readonly findBot: (username: string) => WebAppBot | undefined,
    private readonly log: SandboxLogger,
    private readonly faults?: FaultEngine,
  ) {}

  /** http://host:port, once listening. */
  get url(): string {
    return this.origin;
  }

  /** The absolute URL of a bot's page: a path is served here; an absolute URL is left as it is. */
  resolve(username: string, target: string): string {
    if (/^[a-z][a-z0-9+.-]*:/iu.test(target)) return target;
    return `${this.origin}/bots/${encodeURIComponent(username)}${target.startsWith('/') ? '' : '/'}${target}`;
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.host, () => resolve());
    });
    server.unref();
    this.server = server;
    const a = server.address() as AddressInfo;
    this.origin = `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${a.port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const m = /^\/bots\/([A-Za-z0-9_]+)(\/.*)?$/u.exec(url.pathname);
    const bot = m ? this.findBot(m[1] ?? '') : undefined;
    if (!m || !bot?.module.onWebRequest) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const name = m[1] ?? '';
    if (this.faults?.takeWebApp(name, 'webapp_hang')) return; // never answers: the socket is destroyed at close()
    const broken = this.faults?.takeWebApp(name, 'webapp_error');
    if (broken) {
      res.writeHead(broken.code ?? 500, { 'content-type': 'text/plain; charset=utf-8' }).end(broken.text ?? 'internal server error');
      return;
    }
    let body = '';
    try {
      body = await readBody(req);
    } catch {
      res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8' }).end('request body too large');
      return;
    }
    try {
      const out = await bot.module.onWebRequest({
        method: req.method ?? 'GET',
        path: m[2] ?? '/',
        query: Object.fromEntries(url.searchParams.entries()),
        body,
        headers: req.headers as Record<string, string | undefined>,
        botToken: bot.token,
      });
      if (out?.hang) return; // never answers: the socket is destroyed at close()
      if (!out) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      res.writeHead(out.status ?? 200, { 'content-type': out.contentType ?? 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(out.body);
    } catch (e) {
      this.log.error({ bot: m[1], err: (e as Error).message }, 'sandbox bot threw while serving its Mini App');
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('internal server error');
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
