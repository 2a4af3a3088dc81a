/** Exact error text each malformed fixture must give (file:line: path: message (fix: …)). */
export const EXPECTED: Record<string, string[]> = {
  "01-yaml-syntax.yaml": [
    "01-yaml-syntax.yaml:5: (root): Missing closing \"quote (fix: fix the YAML syntax (indentation, quotes, colons))",
  ],
  "02-not-a-mapping.yaml": [
    "02-not-a-mapping.yaml:1: (root): must be a mapping with name, suite and steps (fix: start the file with `name:`, `suite:` and `steps:`)",
  ],
  "03-missing-name.yaml": [
    "03-missing-name.yaml:1: name: is required (fix: add name (string))",
  ],
  "04-unknown-top-key.yaml": [
    "04-unknown-top-key.yaml:3: stesp: unknown key \"stesp\" (fix: did you mean \"steps\"?)",
  ],
  "05-unknown-step.yaml": [
    "05-unknown-step.yaml:4: steps[0].sned: unknown step action \"sned\" (fix: did you mean \"send\"?)",
  ],
  "06-two-actions.yaml": [
    "06-two-actions.yaml:4: steps[0]: has more than one action (send, wait) (fix: split it into one step per action)",
  ],
  "07-bad-duration.yaml": [
    "07-bad-duration.yaml:6: steps[1].expect.timeout: is not a duration (fix: write a duration such as 500ms, 5s, 2m, 3h or a number of milliseconds)",
  ],
  "08-expect-before-send.yaml": [
    "08-expect-before-send.yaml:4: steps[0].expect: comes before any send step (fix: add a `send` step before it: the bot has nothing to answer yet)",
  ],
  "09-unknown-assertion.yaml": [
    "09-unknown-assertion.yaml:7: steps[1].expect.assert[0]: unknown assertion type \"icontain\" (fix: check the spelling; `tg-canary schema` lists every type)",
  ],
  "10-bad-regex.yaml": [
    "10-bad-regex.yaml:5: steps[1].save.regex: is not a valid regular expression (RE2 syntax): missing closing ]: `[A-Z` (fix: patterns run on RE2 (linear time): no lookahead, lookbehind or backreferences; escape ( ) [ ] . * + ? with a backslash)",
  ],
  "11-unknown-variable.yaml": [
    "11-unknown-variable.yaml:4: steps[0].send: unknown variable {{city}} (fix: define it with a save or recall step before this one, or use a built-in: nonce, run_id, date, bot)",
  ],
  "12-var-before-save.yaml": [
    "12-var-before-save.yaml:4: steps[0].send: uses {{ref}} before steps[2] defines it (fix: move the step that defines {{ref}} before this one)",
  ],
  "13-click-both.yaml": [
    "13-click-both.yaml:6: steps[2].click: needs exactly one of text or regex (fix: write `click: { text: \"✅ Confirm\" }` or `click: { regex: \"^✅\" }`)",
  ],
  "14-bad-target.yaml": [
    "14-bad-target.yaml:3: targets[1]: must be one of \"canary\", \"stable\" (fix: pick one of canary, stable)",
  ],
  "15-threshold-range.yaml": [
    "15-threshold-range.yaml:3: threshold: must be <= 1 (fix: use a number <= 1)",
  ],
  "16-messages-min-max.yaml": [
    "16-messages-min-max.yaml:6: steps[1].expect.messages: max (1) is less than min (3) (fix: make max at least min)",
  ],
  "17-save-group.yaml": [
    "17-save-group.yaml:6: steps[2].save.group: is 2 but the regex has 0 capture groups (fix: add parentheses around the part to keep, or lower `group`)",
  ],
  "18-empty-steps.yaml": [
    "18-empty-steps.yaml:3: steps: needs at least 1 item (fix: add an item)",
  ],
  "19-builtin-shadow.yaml": [
    "19-builtin-shadow.yaml:4: steps[0].recall.as: shadows the built-in variable {{nonce}} (fix: pick another name)",
  ],
  "20-web-url.yaml": [
    "20-web-url.yaml:4: steps[0].web.screenshot: expected boolean, got string (fix: write a boolean here)",
  ],
  "21-bad-assert-value.yaml": [
    "21-bad-assert-value.yaml:7: steps[1].expect.assert[0].weight: must be >= 0 (fix: use a number >= 0)",
  ],
  "22-expect-timeout-too-long.yaml": [
    "22-expect-timeout-too-long.yaml:6: steps[1].expect.timeout: is longer than the scenario timeout (fix: shorten it or raise the scenario `timeout`)",
  ],
  "23-duplicate-key.yaml": [
    "23-duplicate-key.yaml:3: (root): Map keys must be unique (fix: fix the YAML syntax (indentation, quotes, colons))",
  ],
  "24-bad-name.yaml": [
    "24-bad-name.yaml:1: name: is not a valid scenario name (fix: use letters, digits, dot, underscore or dash (no spaces), e.g. joke-fresh)",
    "24-bad-name.yaml:4: steps[0].send: expected string, got number (fix: write a string here)",
  ],
  "25-regex-lookaround.yaml": [
    "25-regex-lookaround.yaml:7: steps[1].expect.assert[0].value: not-regex uses a negative lookahead (?!…), which the linear-time regex engine (RE2) cannot run; rewrite the pattern without it (fix: fix the value of this not-regex assertion)",
    "25-regex-lookaround.yaml:8: steps[2].click.regex: uses a lookbehind (?<=…), which the linear-time regex engine (RE2) cannot run; rewrite the pattern without it (fix: patterns run on RE2 (linear time): no lookahead, lookbehind or backreferences; escape ( ) [ ] . * + ? with a backslash)",
    "25-regex-lookaround.yaml:9: steps[3].save.regex: uses a backreference \\1, which the linear-time regex engine (RE2) cannot run; rewrite the pattern without it (fix: patterns run on RE2 (linear time): no lookahead, lookbehind or backreferences; escape ( ) [ ] . * + ? with a backslash)",
  ],
  "26-checks-typo.yaml": [
    "26-checks-typo.yaml:3: checks.not-leek: unknown key \"not-leek\" (fix: did you mean \"not-leak\"?)",
    "26-checks-typo.yaml:7: steps[1].expect.checks.complete: expected boolean, got string (fix: write a boolean here)",
  ],
  "27-bad-claims.yaml": [
    "27-bad-claims.yaml:7: steps[1].expect.assert[0].value: claims claim 0 needs says: yes or says: no; write claims as a list such as value: [{ about: \"Z-Wave\", says: no }, { about: \"Zigbee\", says: yes }] (fix: fix the value of this claims assertion)",
  ],
};
