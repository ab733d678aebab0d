// Child of wasmThreads.test.ts: reports the XNNPACK thread count and a few numbers to compare.
import { parafac, tf, wasmThreadsCount } from '../../src/index.js';

const x = tf.randomNormal([30, 30, 30], 0, 1, 'float32', 3);
const a = tf.randomNormal([300, 300], 0, 1, 'float32', 4);
const m = tf.matMul(a, a);
const cp = parafac(x, 4, { nIterMax: 10, tol: 0 }) as unknown as { factors: tf.Tensor[] };
process.stdout.write(JSON.stringify({ threads: wasmThreadsCount(), matmul: Array.from(m.dataSync().slice(0, 50)), factor: Array.from(cp.factors[0].dataSync()) }) + '\n');
