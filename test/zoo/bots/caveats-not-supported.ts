/** Healthy: answers add caveats naming what is NOT supported or closed — correct facts a substring check would forbid. */
import { rewrite } from './kit.js';

export default rewrite({
  text: (t) =>
    t
      .replace('It does not support Z-Wave.', 'Note: Z-Wave, Thread and Bluetooth are not supported.')
      .replace('on weekdays.', 'on weekdays; it is closed on weekends and public holidays, and there is no 24/7 line.')
      .replace('runs on iOS 16+ and Android 12+.', 'runs on iOS 16+ and Android 12+ (Windows is not supported).'),
});
