/**
 * Host float64 dense matrices (`HostMatrix`, row-major `Float64Array`): constructors,
 * transpose, matmul and the argument checks shared by the host kernels.
 */
import type { HostMatrix } from '../../backend/transfer.js';
import { ArgumentError, NonFiniteError, ShapeError, describe } from '../../errors/index.js';

/** float64 machine epsilon (numpy's `finfo(float64).eps`). */
export const EPS64 = 2.220446049250313e-16;
/** float32 machine epsilon (numpy's `finfo(float32).eps`). */
export const EPS32 = 1.1920928955078125e-7;

/** A rows x cols zero matrix. */
export function hostZeros(rows: number, cols: number): HostMatrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** The n x n identity. */
export function hostEye(n: number): HostMatrix {
  const m = hostZeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** A row-major float64 matrix from nested arrays (small literals). */
export function hostFromArray(rows: number[][]): HostMatrix {
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) {
    throw new ArgumentError(`rows must be an array of arrays of numbers; got ${describe(rows)}`);
  }
  const r = rows.length;
  const c = r ? rows[0].length : 0;
  const out = hostZeros(r, c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new ShapeError(`rows must all have length ${c}; row ${i} has ${rows[i].length}`);
    for (let j = 0; j < c; j++) {
      const x = rows[i][j];
      if (typeof x !== 'number') throw new ArgumentError(`rows[${i}][${j}] must be a number; got ${describe(x)}`);
      out.data[i * c + j] = x;
    }
  }
  return out;
}

/** Transpose. */
export function hostTranspose(a: HostMatrix): HostMatrix {
  checkHostMatrix(a, 'a');
  const { rows: m, cols: n, data } = a;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) out[j * m + i] = data[row + j];
  }
  return { rows: n, cols: m, data: out };
}

/** Result width up to which `hostMatmul` uses the dot-product loop order. */
const NARROW_COLS = 32;

/** C = op(A) op(B) in float64, op = transpose when asked. */
export function hostMatmul(a: HostMatrix, b: HostMatrix, transA = false, transB = false): HostMatrix {
  checkHostMatrix(a, 'a');
  checkHostMatrix(b, 'b');
  const A = transA ? hostTranspose(a) : a;
  const B = transB ? hostTranspose(b) : b;
  if (A.cols !== B.rows) {
    throw new ShapeError(`hostMatmul: the inner dimensions of a and b differ (${A.rows}x${A.cols} times ${B.rows}x${B.cols})`);
  }
  const m = A.rows;
  const k = A.cols;
  const n = B.cols;
  const out = new Float64Array(m * n);
  const ad = A.data;
  const bd = B.data;
  if (n <= NARROW_COLS && k >= 4 * n) {
    // Narrow B (e.g. a 1000 x 1000 Gram times a 1000 x 20 block): the i-p-j inner loop would
    // run only n steps; dot products of A's rows with B's columns (B transposed once) run k
    // contiguous steps instead (four partial sums), several times faster in V8.
    const bt = hostTranspose(B).data;
    for (let i = 0; i < m; i++) {
      const arow = i * k;
      for (let j = 0; j < n; j++) {
        const bcol = j * k;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let p = 0;
        for (; p + 3 < k; p += 4) {
          a0 += ad[arow + p] * bt[bcol + p];
          a1 += ad[arow + p + 1] * bt[bcol + p + 1];
          a2 += ad[arow + p + 2] * bt[bcol + p + 2];
          a3 += ad[arow + p + 3] * bt[bcol + p + 3];
        }
        for (; p < k; p++) a0 += ad[arow + p] * bt[bcol + p];
        out[i * n + j] = a0 + a1 + (a2 + a3);
      }
    }
    return { rows: m, cols: n, data: out };
  }
  // i-p-j order: the inner loop runs over contiguous rows of B and C.
  for (let i = 0; i < m; i++) {
    const crow = i * n;
    for (let p = 0; p < k; p++) {
      const aip = ad[i * k + p];
      if (aip === 0) continue;
      const brow = p * n;
      for (let j = 0; j < n; j++) out[crow + j] += aip * bd[brow + j];
    }
  }
  return { rows: m, cols: n, data: out };
}

export function checkHostMatrix(a: unknown, argName: string): asserts a is HostMatrix {
  const m = a as HostMatrix;
  if (typeof m !== 'object' || m === null || !(m.data instanceof Float64Array) || !Number.isInteger(m.rows) || !Number.isInteger(m.cols)) {
    throw new ArgumentError(`${argName} must be a HostMatrix { rows, cols, data: Float64Array }; got ${describe(a)}`);
  }
  if (m.rows < 0 || m.cols < 0 || m.data.length !== m.rows * m.cols) {
    throw new ShapeError(`${argName}: data of length ${m.data.length} does not fit ${m.rows} x ${m.cols}`);
  }
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i])) throw new NonFiniteError(`${argName} must be finite; entry ${i} is ${m.data[i]}`);
  }
}

export function checkSquare(a: HostMatrix, argName: string): void {
  if (a.rows !== a.cols) throw new ShapeError(`${argName} must be square; got ${a.rows} x ${a.cols}`);
}
