#!/usr/bin/env node
/**
 * The bare gramjs baseline of the cold-start bench: only the client factory, connect and one sendMessage, then
 * exit. Reads TG_SESSION, TG_API_ID, TG_API_HASH, TG_DC and CANARY_BOT like `tg-canary run` does.
 */
import { dist } from './lib.mjs';

const { createTelegramClient, parseDcAddress } = await dist('telegram/client-factory.js');
const env = process.env;
const client = createTelegramClient({
  session: env.TG_SESSION ?? '',
  apiId: Number(env.TG_API_ID),
  apiHash: env.TG_API_HASH ?? '',
  dc: env.TG_DC ? parseDcAddress(env.TG_DC) : undefined,
});
await client.connect();
await client.sendMessage(env.CANARY_BOT ?? 'canary_bot', { message: 'Convert 10 km to miles' });
await client.destroy();
process.exit(0);
