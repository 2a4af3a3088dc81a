/** Healthy: the same bot configured to stream by a "Thinking…" placeholder and edits ≥ 1 s apart. */
import { createDemoBot } from '@tg-canary/sandbox/demo-bots';
import type { BotModule } from './kit.js';

export default createDemoBot('canary_bot', { streamBy: 'edit' }) as BotModule;
