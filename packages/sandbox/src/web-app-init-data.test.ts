import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signInitData, validateInitData } from './web-app-init-data.js';

const TOKEN = '700000001:AAE-sandbox-token-for-tests-0123456789';
const user = { id: 100000001, first_name: 'Ada', username: 'ada' };

describe('Mini App init data', () => {
  it('signs as Telegram documents: hash = HMAC-SHA256(data-check-string, HMAC-SHA256("WebAppData", token))', () => {
    const raw = signInitData({ queryId: 'AAHq1', user, authDate: 1_700_000_000 }, TOKEN);
    const p = new URLSearchParams(raw);
    const check = `auth_date=1700000000\nquery_id=AAHq1\nuser=${JSON.stringify(user)}`;
    const secret = createHmac('sha256', 'WebAppData').update(TOKEN).digest();
    expect(p.get('hash')).toBe(createHmac('sha256', secret).update(check).digest('hex'));
  });

  it('validates its own signature and hands back the user', () => {
    const raw = signInitData({ queryId: 'AAHq1', user, authDate: 1_700_000_000 }, TOKEN);
    const r = validateInitData(raw, TOKEN, { nowSec: 1_700_000_100 });
    expect(r).toEqual({ ok: true, user, queryId: 'AAHq1', authDate: 1_700_000_000 });
  });

  it('rejects another bot\'s token, a tampered user, stale data and a missing hash', () => {
    const raw = signInitData({ user, authDate: 1_700_000_000 }, TOKEN);
    expect(validateInitData(raw, '1:other', { nowSec: 1_700_000_100 })).toEqual({ ok: false, reason: 'the init data signature is invalid' });
    const tampered = raw.replace(encodeURIComponent('"Ada"'), encodeURIComponent('"Eve"'));
    expect(tampered).not.toBe(raw);
    expect(validateInitData(tampered, TOKEN, { nowSec: 1_700_000_100 }).ok).toBe(false);
    expect(validateInitData(raw, TOKEN, { nowSec: 1_700_000_000 + 86_401 })).toEqual({ ok: false, reason: 'the init data is outdated' });
    expect(validateInitData('user=%7B%7D&auth_date=1', TOKEN)).toEqual({ ok: false, reason: 'no hash in the init data' });
  });
});
