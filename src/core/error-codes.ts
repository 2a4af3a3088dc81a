/**
 * The error catalogue: every code tg-canary throws, with its kind (who failed: only `bot` may make a scenario
 * `fail`) and a default hint. A `TgCanaryError` takes an `ErrorCode`, so a code missing here does not typecheck.
 * Call sites may give a sharper hint; the catalogue's is the fallback. Codes are a stable contract (JSON reports,
 * JUnit `type=`, logs, README): rename one only with a note in the changelog.
 */
import type { ErrorKind } from './error-kind.js';

export interface ErrorSpec {
  kind: ErrorKind;
  hint: string;
}

const LOGIN = 'run `tg-canary login` for a new session string, and give each deployment its own session';
const INCONCLUSIVE = 'this is not a bot failure: the run is inconclusive';

export const ERROR_CODES = {
  // configuration and inputs
  CONFIG_INVALID: { kind: 'config', hint: 'fix the listed settings; `tg-canary validate` checks them without running' },
  CONFIG_BAD_DC_ADDRESS: { kind: 'config', hint: 'use host:port, e.g. TG_DC=127.0.0.1:8443; leave TG_DC unset in production' },
  INPUT_NOT_A_FILE: { kind: 'config', hint: 'point it at a regular file (pipes and devices are refused)' },
  INPUT_TOO_LARGE: { kind: 'config', hint: 'make the file smaller, or point at the right file' },
  INPUT_NOT_UTF8: { kind: 'config', hint: 'save the file as UTF-8' },
  REPORTER_UNKNOWN: { kind: 'config', hint: 'name one of the built-in reporters' },
  SCHEDULE_INVALID: { kind: 'config', hint: 'use 5 cron fields (minute hour day month weekday), e.g. "0 * * * *"' },
  SERVE_TOKEN_REQUIRED: { kind: 'config', hint: 'set SERVE_TOKEN (or SERVE_TOKEN_FILE)' },
  ALERT_EMAIL_NO_RECIPIENT: { kind: 'config', hint: 'set ALERT_EMAIL_TO to a comma-separated list' },
  ALERT_TELEGRAM_USER_NO_SESSION: { kind: 'config', hint: 'give the Telegram user session, or remove TELEGRAM_ALERT_PEER' },
  LOGIN_CONFIG: { kind: 'config', hint: 'set TG_API_ID and TG_API_HASH (from my.telegram.org)' },
  LOGIN_ABORTED: { kind: 'usage', hint: 'run `tg-canary login` again and answer every prompt' },
  // scenarios
  SCENARIOS_DIR_NOT_FOUND: { kind: 'config', hint: 'set SCENARIOS_DIR (or paths.scenarios) to a folder of *.yaml scenario files' },
  SCENARIO_NONE_MATCHED: { kind: 'config', hint: '`tg-canary list` shows the scenarios and their suites; check --scenario / --suite and SCENARIOS_DIR' },
  SCENARIO_INVALID: { kind: 'config', hint: 'fix the listed problems; `tg-canary validate` re-checks all scenarios' },
  SCENARIO_UNKNOWN_VARIABLE: { kind: 'config', hint: 'define it with a save or recall step before it is used, or use a built-in variable' },
  SCENARIO_TIMEOUT: { kind: 'bot', hint: 'the bot did not finish the scenario in time; raise the scenario timeout if it is simply slow' },
  JS_ASSERTION_NOT_FOUND: { kind: 'config', hint: 'give a path to an .mjs file relative to the scenario file' },
  JS_ASSERTION_EXPORT: { kind: 'config', hint: 'export a function: export default (text, { reply, vars }) => boolean | number | { pass, score?, reason? }' },
  // Telegram (the client adapter)
  TG_FLOOD_WAIT: { kind: 'infra', hint: `raise FLOOD_SLEEP_THRESHOLD, send fewer prompts per run, or run less often; ${INCONCLUSIVE}` },
  TG_AUTH_KEY_DUPLICATED: { kind: 'infra', hint: `the session is now invalid; ${LOGIN}` },
  TG_SESSION_INVALID: { kind: 'infra', hint: LOGIN },
  TG_BOT_NOT_FOUND: { kind: 'config', hint: 'check CANARY_BOT / STABLE_BOT: the bot username without @, as in t.me/<username>' },
  TG_RPC_ERROR: { kind: 'infra', hint: `a Telegram-side error; ${INCONCLUSIVE}` },
  TG_RPC_TIMEOUT: { kind: 'infra', hint: `Telegram or the network is slow or down; ${INCONCLUSIVE}. RPC_TIMEOUT_MS sets this deadline` },
  TG_UNREACHABLE: { kind: 'infra', hint: `check network access to Telegram (or TG_DC for the sandbox); ${INCONCLUSIVE}` },
  TG_BAD_ANSWER: { kind: 'infra', hint: `an unexpected answer from Telegram; ${INCONCLUSIVE}` },
  // groups and forum topics (scenario `chat:`)
  TG_GROUP_NOT_FOUND: { kind: 'config', hint: 'give the supergroup as "@username" (public) or its id (-100… or the bare id) of a group the test user is in' },
  TG_GROUP_NOT_MEMBER: { kind: 'config', hint: 'add the test user (the session\'s account) to the group, or point chat.group at a group it is in' },
  TG_GROUP_BOT_MISSING: { kind: 'config', hint: 'add the bot to the group (and turn its privacy mode off if the scenario talks to it without a mention)' },
  TG_TOPIC_NOT_FOUND: { kind: 'config', hint: 'use the title of an existing forum topic (chat.topic), or leave chat.topic out for the General topic' },
  TG_GROUP_WRITE_FORBIDDEN: { kind: 'infra', hint: `the test user may not post there right now (left or banned, a closed topic, slow mode); ${INCONCLUSIVE}` },
  BOT_RESPONSE_TIMEOUT: { kind: 'bot', hint: 'the bot did not answer the button press in time' },
  BOT_INLINE_DISABLED: { kind: 'bot', hint: 'the bot has no inline mode: turn it on with @BotFather /setinline, or drop the inline step' },
  BOT_INLINE_TIMEOUT: { kind: 'bot', hint: 'the bot must call answerInlineQuery within about 10 s, with results Telegram accepts (articles need a title, messages a text)' },
  MEDIA_TOO_LARGE: { kind: 'bot', hint: 'the bot sent a file above the download cap (MEDIA_MAX_DOWNLOAD_BYTES); raise the cap if such files are expected' },
  MEDIA_NOT_FOUND: { kind: 'bot', hint: 'the bot message has no file to download (it was deleted, or is not a media message)' },
  MEDIA_UNREADABLE: { kind: 'config', hint: 'the file to send must exist next to the scenario file and be readable' },
  MEDIA_DOWNLOAD_FAILED: { kind: 'infra', hint: `Telegram did not serve the file; ${INCONCLUSIVE}` },
  LOGIN_FAILED: { kind: 'infra', hint: 'run `tg-canary login` again' },
  SESSION_LEASE_HELD: { kind: 'infra', hint: 'another run holds the session; wait for it, or give each deployment its own session' },
  FLEET_ACCOUNT_UNKNOWN: { kind: 'config', hint: 'name one of telegram.accounts (check --accounts / TG_CANARY_ACCOUNTS)' },
  INTERNAL_UNRESOLVED_BOT: { kind: 'internal', hint: 'a bug in tg-canary; please report it with the log' },
  // fleets (issue 19): many pairs from one deployment
  INTERNAL_UNKNOWN_ACCOUNT: { kind: 'internal', hint: 'a bug in tg-canary; please report it with the log' },
  FLEET_NO_ACCOUNT: { kind: 'infra', hint: `no healthy test account is left for this pair (drained after a flood wait or a revoked session); ${INCONCLUSIVE}` },
  FLEET_PAIR_UNKNOWN: { kind: 'usage', hint: 'name a pair from the config\'s `pairs:` list (`tg-canary validate` prints the config)' },
  FLEET_PAIR_CRASHED: { kind: 'internal', hint: 'the run of this pair broke off; the other pairs are unaffected; see the log' },
  DRIVER_UNSUPPORTED: { kind: 'internal', hint: 'this step needs the Telegram driver (deep links, bot info, inline mode); the configured driver lacks it' },
  // the run
  RUN_ABORTED: { kind: 'infra', hint: 'the process was asked to stop; the next run will judge the canary' },
  TESTER_ERROR: { kind: 'internal', hint: 'a bug in tg-canary or its environment; please report it with the log' },
  WEB_UNAVAILABLE: { kind: 'infra', hint: 'set CHROMIUM_PATH or install Debian chromium' },
  CHAT_NOT_A_CALLBACK_BUTTON: { kind: 'usage', hint: 'only callback buttons can be pressed in a chat; check the others in a scenario' },
  WEBAPP_UNSUPPORTED: { kind: 'internal', hint: 'this driver cannot open Mini Apps (messages.requestWebView); use the Telegram driver' },
  CHROMIUM_MISSING: { kind: 'infra', hint: "install Debian's `chromium`, set CHROMIUM_PATH, or build the image with --build-arg WITH_CHROMIUM=1" },
  LLM_JUDGE_UNAVAILABLE: { kind: 'infra', hint: `check LLM_JUDGE_URL, LLM_JUDGE_API_KEY and the judge's status; ${INCONCLUSIVE}` },
  LLM_JUDGE_BAD_ANSWER: { kind: 'infra', hint: 'check that the endpoint is OpenAI-compatible' },
  // reports
  RUN_NOT_FOUND: { kind: 'usage', hint: '`tg-canary history` lists the stored runs' },
  RUN_ID_INVALID: { kind: 'internal', hint: 'a bug in tg-canary; please report it with the log' },
  REPORT_WRITE_FAILED: { kind: 'internal', hint: 'check that the reports folder is writable' },
  PDF_RENDER_FAILED: { kind: 'infra', hint: 'check that Chromium starts here (most containers need --no-sandbox)' },
  // the store
  DB_CORRUPT: { kind: 'infra', hint: 'check the --db path; nothing was overwritten: move the file away or restore a backup' },
  DB_TOO_NEW: { kind: 'config', hint: 'this database was written by a newer tg-canary; upgrade, or point --db elsewhere' },
  DB_TOO_OLD: { kind: 'config', hint: 'this database is older than this tg-canary can migrate; point --db elsewhere' },
  DB_NOT_FOUND: { kind: 'config', hint: 'check the --db path (a run creates the database)' },
  DB_UNWRITABLE: { kind: 'infra', hint: 'make sure the database file and its directory are writable, or point --db elsewhere' },
  DB_FULL: { kind: 'infra', hint: 'free disk space, lower --keep-days, or move the database to a larger volume' },
  DB_BUSY: { kind: 'infra', hint: 'another tg-canary process may be writing; retry later' },
  DB_ERROR: { kind: 'infra', hint: 'likely a bug in tg-canary; please report it with the log' },
  DB_URL_INVALID: { kind: 'config', hint: 'use postgres://USER:PASSWORD@HOST:PORT/DATABASE (TG_CANARY_DATABASE_URL), or a file path for SQLite' },
  DB_UNREACHABLE: { kind: 'infra', hint: 'check that PostgreSQL runs and is reachable from here (host, port, network policy)' },
  DB_AUTH: { kind: 'config', hint: 'check the user and password in TG_CANARY_DATABASE_URL and the server\'s pg_hba.conf' },
  // deliveries (notifiers, pushers)
  DELIVERY_NETWORK: { kind: 'infra', hint: 'check that the receiver is reachable from here; the delivery is retried' },
  EMAIL_SEND_FAILED: { kind: 'infra', hint: 'check SMTP_HOST, SMTP_PORT and the credentials; the delivery is retried' },
  TELEGRAM_BOT_RATE_LIMITED: { kind: 'infra', hint: 'Telegram asked the alert bot to slow down; the delivery is retried later' },
  PAGERDUTY_UNEXPECTED_ANSWER: { kind: 'infra', hint: 'check PAGERDUTY_EVENTS_URL: it must be the Events API v2 endpoint; the delivery is retried' },
  // chat and record (the interactive commands)
  CHAT_NO_SUCH_BUTTON: { kind: 'usage', hint: '`/buttons` lists the buttons of the newest message that has any' },
  RECORD_BAD_OUT: { kind: 'usage', hint: 'e.g. --out scenarios/booking.yaml (a scenario name: letters, digits, - and _)' },
  RECORD_OUT_EXISTS: { kind: 'usage', hint: 'pick another --out, or pass --force to replace it' },
  RECORD_EMPTY: { kind: 'usage', hint: 'send the bot at least one message before /quit' },
  RECORD_INVALID: { kind: 'internal', hint: 'the recording did not validate; it is kept as NAME.yaml.rejected: fix it by hand or report it' },
  // maintenance windows and silences
  MAINTENANCE_CRON_INVALID: { kind: 'config', hint: 'use 5 cron fields in UTC (minute hour day month weekday), e.g. "0 2 * * 0"' },
  SILENCE_INVALID: { kind: 'usage', hint: 'e.g. tg-canary silence --for 2h --target canary --reason "provider migration"' },
  SILENCE_NOT_FOUND: { kind: 'usage', hint: '`tg-canary silence --list` shows the ids' },
  // the sandbox (loopback data center)
  SANDBOX_BAD_BOT_ARG: { kind: 'usage', hint: 'e.g. --bot canary_bot=./my-bot.mjs' },
  SANDBOX_BAD_BOT_NAME: { kind: 'config', hint: 'use 4–32 letters, digits or _, starting with a letter, e.g. canary_bot' },
  SANDBOX_BOT_INVALID: { kind: 'config', hint: 'export default { async onMessage(msg, chat) { await chat.reply("hi") } }' },
  SANDBOX_BOT_LOAD_FAILED: { kind: 'config', hint: 'the module must be ESM with a default export' },
  SANDBOX_BOT_NO_BASE: { kind: 'config', hint: 'export an object with onMessage, or name the bot canary_bot or stable_bot' },
  SANDBOX_LISTEN_FAILED: { kind: 'usage', hint: 'pick another --port, or 0 for any free one' },
  SANDBOX_BAD_LIMITS: { kind: 'config', hint: 'see the sandbox README on Telegram limits' },
  SANDBOX_BAD_FAULTS: { kind: 'config', hint: 'fix the listed fault specs' },
  SANDBOX_BAD_GROUP: { kind: 'config', hint: 'a sandbox group needs a free username and bots the sandbox hosts' },
  SANDBOX_ERROR: { kind: 'infra', hint: 'the loopback data center failed; see its message (packages/sandbox/README.md)' },
} as const satisfies Record<string, ErrorSpec>;

