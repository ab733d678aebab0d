import { it } from 'vitest';
it('example', async () => { Error.stackTraceLimit = 80; try { await import('../../../../examples/factorized-linear.js'); } catch (e) { console.log('STACK', (e as Error).stack); throw e; } }, 600_000);
