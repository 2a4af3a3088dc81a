/**
 * Scenario steps for what a bot shows besides its replies: deep links (`start:`), its profile and command menu
 * (`bot-info:`), inline mode (`inline:`) and sending an inline result (`send: { result: … }`). Spread into the
 * step schemas of schema.ts.
 */
import { z } from '../schema-kit/zod.js';

const assertList = (assert: z.ZodType, what: string): z.ZodOptional<z.ZodArray<z.ZodType>> => z.array(assert).optional().describe(what);

/** A Telegram deep-link payload: 1–64 of A–Z, a–z, 0–9, _ and - ({{variables}} allowed). */
export const START_PAYLOAD_RE = /^(?:[A-Za-z0-9_-]|\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\})+$/u;

export function botSurfaceStepSchemas(assert: z.ZodType): Record<'start' | 'bot-info' | 'inline', z.ZodType> {
  return {
    start: z
      .string()
      .min(1)
      .max(64)
      .regex(START_PAYLOAD_RE, { error: 'is not a deep-link payload' })
      .describe('Open the deep link t.me/<bot>?start=PAYLOAD as a user would (messages.startBot): the chat shows /start, the bot receives "/start PAYLOAD". Follow it with an expect. To type the command instead, use `send: "/start PAYLOAD"`.'),
    'bot-info': z
      .strictObject({
        assert: assertList(assert, 'Assertions on the bot\'s profile: has-command and commands grade the command menu; text assertions (icontains, regex, …) grade its description.'),
        about: assertList(assert, 'Text assertions on the bot\'s about text (short description).'),
        'empty-description': z.enum(['fail', 'allow']).optional().describe('An empty description fails `bot-description` (default fail).'),
      })
      .describe('Read the bot\'s command menu, description and about text (users.getFullUser → bot_info) and grade them.'),
    inline: z
      .strictObject({
        query: z.string().describe('What the user types after @bot ({{variables}} expanded; may be empty).'),
        bot: z.string().regex(/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/u, { error: 'is not a bot username' }).optional().describe('Another bot to query, by username (default: the bot under test).'),
        offset: z.string().max(64).optional().describe('The offset to ask for (a next_offset of an earlier answer; default none).'),
        results: z
          .strictObject({
            min: z.number().int().min(0).optional().describe('Fewest results (default 1; 0 allows an empty answer).'),
            max: z.number().int().min(0).optional().describe('Most results.'),
          })
          .optional()
          .describe('How many results the answer may have.'),
        assert: assertList(assert, 'Assertions on the results: inline-count, inline-kinds, inline-titles, inline-descriptions; text assertions grade one line per result ("title — description").'),
      })
      .describe('Type `@bot query` in the bot\'s chat (messages.getInlineBotResults) and grade the results. A bot without inline mode, or one that does not answer in time, fails.'),
  };
}

/** `send: { result: … }`: send one result of the last inline step. */
export function inlineSendSchema(assert: z.ZodType): z.ZodType {
  return z
    .strictObject({
      result: z
        .union([
          z.number().int().min(1).describe('Position of the result, 1 = first.'),
          z
            .strictObject({
              title: z.string().min(1).optional().describe('Text the result\'s title contains (case-insensitive).'),
              regex: z.string().min(1).optional().describe('Regular expression matched against result titles.'),
            })
            .describe('The first result whose title matches; give exactly one of title or regex.'),
        ])
        .describe('Which result of the last inline step to send.'),
      assert: assertList(assert, 'Assertions on the message the result produced (sent by the user "via @bot").'),
    })
    .describe('Send one result of the last inline step into the chat (messages.sendInlineBotResult) and grade the message it produces; a following expect grades what the bot says next.');
}

/** The two forms of `send`, for the parser: its message names the form the value looks like. */
export const SEND_FORMS = {
  text: z.string().min(1),
  result: inlineSendSchema(z.unknown()),
} as const;
