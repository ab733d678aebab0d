// Child script for entry.test.ts: what a user sees right after `import '@tenfold/core'`.
import * as core from '../../src/index.ts';

const listenersBefore = process.listenerCount('uncaughtException');
const own = (): void => undefined;
process.on('uncaughtException', own);
const before = core.tf.getBackend();
const x = core.tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
const unfolded = core.unfold(x, 1).arraySync();
const info = await core.ready();
// The tensor made on cpu is usable on the backend chosen since.
const folded = core.fold(core.unfold(x, 2), 2, [2, 2, 2]).arraySync();
process.stdout.write(JSON.stringify({
  before, unfolded, folded, x: x.arraySync(), ready: info.name, active: core.tf.getBackend(),
  ownListenerKept: process.listeners('uncaughtException').includes(own),
  extraListeners: process.listenerCount('uncaughtException') - listenersBefore - 1,
}));
