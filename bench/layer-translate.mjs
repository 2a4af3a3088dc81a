#!/usr/bin/env node
/**
 * What serving a non-native client layer costs the sandbox: re-encoding a layer-229 push for a layer-227 client
 * (mtcute 0.30.3), per push, for a plain message (updateShortMessage) and a message with an inline keyboard and
 * its users (updates). The native layer (teleproto, 229) pays none of this: its bytes pass through untouched.
 * Needs `npm run build` first (imports the sandbox package's build, packages/sandbox/dist). Usage: node bench/layer-translate.mjs [--n 20000]
 */
import { bench } from './lib.mjs';

const argN = process.argv.indexOf('--n');
const N = argN > 0 ? Number(process.argv[argN + 1]) : 20000;

const { pushToLayer } = await import('@tg-canary/sandbox/internal/tl-layers/layers');
const { tlPush } = await import('@tg-canary/sandbox/internal/tl-build');
const { World } = await import('@tg-canary/sandbox/internal/world');

const world = new World();
const user = world.addUser({ firstName: 'U', phone: '999661234' });
const bot = world.addUser({ username: 'bench_bot', bot: true });
const events = [];
world.onEvent((e) => events.push(e));
world.addMessage(user.id, bot.id, bot.id, 'a plain reply of a few words');
world.addMessage(user.id, bot.id, bot.id, 'pick one', { buttons: [[{ text: 'Yes', data: 'yes' }, { text: 'No', data: 'no' }]] });
const [plain, keyboard] = events.map((e) => tlPush(world, e).getBytes());

for (const [name, bytes] of [['short-message', plain], ['updates-keyboard', keyboard]]) {
  for (let i = 0; i < 2000; i++) pushToLayer(227, bytes);
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) pushToLayer(227, bytes);
  const us = Number(process.hrtime.bigint() - t) / 1000 / N;
  bench(`layer-227-push-${name}`, us, 'µs/push');
}
