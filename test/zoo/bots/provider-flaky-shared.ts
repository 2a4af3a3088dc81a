/**
 * Shared outage: the model provider both bots call fails at random (seeded) — a generated answer is replaced by
 * its error line about one time in three. Used as canary AND stable: different scenarios are hit in each.
 */
import { GENERATED, seeded, topicOf, type BotExport } from './kit.js';

export function flakyProvider(seed: number, rate = 0.35): BotExport {
  return (base) => {
    const random = seeded(seed);
    return {
      async onMessage(msg, chat) {
        if (GENERATED.has(topicOf(msg.text)) && random() < rate) {
          await chat.typing();
          await chat.sleep(900);
          return chat.reply('⚠️ Error: upstream model overloaded (503). Please try again later.', { replyTo: msg.id });
        }
        return base.onMessage(msg, chat);
      },
    };
  };
}

export default flakyProvider(1);
