/**
 * Write the EVBMF reference cases (../referenceCases.ts) as raw little-endian float64 files
 * plus an index, for `evbmf_reference.py` (the anchor run). Usage:
 *   npx tsx packages/rank/test/reference/make-inputs.ts /tmp/evbmf-ref
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { referenceCases } from '../referenceCases.js';

const dir = process.argv[2] ?? '/tmp/evbmf-ref';
mkdirSync(dir, { recursive: true });
const index = referenceCases.map((c) => {
  const y = c.build();
  writeFileSync(join(dir, `${c.name}.f64`), Buffer.from(y.data.buffer));
  return { name: c.name, shape: y.shape };
});
writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
console.log(`wrote ${index.length} cases to ${dir}`);
