import { it } from 'vitest';
import { hostEigh } from '@tenfold/core';
it('eigh timing', () => {
const n = 500;
const a = { rows: n, cols: n, data: new Float64Array(n * n) };
for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { const v = Math.sin(i * 7 + j * 3); a.data[i * n + j] = v; a.data[j * n + i] = v; }
for (let r = 0; r < 3; r++) { const t0 = performance.now(); hostEigh(a); console.log('eigh500', (performance.now() - t0).toFixed(0), 'ms'); }
});
