// Child script for entry.test.ts: TENFOLD_NO_AUTO_INIT=1 leaves the choice to ready().
import * as core from '../../src/index.ts';

await new Promise((r) => setTimeout(r, 50));
const noneYet = core.tf.getBackend() == null;
// The first op makes tfjs pick among what is registered (cpu: wasm is not loaded yet).
core.tf.tensor([1]).dispose();
const beforeReady = core.tf.getBackend();
const info = await core.ready();
process.stdout.write(JSON.stringify({ noneYet, beforeReady, ready: info.name }));
