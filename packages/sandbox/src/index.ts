/** The sandbox: a loopback MTProto data center hosting scriptable bots. */
export { startSandbox, buildStringSession, SANDBOX_API_ID, SANDBOX_API_HASH, DEFAULT_BOTS } from './sandbox.js';
export type { Sandbox, SandboxOptions, SandboxUser } from './sandbox.js';
export type { CallLogEntry } from './data-center.js';
export { faultSpecSchema, parseFaults, loadFaultFile, type FaultSpec, type FaultKind } from './faults.js';
export { loadBotModule } from './bot-host.js';
export { runSandboxCli, type SandboxCliOptions } from './cli.js';
export type { BotModule, BotChat, BotExport, BotIncomingMessage, BotButton, BotReplyOptions, BotApiErrorShape } from './bot-contract.js';
export { DEFAULT_LIMITS, type SandboxLimits } from './bot-limits.js';
export { SANDBOX_RSA_PUBLIC } from './rsa-public-key.js';
export { SandboxError, SandboxValidationError, isSandboxError, type SandboxErrorKind, type SandboxIssue } from './errors.js';
export { silentLogger, type SandboxLogger, type SandboxLogFn } from './logger.js';
export type { SandboxGroup } from './sandbox.js';
export type { GroupSpec, GroupHumanSpec } from './groups.js';
export type { BotChatInfo, BotSender } from './bot-contract.js';
export { DEMO_GROUPS } from './demo-bots/demo-groups.js';
export { parseGroups, loadGroupFile } from './group-file.js';
