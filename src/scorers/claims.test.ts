import { describe, expect, it } from 'vitest';
import { judgeClaim, parseClaims } from './claims.js';
import { mentionsOf } from './polarity.js';
import { scorerContext, textReply } from './reply.js';
import { scoreAssertion } from './score.js';

const polarity = (text: string, subject: string): string[] => mentionsOf(text, [subject]).map((m) => m.polarity);

describe('polarity of a subject', () => {
  it.each([
    // plain and negated, five languages
    ['The Orbit Hub supports Z-Wave.', 'Z-Wave', 'positive'],
    ['The Orbit Hub does not support Z-Wave.', 'Z-Wave', 'negative'],
    ["The hub doesn't work with Z-Wave.", 'Z-Wave', 'negative'],
    ['Z-Wave is not supported.', 'Z-Wave', 'negative'],
    ['Z-Wave is unsupported on the hub.', 'Z-Wave', 'negative'],
    ['There is no Z-Wave support.', 'Z-Wave', 'negative'],
    ['Хаб не поддерживает Z-Wave.', 'Z-Wave', 'negative'],
    ['Хаб поддерживает Z-Wave.', 'Z-Wave', 'positive'],
    ['Поддержки Z-Wave нет.', 'Z-Wave', 'negative'],
    ['Ни Zigbee, ни Z-Wave хаб не поддерживает.', 'Z-Wave', 'negative'],
    ['Der Hub unterstützt kein Z-Wave.', 'Z-Wave', 'negative'],
    ['Der Hub unterstützt Z-Wave nicht.', 'Z-Wave', 'negative'],
    ['Der Hub unterstützt weder Zigbee noch Z-Wave.', 'Z-Wave', 'negative'],
    ['Der Hub unterstützt Z-Wave.', 'Z-Wave', 'positive'],
    ["Le hub ne prend pas en charge Z-Wave.", 'Z-Wave', 'negative'],
    ["Le hub n'est pas compatible Z-Wave.", 'Z-Wave', 'negative'],
    ['Le hub prend en charge Z-Wave.', 'Z-Wave', 'positive'],
    ['Le hub ne prend plus en charge Z-Wave.', 'Z-Wave', 'negative'],
    ['El hub no es compatible con Z-Wave.', 'Z-Wave', 'negative'],
    ['El hub no soporta nunca Z-Wave.', 'Z-Wave', 'negative'],
    ['El hub es compatible con Z-Wave.', 'Z-Wave', 'positive'],
    // double negation
    ["It's not true that it doesn't support Z-Wave.", 'Z-Wave', 'positive'],
    ["Il n'est pas vrai qu'il ne supporte pas Z-Wave.", 'Z-Wave', 'positive'],
    ['No es cierto que no soporte Z-Wave.', 'Z-Wave', 'positive'],
    ['Неправда, что хаб не поддерживает Z-Wave.', 'Z-Wave', 'positive'],
    // not only … but also
    ['It supports not only Zigbee but also Z-Wave.', 'Z-Wave', 'positive'],
    ['It supports not only Zigbee but also Z-Wave.', 'Zigbee', 'positive'],
    ['Он поддерживает не только Zigbee, но и Z-Wave.', 'Z-Wave', 'positive'],
    ['Er unterstützt nicht nur Zigbee, sondern auch Z-Wave.', 'Z-Wave', 'positive'],
    // lists
    ['It supports Zigbee and Thread, but not Z-Wave.', 'Z-Wave', 'negative'],
    ['It supports Zigbee and Thread, but not Z-Wave.', 'Thread', 'positive'],
    ['It supports Zigbee, not Z-Wave.', 'Zigbee', 'positive'],
    ['It supports Zigbee, not Z-Wave.', 'Z-Wave', 'negative'],
    ["It doesn't support Thread, Matter or Z-Wave.", 'Matter', 'negative'],
    ['Zigbee is supported, Z-Wave is not.', 'Zigbee', 'positive'],
    ['Zigbee is supported, Z-Wave is not.', 'Z-Wave', 'negative'],
    ['It supports Zigbee and does not support Z-Wave.', 'Zigbee', 'positive'],
    ['Il prend en charge Zigbee, mais pas Z-Wave.', 'Z-Wave', 'negative'],
    ['Soporta Zigbee, pero no Z-Wave.', 'Zigbee', 'positive'],
    ['Soporta Zigbee, pero no Z-Wave.', 'Z-Wave', 'negative'],
    // elliptical clauses and topic dashes
    ['Zigbee wird unterstützt, Z-Wave nicht.', 'Zigbee', 'positive'],
    ['Zigbee wird unterstützt, Z-Wave nicht.', 'Z-Wave', 'negative'],
    ['Zigbee sí, Z-Wave no.', 'Zigbee', 'positive'],
    ['Zigbee sí, Z-Wave no.', 'Z-Wave', 'negative'],
    ['Zigbee oui, Z-Wave non.', 'Z-Wave', 'negative'],
    ['Zigbee — да, Z-Wave — нет.', 'Zigbee', 'positive'],
    ['Zigbee — да, Z-Wave — нет.', 'Z-Wave', 'negative'],
    ['Z-Wave — не поддерживается.', 'Z-Wave', 'negative'],
    ['Zigbee работает, а Z-Wave нет.', 'Zigbee', 'positive'],
    ['Zigbee работает, а Z-Wave нет.', 'Z-Wave', 'negative'],
    ['Only Zigbee and Matter are supported — Z-Wave is not.', 'Zigbee', 'positive'],
    ["We don't support Zigbee, nor Z-Wave.", 'Z-Wave', 'negative'],
    ["It doesn't support Zigbee, Matter, or Thread.", 'Thread', 'negative'],
    ['Le hub est non compatible avec Z-Wave.', 'Z-Wave', 'negative'],
    // except
    ['It supports every protocol except Z-Wave.', 'Z-Wave', 'negative'],
    ["It doesn't support anything except Z-Wave.", 'Z-Wave', 'positive'],
    ['Он поддерживает все протоколы, кроме Z-Wave.', 'Z-Wave', 'negative'],
    ['Il prend en charge tous les protocoles sauf Z-Wave.', 'Z-Wave', 'negative'],
    ['Er unterstützt alle Protokolle außer Z-Wave.', 'Z-Wave', 'negative'],
    ['Soporta todos los protocolos excepto Z-Wave.', 'Z-Wave', 'negative'],
    // no longer, not yet
    ['The hub no longer supports Z-Wave.', 'Z-Wave', 'negative'],
    ["The hub doesn't support Z-Wave yet.", 'Z-Wave', 'negative'],
    ['Z-Wave is not yet supported.', 'Z-Wave', 'negative'],
    // negation scoped to another subject in the same sentence
    ['The X2 has no camera, but the hub supports Z-Wave.', 'Z-Wave', 'positive'],
    ["While the old hub didn't support Z-Wave, the new one supports Matter.", 'Matter', 'positive'],
    ['The X1, which does not have a camera, works with Z-Wave.', 'Z-Wave', 'positive'],
    ['It works without a bridge and supports Z-Wave.', 'Z-Wave', 'positive'],
    // answer particles
    ['No, the Orbit Hub does not support Z-Wave.', 'Z-Wave', 'negative'],
    ['No problem, the hub supports Z-Wave.', 'Z-Wave', 'positive'],
    ['Yes, the hub supports Z-Wave.', 'Z-Wave', 'positive'],
    // opening hours: antonyms as cues
    ["We're closed on Sundays.", 'Sunday', 'negative'],
    ["We're open on Sundays.", 'Sunday', 'positive'],
    ["We're not closed on Sundays.", 'Sunday', 'positive'],
    ["We're open every day except Sundays.", 'Sunday', 'negative'],
    ['По воскресеньям мы закрыты.', 'воскресень', 'negative'],
    ['Am Sonntag haben wir geschlossen.', 'Sonntag', 'negative'],
    ['Nous sommes fermés le dimanche.', 'dimanche', 'negative'],
    ['Los domingos estamos cerrados.', 'domingo', 'negative'],
  ])('%s → %s is %s', (text, subject, expected) => {
    expect(polarity(text, subject)).toEqual([expected]);
  });

  it('ignores conditions: "if you need Z-Wave" states nothing', () => {
    expect(polarity("If you need Z-Wave, you'll need a separate bridge, since the hub only speaks Zigbee and Matter.", 'Z-Wave')).toEqual([]);
    expect(polarity("If you need Z-Wave, you'll need a separate bridge, since the hub only speaks Zigbee and Matter.", 'Zigbee')).toEqual(['positive']);
    expect(polarity('Wenn Sie Z-Wave brauchen, benötigen Sie eine Bridge.', 'Z-Wave')).toEqual([]);
  });

  it('skips questions and finds each sentence of a longer answer', () => {
    expect(polarity('Does it support Z-Wave? No. It supports Zigbee. Z-Wave is not supported.', 'Z-Wave')).toEqual(['negative']);
    expect(polarity('Zigbee works. Matter works too.', 'Z-Wave')).toEqual([]);
    expect(polarity('Supports ZWave and Z Wave.', 'Z-Wave')).toEqual(['positive']);
    expect(polarity('The Orbit X10 supports it.', 'Orbit X1')).toEqual([]);
  });
});

