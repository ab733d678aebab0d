import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ModeError, ShapeError, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { permute, prod, shapeStr } from '../base/internal/shapeHelpers.js';

/** One side's modes: a mode or a list of modes. */
export type ModeList = number | readonly number[];
/**
 * Contraction modes, as TensorLy's `_validate_contraction_modes` reads them:
 * an integer `n` (the last `n` modes of the first tensor with the first `n` of the second;
 * for batched modes, the same mode in both), a pair `[modes1, modes2]` (each a mode or a
 * list; a two-element list of numbers is such a pair, as in NumPy's `axes=(1, 0)`), or any
 * other list of numbers (the same modes in both).
 */
export type ContractionModes = number | readonly number[] | readonly [ModeList, ModeList];

function asList(v: unknown, argName: string): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) && v.every((m) => typeof m === 'number')) return [...v];
  throw new ArgumentError(`${argName} must be a mode or a list of modes; got ${describe(v)}`);
}

/** Parse and check one modes argument into two normalised lists. */
function parseModes(shape1: number[], shape2: number[], modes: unknown, batched: boolean, argName: string): [number[], number[]] {
  let m1: number[];
  let m2: number[];
  if (typeof modes === 'number') {
    if (!Number.isInteger(modes)) throw new ArgumentError(`${argName} must be an integer, a pair of mode lists or a list of modes; got ${describe(modes)}`);
    if (batched) {
      m1 = [modes];
      m2 = [modes];
    } else {
      if (modes < 0 || modes > Math.min(shape1.length, shape2.length)) {
        throw new ArgumentError(`${argName} = ${modes} contracts that many trailing modes of the first tensor (shape ${shapeStr(shape1)}) with leading modes of the second (shape ${shapeStr(shape2)}); it must be in [0, ${Math.min(shape1.length, shape2.length)}]`);
      }
      m1 = Array.from({ length: modes }, (_, i) => shape1.length - modes + i);
      m2 = Array.from({ length: modes }, (_, i) => i);
    }
  } else if (Array.isArray(modes) && modes.length === 2) {
    m1 = asList(modes[0], `${argName}[0]`);
    m2 = asList(modes[1], `${argName}[1]`);
  } else if (Array.isArray(modes)) {
    m1 = asList(modes, argName);
    m2 = [...m1];
  } else {
    throw new ArgumentError(`${argName} must be an integer, a pair of mode lists or a list of modes; got ${describe(modes)}`);
  }
  if (m1.length !== m2.length) {
    throw new ArgumentError(`${argName} must give as many modes for both tensors; got ${describe(m1)} and ${describe(m2)}`);
  }
  const norm = (list: number[], ndim: number, which: string) =>
    list.map((m) => {
      if (!Number.isInteger(m) || m < -ndim || m >= ndim) {
        throw new ModeError(`${argName}: mode ${describe(m)} of the ${which} tensor must be an integer in [${-ndim}, ${ndim - 1}] (shape ${shapeStr(which === 'first' ? shape1 : shape2)})`);
      }
      return m < 0 ? m + ndim : m;
    });
  m1 = norm(m1, shape1.length, 'first');
  m2 = norm(m2, shape2.length, 'second');
  m1.forEach((m, i) => {
    if (shape1[m] !== shape2[m2[i]]) {
      throw new ShapeError(`${argName}: mode ${m} of the first tensor (size ${shape1[m]}, shape ${shapeStr(shape1)}) cannot be paired with mode ${m2[i]} of the second (size ${shape2[m2[i]]}, shape ${shapeStr(shape2)})`);
    }
  });
  return [m1, m2];
}

/**
 * Tensor contraction, with optional batched (shared, not summed) modes; mirrors
 * `tensorly.tenalg.tensordot` (`_batched_tensordot.py`) in TensorLy 0.9:
 *
 *   C[b..., f1..., f2...] = sum_c A[b, f1, c] B[b, c, f2]
 *
 * where `c` runs over the paired contraction modes (in the order given), `b` over the
 * paired batch modes. Output order: the batch modes stay at their positions among the
 * first tensor's remaining modes, followed by the second tensor's free modes, e.g.
 * `tensordot(ones(2,3,4), ones(4,5), 1)` has shape `(2,3,5)`.
 * One matmul on the backend (batched when there are batch modes); operands are
 * transposed only when their modes are not already in matmul order.
 *
 * One deliberate difference: when batch modes are given out of ascending order TensorLy
 * places them by counter rather than by mode; here each batch mode lands at its own
 * position (docs/fidelity/tenalg.md). Sorted batch modes give the same result in both.
 *
 * @param modes see {@link ContractionModes}
 * @param batchedModes same forms; an integer means the same mode in both (default none)
 * @throws ModeError for a mode out of range; ShapeError when paired dims differ;
 *   ArgumentError for malformed, repeated or overlapping mode lists
 */
export function tensordot(a: TensorLike, b: TensorLike, modes: ContractionModes, batchedModes: ContractionModes = []): tf.Tensor {
  return tf.tidy(() => {
    const x = toTensor(a, 'a');
    const y = toTensor(b, 'b');
    const s1 = x.shape;
    const s2 = y.shape;
    const [c1, c2] = parseModes(s1, s2, modes, false, 'modes');
    const [b1, b2] = parseModes(s1, s2, batchedModes, true, 'batchedModes');
    const used1 = [...c1, ...b1];
    const used2 = [...c2, ...b2];
    if (new Set(used1).size !== used1.length || new Set(used2).size !== used2.length) {
      throw new ArgumentError(`modes ${describe(modes)} and batchedModes ${describe(batchedModes)} must not repeat a mode of either tensor`);
    }
    const f1 = s1.map((_, i) => i).filter((i) => !used1.includes(i));
    const f2 = s2.map((_, i) => i).filter((i) => !used2.includes(i));
    const batchShape = b1.map((m) => s1[m]);
    const nb = prod(batchShape);
    const nc = prod(c1.map((m) => s1[m]));
    const free1Shape = f1.map((m) => s1[m]);
    const free2Shape = f2.map((m) => s2[m]);
    const n1 = prod(free1Shape);
    const n2 = prod(free2Shape);

    // Operands as (batch, free, contracted) and (batch, contracted, free). Without batch
    // modes this is one plain 2-D matmul (see backend/wasmKernelFixes/matMul.ts); batched
    // contractions use tfjs's batched matmul.
    const perm1 = [...b1, ...f1, ...c1];
    const perm2 = [...b2, ...c2, ...f2];
    const A = permute(x, perm1);
    const B = permute(y, perm2);
    let res: tf.Tensor;
    if (nb === 1) {
      res = tf.matMul(tf.reshape(A, [n1, nc]), tf.reshape(B, [nc, n2]));
    } else {
      res = tf.matMul(tf.reshape(A, [nb, n1, nc]) as tf.Tensor3D, tf.reshape(B, [nb, nc, n2]) as tf.Tensor3D);
    }
    res = tf.reshape(res, [...batchShape, ...free1Shape, ...free2Shape]);
    // Put each batch mode back at its position among the first tensor's kept modes.
    const finalModes: number[] = [];
    let free = 0;
    for (let i = 0; i < s1.length; i++) {
      if (c1.includes(i)) continue;
      const bi = b1.indexOf(i);
      finalModes.push(bi >= 0 ? bi : b1.length + free++);
    }
    for (let i = finalModes.length; i < res.rank; i++) finalModes.push(i);
    return permute(res, finalModes);
  });
}