/** Families of codes that carry the status a receiver answered, e.g. `DELIVERY_HTTP_503`. */
export const ERROR_CODE_FAMILIES = {
  DELIVERY_HTTP_: { kind: 'infra', hint: 'the receiver answered with an HTTP error; check its URL and credentials; the delivery is retried' },
  TELEGRAM_BOT_API_: { kind: 'infra', hint: 'the Telegram Bot API refused the alert; check TELEGRAM_BOT_TOKEN and TELEGRAM_ALERT_CHAT_ID' },
  SLACK_WEBHOOK_: { kind: 'infra', hint: 'check SLACK_WEBHOOK_URL (a revoked or mistyped webhook answers 403/404)' },
  DISCORD_WEBHOOK_: { kind: 'infra', hint: 'check DISCORD_WEBHOOK_URL (a deleted webhook answers 404)' },
  GOOGLE_CHAT_WEBHOOK_: { kind: 'infra', hint: 'check GOOGLE_CHAT_WEBHOOK_URL (its key and token are part of the URL)' },
  PAGERDUTY_: { kind: 'infra', hint: 'check PAGERDUTY_ROUTING_KEY (the integration key of an Events API v2 integration)' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES | `${keyof typeof ERROR_CODE_FAMILIES}${number}`;

type Stem<K> = K extends `${infer S}_` ? S : never;
/** A family's name without its trailing `_`, e.g. `DELIVERY_HTTP` (the status is appended). */
export type ErrorCodeFamily = Stem<keyof typeof ERROR_CODE_FAMILIES>;

const FAMILY = /^([A-Z_]+_)(\d+)$/;

/** The catalogue entry of a code (a family's entry for `DELIVERY_HTTP_503`). */
export function errorSpec(code: ErrorCode): ErrorSpec {
  if (Object.hasOwn(ERROR_CODES, code)) return ERROR_CODES[code as keyof typeof ERROR_CODES];
  const family = FAMILY.exec(code)?.[1];
  return family !== undefined && Object.hasOwn(ERROR_CODE_FAMILIES, family) ? ERROR_CODE_FAMILIES[family as keyof typeof ERROR_CODE_FAMILIES] : ERROR_CODES.TESTER_ERROR;
}

export function isErrorCode(code: string): code is ErrorCode {
  if (Object.hasOwn(ERROR_CODES, code)) return true;
  const m = FAMILY.exec(code);
  return m !== null && Object.hasOwn(ERROR_CODE_FAMILIES, m[1]);
}

