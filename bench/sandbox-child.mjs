/**
 * A sandbox in its own process, for the benches (so the tester and the data center do not share a CPU loop).
 * Prints one JSON line when ready: { env, host, port, apiId, apiHash, session }. Then answers JSON commands, one per
 * stdin line: {cmd:'latency', ms} sets the bot latency L, {cmd:'timerLate'} returns how late bench_bot's sleeps
 * ended, {cmd:'botLog'} returns and clears the recorded bot
 * activity, {cmd:'callLog', method?} returns the call log timestamps, {cmd:'rss'}. Closing stdin stops it.
 *
 * Bots: `bench_bot` sleeps L (or `L=<ms>` from the message text) then replies; `canary_bot` and `stable_bot` are
 * the built-in demo bots wrapped to sleep L before each message or button press and to record, per chat, when
 * each prompt arrived and when each reply, edit or deletion went out (the input of the critical path).
 */
import { createInterface } from 'node:readline';

const { startSandbox } = await import('@tg-canary/sandbox');
const opts = JSON.parse(process.env.BENCH_SANDBOX_OPTS ?? '{}');
let latencyMs = opts.latencyMs ?? 0;
const botLog = [];
/** How late bench_bot's sleeps ended (ms past L): the sandbox's own timer jitter, not the tester's overhead. */
const timerLate = [];


const benchBot = {
  async onMessage(msg, chat) {
    const m = /\bL=(\d+)/.exec(msg.text);
    const l = m ? Number(m[1]) : latencyMs;
    if (l > 0) {
      // the sandbox's own sleep (as a bot module gets it), which waits out the last 2 ms precisely
      const t = performance.now();
      await chat.sleep(l);
      timerLate.push(performance.now() - t - l);
    }
    await chat.reply(`re: ${msg.text}`, { replyTo: msg.id });
  },
};

/** Finality bench bots: each logs its last action, so the tester's decision can be measured against it. */
const last = (bot) => botLog.push({ bot, kind: 'last', at: Date.now() });
const finalityBots = {
  // thinks with typing, then answers with one plain message (the commonest shape)
  plain_bot: {
    async onMessage(msg, chat) {
      await chat.typing();
      await chat.sleep(100);
      await chat.reply(`Here is the answer to "${msg.text}": 42.`);
      last('plain_bot');
    },
  },
  // streams by drafts (Bot API 9.5), ~every 150 ms, then sends the final message, which ends the draft
  draft_bot: {
    async onMessage(msg, chat) {
      await chat.typing();
      for (const part of ['Here', 'Here is the', 'Here is the answer:']) {
        await chat.draft(part);
        await chat.sleep(150);
      }
      await chat.reply('Here is the answer: 42.');
      last('draft_bot');
    },
  },
};

function recorded(name) {
  return (base) => {
    const wrapChat = (chat) => {
      const out = (kind) => botLog.push({ bot: name, kind, at: Date.now() });
      return {
        ...chat,
        reply: async (text, o) => {
          const id = await chat.reply(text, o);
          out('reply');
          return id;
        },
        edit: async (id, text) => {
          await chat.edit(id, text);
          out('edit');
        },
        delete: async (id) => {
          await chat.delete(id);
          out('delete');
        },
      };
    };
    const bot = {
      async onMessage(msg, chat) {
        botLog.push({ bot: name, kind: 'prompt', at: Date.now() });
        if (latencyMs > 0) await chat.sleep(latencyMs);
        return base.onMessage(msg, wrapChat(chat));
      },
    };
    if (base.onCallback) {
      bot.onCallback = async (data, chat, messageId) => {
        botLog.push({ bot: name, kind: 'prompt', at: Date.now(), callback: true });
        if (latencyMs > 0) await chat.sleep(latencyMs);
        return base.onCallback(data, wrapChat(chat), messageId);
      };
    }
    return bot;
  };
}

/** `opts.fleet = N`: N pairs of demo bots under other names (fleet0_canary_bot, fleet0_stable_bot, …) for bench/fleet.mjs. */
const fleetBots = {};
for (let i = 0; i < (opts.fleet ?? 0); i++) {
  fleetBots[`fleet${i}_canary_bot`] = 'builtin:canary_bot';
  fleetBots[`fleet${i}_stable_bot`] = 'builtin:stable_bot';
}

const sb = await startSandbox({
  bots: { bench_bot: benchBot, canary_bot: recorded('canary_bot'), stable_bot: recorded('stable_bot'), ...finalityBots, ...fleetBots },
  seed: opts.seed ?? 7,
  // the benches send hundreds of prompts a minute: they measure the tester, not Telegram's per-chat limits
  limits: { messagesPerSecond: Infinity, editsPerSecond: Infinity, draftsPerSecond: Infinity },
});
const user = await sb.createUser({ firstName: 'Bench' });
process.stdout.write(
  `${JSON.stringify({ env: sb.env(user), host: sb.host, port: sb.port, apiId: sb.apiId, apiHash: sb.apiHash, session: user.session, pid: process.pid })}\n`,
);

const rl = createInterface({ input: process.stdin });
rl.on('line', (l) => {
  let cmd;
  try {
    cmd = JSON.parse(l);
  } catch {
    return;
  }
  let res;
  switch (cmd.cmd) {
    case 'latency':
      latencyMs = cmd.ms;
      res = { ok: true };
      break;
    case 'botLog':
      res = { log: botLog.splice(0, botLog.length) };
      break;
    case 'callLog': {
      const m = cmd.method?.toLowerCase();
      res = { log: sb.callLog.filter((e) => !m || e.method.toLowerCase() === m).map((e) => ({ method: e.method, at: e.at })) };
      sb.callLog.length = 0;
      break;
    }
    case 'timerLate':
      res = { late: timerLate.splice(0, timerLate.length) };
      break;
    case 'rss':
      res = { rss: process.memoryUsage().rss };
      break;
    default:
      res = { error: `unknown command ${cmd.cmd}` };
  }
  process.stdout.write(`${JSON.stringify(res)}\n`);
});
rl.on('close', async () => {
  await sb.stop();
  process.exit(0);
});
