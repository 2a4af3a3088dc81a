/** The keyboard and button parts of the `click:` step (issue 18.3): the callback answer, opening a page. */
import { z } from '../schema-kit/zod.js';

/** `timeout` is the scenario schema's timer duration (passed in: schema.ts imports this file). */
export function clickUiParts(timeout: z.ZodType): Record<'expect-answer' | 'open', z.ZodType> {
  return {
    'expect-answer': z
      .strictObject({
        alert: z.boolean().optional().describe('true: the answer must be an alert (a dialog the user dismisses); false: a toast.'),
        equals: z.string().optional().describe('The answer text, exactly.'),
        icontains: z.string().min(1).optional().describe('Text the answer must contain (case-insensitive).'),
        regex: z.string().min(1).optional().describe('Regular expression the answer text must match.'),
      })
      .optional()
      .describe('The callback answer (answerCallbackQuery) of an inline callback button: alert or toast, and its text. A press without an answer text fails it.'),
    open: z
      .strictObject({
        text: z.string().optional().describe('Text the page (or the selected element) must contain.'),
        selector: z.string().optional().describe('CSS selector of the element to check.'),
        screenshot: z.boolean().optional().describe('Save a screenshot in the report (default false).'),
        timeout: timeout.optional().describe('Page load and check deadline (default 10s).'),
      })
      .optional()
      .describe('A URL button: open its link in headless Chromium with these checks (as a `web:` step). A Mini App button is always opened: messages.requestWebView gives the URL with Telegram\'s signed init data, and these checks run on the page.'),
  };
}
