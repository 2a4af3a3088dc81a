/**
 * The demo bots' media skills: "send me a chart" → a PNG bar chart; "export my data" → a JSON document; "a
 * poll" → a poll; "where are you" → a location; and media in: a voice note gets a transcript-like text, a photo a
 * description, a document, sticker, video note, location or contact an acknowledgement naming what arrived.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { BotChat, BotIncomingMessage, BotOutgoingMedia } from '../bot-contract.js';

/** A valid PNG of `w`×`h` grey pixels with `bars` dark vertical bars (heights 0..1). */
export function chartPng(bars: readonly number[], w = 120, h = 80): Buffer {
  const rows: Buffer[] = [];
  const barW = Math.max(1, Math.floor(w / Math.max(1, bars.length * 2)));
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w, 0xe0); // filter byte 0, then greyscale pixels
    row[0] = 0;
    bars.forEach((v, i) => {
      const top = Math.round(h * (1 - Math.max(0, Math.min(1, v))));
      if (y < top) return;
      for (let x = (2 * i + 1) * barW; x < (2 * i + 2) * barW && x < w; x++) row[1 + x] = 0x30;
    });
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The export the demo bot sends as `export.json`: what it remembers of the chat. */
export function exportJson(chat: BotChat): Buffer {
  const remembered = Object.fromEntries([...chat.state.entries()].filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)));
  return Buffer.from(JSON.stringify({ chat: chat.id, exportedBy: 'tg-canary demo bot', remembered }, null, 2), 'utf8');
}

const CHART = /\b(?:send|show|draw)\b.*\bchart\b|^\/chart\b/iu;
const EXPORT = /\bexport\b.*\b(?:data|json)\b|^\/export\b/iu;
const POLL = /\b(?:make|start|create)\b.*\bpoll\b|^\/poll\b/iu;
const WHERE = /\bwhere are you\b|^\/location\b/iu;

/** Answers a media request or a media message; undefined when the message is for another skill. */
export async function mediaSkill(msg: BotIncomingMessage, chat: BotChat, think: () => Promise<void>): Promise<number | undefined> {
  const m = msg.media;
  const send = (o: BotOutgoingMedia): Promise<number> => (chat.replyMedia ? chat.replyMedia(o) : chat.reply(`[${o.kind}] ${o.caption ?? ''}`, { replyTo: o.replyTo }));
  const text = (msg.text ?? '').trim();
  if (m) {
    await chat.typing();
    await think();
    switch (m.kind) {
      case 'voice':
        return chat.reply(`Transcript of your ${m.duration ?? 0} s voice note: "${m.caption || 'hello from a voice note'}"`, { replyTo: msg.id });
      case 'photo':
        return chat.reply(`Nice photo: ${m.width ?? '?'}×${m.height ?? '?'} pixels, ${m.size ?? 0} bytes.${m.caption ? ` Caption: ${m.caption}` : ''}`, { replyTo: msg.id });
      case 'location':
        return chat.reply(`Got your location: ${m.location?.lat.toFixed(4)}, ${m.location?.lon.toFixed(4)}.`, { replyTo: msg.id });
      case 'contact':
        return chat.reply(`Saved the contact ${m.contact?.firstName ?? ''} (${m.contact?.phone ?? ''}).`, { replyTo: msg.id });
      default: {
        const bytes = m.read ? await m.read() : Buffer.alloc(0);
        return chat.reply(`Received your ${m.kind}${m.fileName ? ` ${m.fileName}` : ''} (${m.mimeType ?? 'unknown type'}, ${bytes.length} bytes).`, { replyTo: msg.id });
      }
    }
  }
  if (CHART.test(text)) {
    await chat.typing();
    await think();
    return send({ kind: 'photo', bytes: chartPng([0.3, 0.7, 0.5, 0.9]), width: 120, height: 80, caption: 'Your weekly chart 📈', replyTo: msg.id });
  }
  if (EXPORT.test(text)) {
    await chat.typing();
    await think();
    return send({ kind: 'document', bytes: exportJson(chat), fileName: 'export.json', mimeType: 'application/json', caption: 'Here is your data export.', replyTo: msg.id });
  }
  if (POLL.test(text)) {
    await think();
    return send({ kind: 'poll', question: 'Which feature next?', options: ['Charts', 'Exports', 'Reminders'], replyTo: msg.id });
  }
  if (WHERE.test(text)) {
    await think();
    return send({ kind: 'location', lat: 52.52, lon: 13.405, replyTo: msg.id });
  }
  return undefined;
}
