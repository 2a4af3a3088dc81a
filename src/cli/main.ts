#!/usr/bin/env node
/** tg-canary's command line. The only place (with the other cli/ files) that prints or exits. */
import { Command } from 'commander';
import { registerRun } from './cmd-run.js';
import { registerDemo } from './cmd-demo.js';
import { registerSandbox } from './cmd-sandbox.js';
import { registerScenarioCommands } from './cmd-scenarios.js';
import { registerHistory } from './cmd-history.js';
import { registerLogin } from './cmd-login.js';
import { registerReport } from './cmd-report.js';
import { registerAlerts } from './cmd-alerts.js';
import { registerServe } from './cmd-serve.js';
import { registerChat } from './cmd-chat.js';
import { registerRecord } from './cmd-record.js';
import { registerIncidents } from './cmd-incidents.js';
import { registerSilence } from './cmd-silence.js';
import { fail } from './fatal.js';
import { guardDrainedLoop } from './drain-guard.js';
import { VERSION } from './version.js';
import { SANDBOX_RSA_PUBLIC } from '@tg-canary/sandbox/rsa-public-key';
import { useDcRsaKey } from '../app/telegram-session.js';

// With TG_DC (a data center other than Telegram's: the sandbox) media connections make fresh keys with its RSA key.
useDcRsaKey(SANDBOX_RSA_PUBLIC);

const program = new Command();
program
  .name('tg-canary')
  .description('Production end-to-end canary tester for Telegram bots')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride((err) => {
    // help and version exit 0; usage errors exit 2 (the exit-code contract)
    if (err.exitCode === 0) process.exit(0);
    process.exit(2);
  });

registerRun(program);
registerDemo(program);
registerServe(program);
registerSandbox(program);
registerLogin(program);
registerScenarioCommands(program);
registerHistory(program);
registerReport(program);
registerAlerts(program);
registerChat(program);
registerRecord(program);
registerIncidents(program);
registerSilence(program);

// Exit as soon as the command is done: gramjs leaves a ping-timeout timer (up to 10 s) running after disconnect,
// which would otherwise hold a finished CronJob pod open. stdout/stderr writes are synchronous on Linux.
// If the event loop drains before the command settled (a promise that never settles), exit 3, never 0.
guardDrainedLoop(program.parseAsync(process.argv), {
  resolved: () => process.exit(process.exitCode ?? 0),
  rejected: fail,
});
