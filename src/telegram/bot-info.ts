/**
 * A bot's profile and deep links over a user session: users.getFullUser (userFull.about, bot_info's description,
 * commands and menu button) and messages.startBot (t.me/<bot>?start=PAYLOAD).
 */
import { Api } from 'teleproto';
import type { SentMessage } from '../core/ports.js';
import type { BotProfileInfo } from '../core/bot-surface.js';
import { inputUserOf, ownMessageOf, randomLong, type SurfaceCall } from './bot-surface-call.js';

/** Caps on what the bot controls (untrusted): 100 commands, 256 characters a description line, 4 kB texts. */
const MAX_COMMANDS = 100;
const MAX_TEXT = 4096;

export async function readBotProfile(call: SurfaceCall): Promise<BotProfileInfo> {
  const res = await call.rpc('users.getFullUser', () => call.client.invoke(new Api.users.GetFullUser({ id: inputUserOf(call.peer) })));
  const full = res.fullUser;
  const info = full.botInfo;
  const button = info?.menuButton;
  const out: BotProfileInfo = {
    commands: (info?.commands ?? []).slice(0, MAX_COMMANDS).map((c) => ({ command: c.command.slice(0, 64), description: c.description.slice(0, 256) })),
    description: (info?.description ?? '').slice(0, MAX_TEXT),
    about: (full.about ?? '').slice(0, MAX_TEXT),
    menuButton: button instanceof Api.BotMenuButton ? 'web-app' : button instanceof Api.BotMenuButtonCommands ? 'commands' : 'default',
  };
  if (button instanceof Api.BotMenuButton) out.menuButtonUrl = button.url.slice(0, 2048);
  return out;
}

/** Opens the deep link: Telegram posts the user's `/start` and hands the bot `/start PAYLOAD`. */
export async function startBot(call: SurfaceCall, payload: string): Promise<SentMessage> {
  const at = call.now();
  const randomId = randomLong();
  const res = await call.rpc('messages.startBot', () =>
    call.client.invoke(new Api.messages.StartBot({ bot: inputUserOf(call.peer), peer: call.peer, randomId, startParam: payload })),
  );
  return { id: ownMessageOf(res, randomId, 'messages.startBot').id, at };
}
