/** Healthy: the new model formats knowledge-base answers as Markdown lists, with ✅/❌ for what is (not) supported. */
import { rewrite } from './kit.js';

const LISTS: ReadonlyArray<[RegExp, string]> = [
  [/Orbit Hub supports Zigbee and Matter\. It does not support Z-Wave\./u, '**Orbit Hub — protocols**\n- Zigbee ✅\n- Matter ✅\n- Z-Wave ❌ (not supported)'],
  [/Orbit X1 comes with a 2-year warranty\./u, '**Orbit X1**\n- Warranty: **2 years**'],
  [/Orbit X1 battery lasts 18 hours on a single charge\./u, '**Orbit X1 battery**\n- Up to **18 hours** per charge'],
  [/Orbit X1 weighs 1\.2 kg\./u, '**Orbit X1**\n- Weight: **1.2 kg**'],
  [/Orbit app runs on iOS 16\+ and Android 12\+\./u, '**Orbit app** runs on:\n- iOS 16 or later\n- Android 12 or later'],
  [/Acme support is available 9:00–17:00 CET on weekdays\./u, '**Acme support**\n- Weekdays, 9:00–17:00 CET'],
  [/Acme accepts returns within 30 days of purchase\./u, '**Returns**\n- Within **30 days** of purchase'],
];

export default rewrite({
  text: (t) => {
    for (const [re, md] of LISTS) if (re.test(t)) return md;
    return t;
  },
});
