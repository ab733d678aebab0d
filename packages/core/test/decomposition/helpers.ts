import { expect } from 'vitest';

const EPS32 = 1.1920928955078125e-7;

/**
 * Tolerance for relative errors computed by the error identities
 * ||T - T_hat||^2 = ||T||^2 + ||T_hat||^2 - 2 <T, T_hat> (CP) or ||T||^2 - ||core||^2
 * (Tucker) in float32: the subtraction loses about eps32 * ||T||^2, i.e. about
 * eps32 / (2 err) on err = ||T - T_hat|| / ||T||.
 */
export function identityTol(err: number): { rtol: number; atol: number } {
  return { rtol: 1e-4, atol: (4 * EPS32) / Math.max(err, 1e-3) };
}

/** Per-iteration errors against a fixture's, within `identityTol`. */
export function expectErrorsClose(actual: number[], expected: number[], label: string): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  actual.forEach((a, i) => {
    const tol = identityTol(expected[i]);
    expect(Math.abs(a - expected[i]), `${label}[${i}]: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol.atol + tol.rtol * Math.abs(expected[i]));
  });
}
