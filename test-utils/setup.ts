import fc from 'fast-check';
import { ready } from '@tenfold/core';

// Every test file runs on the backend Tenfold picks (wasm here; TENFOLD_BACKEND=cpu forces cpu).
await ready();

// Property tests draw from one seed per run so CI is reproducible; FC_SEED=<n> replays or
// explores another (a failing run prints its seed and path).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261206) });
