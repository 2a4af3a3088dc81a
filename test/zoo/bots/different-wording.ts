/** Healthy: a model swap that words everything differently (skills, knowledge base, buttons) with the same facts. */
import { rewrite } from './kit.js';

const PARAPHRASE: ReadonlyArray<[RegExp, string]> = [
  [/^The Orbit X1 comes with a 2-year warranty\.$/u, 'Good news: your Orbit X1 is covered by the manufacturer for two years.'],
  [/^The Orbit X1 battery lasts 18 hours on a single charge\.$/u, 'A full charge keeps the Orbit X1 going for up to 18 h.'],
  [/^The Orbit X1 weighs 1\.2 kg\.$/u, 'It is light: about 1.2 kg.'],
  [/^The Orbit Hub supports Zigbee and Matter\. It does not support Z-Wave\.$/u, 'Zigbee and Matter both work with the Orbit Hub; Z-Wave devices are not compatible.'],
  [/^The Orbit app runs on iOS 16\+ and Android 12\+\.$/u, 'Yes! You need Android 12 or newer (on iPhone, iOS 16 or newer).'],
  [/^Acme support is available 9:00–17:00 CET on weekdays\.$/u, 'You can reach the Acme team Monday to Friday, 9:00 to 17:00 CET.'],
  [/^Acme accepts returns within 30 days of purchase\.$/u, 'Yes — you have thirty days from purchase to send it back.'],
  [/^Got it — I'll remember that your (.+) is (.+)\.$/u, 'Noted, your $1 is $2. 📝'],
  [/^Your (.+) is (.+)\.$/u, 'You told me your $1 is $2.'],
  [/^OK, I'll remind you in (\d+) seconds\.$/u, 'Sure, I will ping you in $1 s.'],
  [/^⏰ Reminder: (.+)$/u, '🔔 Hey! Time to $1'],
  [/^(\d+) km = ([\d.]+) miles$/u, 'That is about $2 miles.'],
  [/^(\d+) C = ([\d.]+) F$/u, 'That is $2 °F.'],
  [/^Confirm booking a table for (\d+)\?$/u, 'A table for $1 people — shall I book it?'],
  [/^✅ Booked a table for (\d+)\. Reference: ([A-Z0-9]{6})$/u, 'Done! Your table for $1 is booked. Booking code: $2'],
];

export default rewrite({
  text: (t) => {
    for (const [re, out] of PARAPHRASE) if (re.test(t)) return t.replace(re, out);
    return t;
  },
  options: (o) =>
    o?.buttons
      ? { ...o, buttons: o.buttons.map((row) => row.map((b) => ({ ...b, text: b.text.replace('✅ Confirm', '👍 Yes, book it').replace('❌ Cancel', '👎 No thanks') }))) }
      : o,
});
