/**
 * What a user session sees of a bot besides its messages: its profile (command menu, description, about text)
 * and its inline-mode answers. Pure data, shared by the BotDriver port, the runner and the scorers.
 */
/** One command of the bot's menu, `command` without the slash. */
export interface BotCommandInfo {
  command: string;
  description: string;
}

/** users.getFullUser → userFull.about and userFull.bot_info, as the test user sees them in a private chat. */
export interface BotProfileInfo {
  /** The menu in the test user's private-chat scope. */
  commands: BotCommandInfo[];
  /** Shown in an empty chat ("What can this bot do?"); '' when unset. */
  description: string;
  /** The short description (the profile's about text); '' when unset. */
  about: string;
  /** The menu button: `commands` (the command list), `web-app` (a Mini App button) or `default`. */
  menuButton: 'commands' | 'web-app' | 'default';
  menuButtonUrl?: string;
}

/** One result of messages.getInlineBotResults. */
export interface InlineResultInfo {
  id: string;
  /** Telegram's result type: article, photo, gif, video, audio, voice, document, sticker, location, venue, contact, game. */
  kind: string;
  /** BotInlineMediaResult (a photo or document), else BotInlineResult. */
  media: boolean;
  title?: string;
  description?: string;
  url?: string;
  /** Text of the message the result sends (or its caption). */
  message?: string;
}

/** messages.botResults. */
export interface InlineResultsInfo {
  /** Needed to send one of the results. */
  queryId: string;
  results: InlineResultInfo[];
  nextOffset?: string;
  cacheTime: number;
  gallery: boolean;
}

/** The message messages.sendInlineBotResult produced in the chat (the user's, "via @bot"). */
export interface InlineSentInfo {
  id: number;
  at: number;
  text: string;
  /** Id of the bot named in "via @bot"; absent when Telegram did not mark the message. */
  viaBotId?: string;
}

/** A `bot-info` step: assertions (A = core's AssertionSpec) on the profile (menu and description) and the about text. */
export interface BotInfoStepSpec<A> {
  assert: A[];
  about: A[];
  emptyDescription: 'fail' | 'allow';
}

/** An `inline` step (A = core's AssertionSpec). */
export interface InlineStepSpec<A> {
  query: string;
  /** Another bot to query (default: the bot under test). */
  bot?: string;
  offset?: string;
  minResults: number;
  maxResults?: number;
  assert: A[];
}

/** Which result of the last inline step `send: { result }` sends. */
export type InlineResultPick = { index: number } | { title: string } | { regex: string };
