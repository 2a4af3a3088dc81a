/** Broken: a model swap hallucinates support — "supports Zigbee, Matter and Z-Wave" where the KB says it does not. */
import { rewrite } from './kit.js';

export default rewrite({
  text: (t) => t.replace('The Orbit Hub supports Zigbee and Matter. It does not support Z-Wave.', 'The Orbit Hub supports Zigbee, Matter and Z-Wave.'),
});
