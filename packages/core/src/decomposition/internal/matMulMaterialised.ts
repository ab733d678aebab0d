/**
 * Matmuls without transpose flags. Measured on the wasm backend (tfjs 4.22): a matmul with
 * `transposeA`/`transposeB` runs ~10x slower than the same product on a materialised
 * transpose (2.9 vs 26 GFLOP/s), so the decompositions write every product through this.
 * (Not linalg/engine.ts's `mm`, which takes the flags as they are.)
 */
import * as tf from '@tensorflow/tfjs';

/** `a @ b` with optional transposes, materialised (see the module note); was `mm`. */
export function matMulMaterialised(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor2D {
  return tf.tidy(() => {
    const a2 = (transposeA ? tf.transpose(a as tf.Tensor2D) : a) as tf.Tensor2D;
    const b2 = (transposeB ? tf.transpose(b as tf.Tensor2D) : b) as tf.Tensor2D;
    return tf.matMul(a2, b2);
  });
}
