/** Broken: a refactor inverted the km→miles factor and forgot the +32 of °C→°F. */
import { rewrite } from './kit.js';

export default rewrite({
  text: (t) => t.replace(/^(\d+) km = [\d.]+ miles$/u, (_m, n: string) => `${n} km = ${(Number(n) * 1.609).toFixed(2)} miles`).replace(/^(\d+) C = [\d.]+ F$/u, (_m, n: string) => `${n} C = ${Number(n) * 1.8} F`),
});
