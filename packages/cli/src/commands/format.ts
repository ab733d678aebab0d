/** Text formatting of the commands' output (no imports: `info` loads it without core). */

/** A plain-text table with right-aligned numeric columns. */
export function formatTable(columns: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const w = columns.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j]?.length ?? 0)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join('  ');
  return [line(columns), w.map((n) => '-'.repeat(n)).join('  '), ...cells.map(line)].join('\n');
}

/** 3 significant digits. */
export function sig(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(2);
  return Number(x.toPrecision(3)).toString();
}

export function shapeText(shape: readonly number[]): string {
  return `(${shape.join(', ')})`;
}
