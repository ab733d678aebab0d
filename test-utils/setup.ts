import { initBackend } from '@tenfold/core';

// Every test file runs on the backend Tenfold picks (wasm here; TENFOLD_BACKEND=cpu forces cpu).
await initBackend();
