/**
 * The Gram matrix of a host matrix in float64: G = A A^T (`side: 'rows'`) or A^T A
 * (`side: 'cols'`). Only the upper triangle is computed (dot products of contiguous rows),
 * then mirrored: half the multiply-adds of a general product and no transposed copy for
 * the row side. The column side transposes once so its dots are contiguous too.
 */
import type { HostMatrix } from '../backend/transfer.js';
import { checkHostMatrix, hostTranspose } from './host.js';
import { checkEnumOption } from '../checks/options.js';

export function hostGram(a: HostMatrix, side: 'rows' | 'cols'): HostMatrix {
  checkHostMatrix(a, 'a');
  checkEnumOption(side, 'side', ['rows', 'cols'] as const);
  const m = side === 'rows' ? a : hostTranspose(a);
  const { rows: n, cols: k, data } = m;
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = i * k;
    for (let j = i; j < n; j++) {
      const oj = j * k;
      // Four accumulators: independent chains let the JIT overlap the multiply-adds.
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let p = 0;
      for (; p + 3 < k; p += 4) {
        s0 += data[oi + p] * data[oj + p];
        s1 += data[oi + p + 1] * data[oj + p + 1];
        s2 += data[oi + p + 2] * data[oj + p + 2];
        s3 += data[oi + p + 3] * data[oj + p + 3];
      }
      for (; p < k; p++) s0 += data[oi + p] * data[oj + p];
      const v = s0 + s1 + s2 + s3;
      g[i * n + j] = v;
      g[j * n + i] = v;
    }
  }
  return { rows: n, cols: n, data: g };
}
