/**
 * Exact linear sum assignment (Hungarian / Kuhn–Munkres algorithm with potentials,
 * O(n^2 m)), the problem `scipy.optimize.linear_sum_assignment` solves:
 * given an n x m cost matrix with n <= m, find distinct columns `col[i]` minimising
 * `sum_i cost[i][col[i]]`.
 *
 * H. W. Kuhn, "The Hungarian method for the assignment problem", Naval Res. Logist. 1955;
 * J. Munkres, J. SIAM 1957; the shortest-augmenting-path form with row/column potentials
 * (Jonker & Volgenant 1987).
 */
import { ArgumentError, ShapeError, describe } from '../../errors/index.js';

/**
 * Minimum-cost assignment of every row to a distinct column. `cost` is row-major
 * (`rows x cols`, `rows <= cols`). Returns `col` with `col[i]` the column of row `i`.
 */
export function linearSumAssignment(cost: ArrayLike<number>, rows: number, cols: number): number[] {
  if (!(Array.isArray(cost) || ArrayBuffer.isView(cost))) throw new ArgumentError(`cost must be an array of numbers; got ${describe(cost)}`);
  if (!Number.isInteger(rows) || rows < 0) throw new ShapeError(`rows must be a non-negative integer; got ${describe(rows)}`);
  if (!Number.isInteger(cols) || cols < 0) throw new ShapeError(`cols must be a non-negative integer; got ${describe(cols)}`);
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || cost.length !== rows * cols) {
    throw new ShapeError(`cost must hold rows * cols = ${rows} * ${cols} entries; got ${cost.length}`);
  }
  if (rows > cols) throw new ShapeError(`cost must have at most as many rows as columns; got ${rows} x ${cols}`);
  for (let i = 0; i < cost.length; i++) {
    if (!Number.isFinite(cost[i])) throw new ArgumentError(`cost must be finite; entry ${i} is ${describe(cost[i])}`);
  }
  const n = rows;
  const m = cols;
  // 1-based arrays; p[j] = row matched to column j (0 = none), u/v potentials.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const col = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j] !== 0) col[p[j] - 1] = j - 1;
  return col;
}
