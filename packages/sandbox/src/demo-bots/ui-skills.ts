/**
 * The demo bots' keyboards and buttons: a reply-keyboard menu (`/menu`), a help message with a URL button and a
 * switch-inline button, a Mini App shop (`/shop`) whose page validates Telegram's init data through the bot's
 * backend, and a stock check answered with an alert (`/stock`).
 */
import type { BotButton, BotReplyOptions } from '../bot-contract.js';
import type { BotCallbackReply, BotWebRequest, BotWebResponse } from '../bot-ui-contract.js';
import { validateInitData } from '../web-app-init-data.js';

export const MENU_ROWS = [['🍕 Order pizza', '📦 My orders'], ['❓ Help']];

export interface UiAnswer {
  text: string;
  buttons?: BotButton[][];
  markup?: Pick<BotReplyOptions, 'keyboard' | 'removeKeyboard' | 'forceReply'>;
}

/** The answer to a menu command or a menu button's text, or undefined when the text is not one. */
export function uiSkill(text: string): UiAnswer | undefined {
  const t = text.trim();
  if (/^\/menu(?:@\w+)?$/iu.test(t)) {
    return { text: 'What would you like to do?', markup: { keyboard: { rows: MENU_ROWS, resize: true, placeholder: 'Choose an option' } } };
  }
  if (t === '🍕 Order pizza') {
    return { text: 'Open the shop to pick your pizza.', buttons: [[{ text: '🛒 Open shop', webApp: '/shop' }]] };
  }
  if (t === '📦 My orders') return { text: 'You have no orders yet. Send /menu to start again.', markup: { removeKeyboard: true } };
  if (t === '❓ Help') {
    return {
      text: 'Read the docs, or share a pizza with a friend.',
      buttons: [[{ text: '📖 Docs', url: '/docs' }], [{ text: '🔎 Share a pizza', switchInline: 'pizza' }]],
    };
  }
  if (/^\/shop(?:@\w+)?$/iu.test(t)) return { text: 'Our shop is a Mini App. Tap the button to open it.', buttons: [[{ text: '🛒 Open shop', webApp: '/shop' }]] };
  if (/^\/stock(?:@\w+)?$/iu.test(t)) {
    return { text: 'Margherita, 12 €', buttons: [[{ text: 'Check stock', data: 'stock:margherita' }]] };
  }
  return undefined;
}

/** The stock check's answer: a dialog (show_alert), since the user must not miss it. */
export function uiCallback(data: string): BotCallbackReply | undefined {
  if (data === 'stock:margherita') return { text: 'Sorry, Margherita is sold out today.', alert: true };
  return undefined;
}

const esc = (s: string): string => s.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The shop page: reads `tgWebAppData` from the URL fragment (where Telegram puts it), sends it to the bot's
 * backend, and shows the user's name and an order form only when the backend accepts it.
 */
function shopPage(title: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body>
<h1>${esc(title)}</h1><p id="status">Checking your Telegram session…</p>
<form id="order" hidden><label>Pizza <select name="pizza"><option>Margherita</option><option>Diavola</option></select></label>
<button type="submit">Order</button></form>
<script>
const p = new URLSearchParams(location.hash.slice(1));
const initData = p.get('tgWebAppData') || '';
fetch('api/session', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: initData })
  .then((r) => r.json())
  .then((j) => {
    const s = document.getElementById('status');
    if (j.ok) { s.textContent = 'Hello, ' + j.name + '! Pick your pizza.'; document.getElementById('order').hidden = false; }
    else s.textContent = 'Invalid Telegram session: ' + j.error;
  })
  .catch((e) => { document.getElementById('status').textContent = 'Backend unreachable: ' + e; });
</script></body></html>`;
}

/**
 * The demo bots' Mini App server side. `tokenFor` lets a wrapper validate with another token (a misconfigured
 * deployment: the page then rejects every real session).
 */
export function uiWebRequest(req: BotWebRequest, tokenFor: (req: BotWebRequest) => string = (r) => r.botToken): BotWebResponse | undefined {
  if (req.method === 'GET' && req.path === '/shop') return { body: shopPage('Pizza shop') };
  if (req.method === 'GET' && req.path === '/docs') return { body: '<!doctype html><html><head><title>Docs</title></head><body><h1>Pizza bot docs</h1><p>Send /menu to order.</p></body></html>' };
  if (req.method === 'POST' && req.path === '/api/session') {
    const check = validateInitData(req.body.trim(), tokenFor(req));
    if (!check.ok) return { status: 401, contentType: 'application/json', body: JSON.stringify({ ok: false, error: check.reason }) };
    return { contentType: 'application/json', body: JSON.stringify({ ok: true, name: check.user?.first_name ?? 'friend' }) };
  }
  return undefined;
}