describe('claims', () => {
  const grade = (text: string, value: unknown): ReturnType<typeof scoreAssertion> =>
    scoreAssertion({ type: 'claims', value, weight: 1, critical: true }, scorerContext(textReply(text)));

  it('healthy: the knowledge-base answer and its paraphrases pass', async () => {
    const claims = [{ about: 'Zigbee', says: 'yes' }, { about: 'Matter', says: 'yes' }, { about: 'Z-Wave', says: 'no' }, { about: 'Thread', says: 'no' }];
    for (const text of [
      'The Orbit Hub supports Zigbee and Matter. It does not support Z-Wave.',
      'Zigbee and Matter work out of the box; Z-Wave and Thread are not supported.',
      'Good question! 😊 The hub speaks Zigbee and Matter — but not Z-Wave.',
      'The Orbit Hub supports Zigbee and Matter.',
      "Z-Wave isn't supported, but Zigbee and Matter are.",
      "Unfortunately there's no Z-Wave support; use Zigbee or Matter instead.",
      'Only Zigbee and Matter are supported — Z-Wave and Thread are not.',
      'Der Orbit Hub unterstützt Zigbee und Matter, aber kein Z-Wave.',
      'Хаб поддерживает Zigbee и Matter, но не Z-Wave.',
      'El hub es compatible con Zigbee y Matter, pero no con Z-Wave ni Thread.',
    ]) {
      const r = await grade(text, claims);
      expect(r.pass, `${text}: ${r.reason}`).toBe(true);
    }
  });

  it('broken: a flipped polarity, a missing fact or a contradiction fails, naming the subject', async () => {
    const claims = [{ about: 'Zigbee', says: true }, { about: 'Z-Wave', says: false }];
    const flipped = await grade('The Orbit Hub supports Zigbee, Matter and Z-Wave.', claims);
    expect(flipped.pass).toBe(false);
    expect(flipped.reason).toMatch(/states "Z-Wave", which should be denied/u);
    expect(flipped.score).toBe(0.5);
    const denied = await grade('The Orbit Hub does not support Zigbee.', claims);
    expect(denied.reason).toMatch(/denies "Zigbee"/u);
    const missing = await grade('The Orbit Hub supports Matter.', claims);
    expect(missing.reason).toMatch(/does not mention "Zigbee"/u);
    const both = await grade('It supports Zigbee and Z-Wave. Actually it does not support Z-Wave.', claims);
    expect(both.reason).toMatch(/contradicts itself about "Z-Wave"/u);
  });

  it('says: no with required: true asks for an explicit denial', async () => {
    const r = await grade('We are open 9 to 5 on weekdays.', [{ about: 'Sunday', says: 'no', required: true }]);
    expect(r.pass).toBe(false);
    expect((await grade('We are closed on Sundays.', [{ about: 'Sunday', says: 'no', required: true }])).pass).toBe(true);
    expect(judgeClaim("We're open on Sundays.", { about: ['Sunday'], says: false, required: false }).pass).toBe(false);
  });

  it('rejects malformed claims with the fix', () => {
    expect(() => parseClaims([{ about: 'X' }])).toThrow(/says: yes or says: no/u);
    expect(() => parseClaims([{ says: 'no' }])).toThrow(/needs about/u);
    expect(() => parseClaims([{ about: 'X', says: 'no', polarity: 1 }])).toThrow(/unknown key polarity/u);
    expect(() => parseClaims([])).toThrow(/needs claims/u);
    expect(parseClaims({ about: ['Z-Wave', 'ZWave'], says: false })).toEqual([{ about: ['Z-Wave', 'ZWave'], says: false, required: false }]);
  });
});
