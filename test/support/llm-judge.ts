/** An OpenAI-compatible chat-completions judge on 127.0.0.1, answering what the test's handler decides. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JudgeRequest {
  url: string;
  auth?: string;
  body: { model: string; temperature: number; messages: Array<{ role: string; content: string }> };
}

/** The judge's answer: chat content (after `delayMs`), or an HTTP error status with a plain body. */
export type JudgeAnswer = { content: string; delayMs?: number } | { status: number; text: string };

export interface LlmJudgeStandIn {
  /** `http://127.0.0.1:<port>/v1` */
  url: string;
  close(): Promise<void>;
}

export async function startLlmJudge(handle: (req: JudgeRequest) => JudgeAnswer): Promise<LlmJudgeStandIn> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      let raw = '';
      for await (const chunk of req) raw += String(chunk);
      const got = handle({ url: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(raw) as JudgeRequest['body'] });
      if ('status' in got) {
        res.writeHead(got.status).end(got.text);
        return;
      }
      const send = (): void => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: got.content } }] }));
      };
      if (got.delayMs) setTimeout(send, got.delayMs).unref();
      else send();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
