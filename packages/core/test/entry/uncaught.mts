// Child script for entry.test.ts: an uncaught TenfoldError after the wasm backend loaded.
import * as core from '../../src/index.ts';

await core.ready();
throw new core.ShapeError('tensor must be 3-D; got a tensor of shape [2]');
