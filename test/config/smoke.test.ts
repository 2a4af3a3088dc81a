import { test } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
test('x', () => {
  try { loadConfig({ env: { TG_API_ID: 'abc', TG_API_HASH: 'supersecret', SMTP_HOST: 'h', SERVE_SCHEDULE: 'x', CANARY_BOT: '@b', TG_DC: '1.2.3.4:5' }, cwd: '/tmp/cfgt' }); }
  catch (e) { console.log((e as Error).message); }
  console.log(JSON.stringify(loadConfig({ env: { TG_API_ID: '5', TG_API_HASH: 'supersecret', TG_SESSION: 'sess', CANARY_BOT: '@can_bot' }, cwd: '/tmp/cfgt' })));
});
