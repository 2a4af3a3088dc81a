import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { checkScenarioText } from '../../src/scenarios/index.js';
import { isScorerName, validateAssertionValue } from '../../src/scorers/index.js';

const opts = { isScorer: isScorerName, validateValue: validateAssertionValue };
const dir = mkdtempSync(join(tmpdir(), 'tg-canary-send-media-'));
writeFileSync(join(dir, 'cat.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
writeFileSync(join(dir, 'empty.ogg'), '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = join(dir, 'media.yaml');
const scenario = (send: string, expect = ''): string => `name: m\nsuite: media\nsteps:\n  - send: ${send}\n  - expect: { assert: [ ${expect || 'not-error'} ] }\n`;
const problems = (text: string): string[] => ValidationError.render(checkScenarioText(file, text, opts).issues).split('\n').filter(Boolean);

describe('send: with media', () => {
  it('resolves a file next to the scenario file, keeps the caption as the text', () => {
    const parsed = checkScenarioText(file, scenario('{ photo: ./cat.png, caption: "a cat" }'), opts);
    expect(parsed.issues).toEqual([]);
    expect(parsed.scenario?.steps[0]).toEqual({ kind: 'send', text: 'a cat', media: { kind: 'photo', file: join(dir, 'cat.png') } });
  });

  it('reads a location and a contact', () => {
    expect(checkScenarioText(file, scenario('{ location: { lat: 52.5, lon: 13.4 } }'), opts).scenario?.steps[0]).toEqual({ kind: 'send', text: '', media: { kind: 'location', lat: 52.5, lon: 13.4 } });
    expect(checkScenarioText(file, scenario('{ contact: { phone: "+1555", firstName: Ann } }'), opts).scenario?.steps[0]).toEqual({ kind: 'send', text: '', media: { kind: 'contact', phone: '+1555', firstName: 'Ann' } });
  });

  it('a missing or empty file is a load-time error naming the file, the step and the fix', () => {
    expect(problems(scenario('{ voice: ./nope.ogg }'))).toEqual([
      `${file}:4: steps[0].send.voice: ./nope.ogg does not exist (looked for ${join(dir, 'nope.ogg')}) (fix: put the file next to the scenario file (paths are relative to ${dir}) or fix the path)`,
    ]);
    expect(problems(scenario('{ voice: ./empty.ogg }'))[0]).toMatch(/steps\[0\]\.send\.voice: \.\/empty\.ogg is empty/u);
  });

  it('refuses two media at once, a caption on a location, bad coordinates and unknown keys', () => {
    expect(problems(scenario('{ photo: ./cat.png, document: ./cat.png }'))[0]).toMatch(/steps\[0\]\.send: has more than one media \(photo, document\)/u);
    expect(problems(scenario('{ caption: hi }'))[0]).toMatch(/steps\[0\]\.send: has no media to send/u);
    expect(problems(scenario('{ location: { lat: 52.5, lon: 13.4 }, caption: hi }'))[0]).toMatch(/steps\[0\]\.send\.caption: a location has no caption/u);
    expect(problems(scenario('{ location: { lat: 95, lon: 13.4 } }'))[0]).toMatch(/steps\[0\]\.send\.location\.lat/u);
    expect(problems(scenario('{ picture: ./cat.png }'))[0]).toMatch(/steps\[0\]\.send.*picture/u);
    expect(problems(scenario('42'))[0]).toMatch(/steps\[0\]\.send: expected string, got number/u);
  });

  it('checks media assertion values at load time', () => {
    expect(problems(scenario('hi', '{ type: media-kind, value: picture }'))[0]).toMatch(/"picture" is not a media kind; use one of photo, document/u);
    expect(problems(scenario('hi', '{ type: sha256, value: abc }'))[0]).toMatch(/sha256 needs the SHA-256 of the file as 64 hex digits/u);
    expect(problems(scenario('hi', '{ type: file-size, value: { min: 10, max: 5 } }'))[0]).toMatch(/min 10 is above max 5/u);
    expect(problems(scenario('hi', '{ type: not-media-kind, value: sticker }'))).toEqual([]);
  });
});
