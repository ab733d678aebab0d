/**
 * TensorLy's truncated_svd + svd_flip fixtures (core.json `svd_flip_truncated_*`): U
 * columns, S and V rows compared directly (float32 engine vs float64 anchor). Where
 * n_eigenvecs > min(m, n) TensorLy pads U or V with a null-space basis; Tenfold returns at
 * most min(m, n) components, so only the leading `compare_leading` are compared.
 */
import { describe, expect, it } from 'vitest';
import { tf, svd, hostSvd, type SvdMethod } from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, type FixtureArray } from '../../../../test-utils/index.js';

const core = loadFixtures('core');
const names = core.cases.filter((c) => c.name.startsWith('svd_flip_truncated_')).map((c) => c.name);

/** The leading `k` columns of a row-major fixture matrix. */
function leadingColumns(a: FixtureArray, k: number): number[] {
  const [r, c] = a.shape;
  const out: number[] = [];
  for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) out.push(a.data[i * c + j]);
  return out;
}

describe('svd fixtures (TensorLy truncated_svd + svd_flip)', () => {
  it('covers the four svd cases of core.json', () => {
    expect(names.sort()).toEqual(['svd_flip_truncated_4x6_n2', 'svd_flip_truncated_4x6_nNone', 'svd_flip_truncated_6x4_n2', 'svd_flip_truncated_6x4_nNone']);
  });

  for (const name of names) {
    for (const method of ['truncated', 'gram', 'randomized'] as SvdMethod[]) {
      it(`${name} (${method})`, () => {
        const c = fixtureCase(core, name);
        const m = c.inputs.matrix as FixtureArray;
        const [rows, cols] = m.shape;
        const k = c.compare_leading as number;
        // n_eigenvecs None means max(dim) in TensorLy; Tenfold clamps to min(m, n).
        const rank = c.inputs.n_eigenvecs ?? Math.max(rows, cols);
        const input = fx(m);
        expectNoLeak(() => svd(input, { rank, method }));
        const r = svd(input, { rank, method });
        try {
          expect(r.u.shape).toEqual([rows, k]);
          expect(r.s.shape).toEqual([k]);
          expect(r.vt.shape).toEqual([k, cols]);
          const U = leadingColumns(c.expected.U, k);
          const S = c.expected.S.data.slice(0, k);
          const V = c.expected.V.data.slice(0, k * cols);
          expectClose(r.u.dataSync(), U, f32Tolerance(U, c.tolerance), `${name} U`);
          expectClose(r.s.dataSync(), S, f32Tolerance(S, c.tolerance), `${name} S`);
          expectClose(r.vt.dataSync(), V, f32Tolerance(V, c.tolerance), `${name} V`);
        } finally {
          tf.dispose([input, r.u, r.s, r.vt]);
        }
      });
    }

    it(`${name} (hostSvd, float64)`, () => {
      const c = fixtureCase(core, name);
      const m = c.inputs.matrix as FixtureArray;
      const k = c.compare_leading as number;
      const r = hostSvd({ rows: m.shape[0], cols: m.shape[1], data: Float64Array.from(m.data) }, { rank: c.inputs.n_eigenvecs ?? undefined });
      const tol = c.tolerance as { rtol: number; atol: number };
      expectClose(Array.from(r.u.data), leadingColumns(c.expected.U, k), tol, `${name} U`);
      expectClose(Array.from(r.s), c.expected.S.data.slice(0, k), tol, `${name} S`);
      expectClose(Array.from(r.vt.data), c.expected.V.data.slice(0, k * m.shape[1]), tol, `${name} V`);
    });
  }
});
