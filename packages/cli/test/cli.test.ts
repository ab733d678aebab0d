/**
 * The real `tenfold` bin in child processes, on anchor fixtures, a generated tfjs model and
 * the real face-api weights in test-utils/weights.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { CPTensor, TRTensor, TTTensor, TuckerTensor, encodeNpy, encodeSafetensors, parafac, selectRank, tf } from '@tenfold/core';
import { fileHandler, loadDecomposition, loadNpy } from '@tenfold/core/node';
import { compressModel, kernelToTfjs } from '@tenfold/factorized-layers';
import { expectClose, f32Tolerance, fixtureCase, fx, loadFixtures, relError, repoRoot } from '../../../test-utils/index.js';
import { buildCli, panelsOf, parseSvg, runCli, seriesOf, tmpDir } from './helpers.js';

const dec = loadFixtures('decompositions');
const dec2 = loadFixtures('decompositions2');
const rankFx = loadFixtures('rank');
const REAL = path.join(repoRoot, 'test-utils', 'weights', 'face_recognition_conv64_1_conv1.npy');
let dir: string;

function npz(file: string, arrays: Record<string, tf.Tensor>): void {
  fs.writeFileSync(file, zipSync(Object.fromEntries(Object.entries(arrays).map(([k, t]) => [`${k}.npy`, encodeNpy(t)]))));
}

/** A small Sequential model: conv (fixture weight 64x32x3x3) -> flatten -> dense. */
function fixtureModel(): tf.Sequential {
  const w = fx(fixtureCase(rankFx, 'est_rank_conv_64x32x3x3').inputs.weight);
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [6, 6, 32], filters: 64, kernelSize: 3, name: 'conv' }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ units: 24, name: 'fc' }));
  const k = kernelToTfjs(w);
  const [, b] = model.layers[0].getWeights();
  model.layers[0].setWeights([k, b]);
  tf.dispose([w, k]);
  return model;
}

beforeAll(async () => {
  buildCli();
  dir = tmpDir();
  const t = (c: ReturnType<typeof fixtureCase>) => fx(c.inputs.tensor);
  const arrays = {
    cp: t(fixtureCase(dec, 'parafac_6x8x7_rank3_svd_iter50')),
    tucker: t(fixtureCase(dec, 'tucker_hooi_10x12x9_rank343_iter10')),
    tt: t(fixtureCase(dec, 'tensor_train_6x8x7_rank1-2-3-1')),
    nncp: t(fixtureCase(dec, 'non_negative_parafac_6x8x7_rank3_svd')),
    tr: t(fixtureCase(dec2, 'tensor_ring_4x5x6_rank2232')),
  };
  npz(path.join(dir, 'fixtures.npz'), arrays);
  fs.writeFileSync(path.join(dir, 'cp.npy'), encodeNpy(arrays.cp));
  tf.dispose(Object.values(arrays));
  const w = { w64: fx(fixtureCase(rankFx, 'est_rank_conv_64x32x3x3').inputs.weight), w32: fx(fixtureCase(rankFx, 'est_rank_conv_32x16x3x3').inputs.weight) };
  npz(path.join(dir, 'weights.npz'), w);
  fs.writeFileSync(path.join(dir, 'weights.safetensors'), encodeSafetensors(w));
  tf.dispose(Object.values(w));
  const model = fixtureModel();
  fs.mkdirSync(path.join(dir, 'model'));
  await model.save(fileHandler(path.join(dir, 'model')));
  model.dispose();
});

describe('tenfold decompose', () => {
  it('on the anchor fixtures: the saved factors rebuild the anchor reconstruction (cp, tucker, tt, tr, nn-cp)', async () => {
    const jobs = [
      { m: 'cp', a: 'cp', c: fixtureCase(dec, 'parafac_6x8x7_rank3_svd_iter50'), args: ['--rank', '3', '--n-iter-max', '50', '--tol', '0'] },
      { m: 'tucker', a: 'tucker', c: fixtureCase(dec, 'tucker_hooi_10x12x9_rank343_iter10'), args: ['--rank', '3,4,3', '--n-iter-max', '10', '--tol', '0'] },
      { m: 'tt', a: 'tt', c: fixtureCase(dec, 'tensor_train_6x8x7_rank1-2-3-1'), args: ['--rank', '1,2,3,1'] },
      { m: 'tr', a: 'tr', c: fixtureCase(dec2, 'tensor_ring_4x5x6_rank2232'), args: ['--rank', '2,2,3,2'] },
      { m: 'nn-cp', a: 'nncp', c: fixtureCase(dec, 'non_negative_parafac_6x8x7_rank3_svd'), args: ['--rank', '3', '--n-iter-max', '100', '--tol', '1e-6'] },
    ];
    const runs = await Promise.all(jobs.map((j) => runCli(['decompose', path.join(dir, 'fixtures.npz'), '--array', j.a, '--method', j.m, ...j.args, '--out', path.join(dir, `dec-${j.m}`), '--json'])));
    for (const [i, j] of jobs.entries()) {
      const r = runs[i];
      expect(r.stderr, j.m).toBe('');
      expect(r.code, j.m).toBe(0);
      const out = JSON.parse(r.stdout);
      const saved = JSON.parse(fs.readFileSync(path.join(dir, `dec-${j.m}`, 'summary.json'), 'utf8'));
      expect(saved.relativeError).toBe(out.relativeError);
      // The output directory is core's saved-decomposition format.
      const model = await loadDecomposition(path.join(dir, `dec-${j.m}`));
      expect(model.constructor.name).toBe({ cp: 'CPTensor', 'nn-cp': 'CPTensor', tucker: 'TuckerTensor', tt: 'TTTensor', tr: 'TRTensor' }[j.m]);
      const arrays: tf.Tensor[] = model instanceof CPTensor ? [model.weights, ...model.factors] : model instanceof TuckerTensor ? [model.core, ...model.factors] : (model as TTTensor | TRTensor).cores;
      expect(arrays.map((a) => a.shape)).toEqual(out.files.map((f: { shape: number[] }) => f.shape));
      const rec = model.toTensor();
      const input = fx(j.c.inputs.tensor);
      // The error the CLI reports is the error of what it saved.
      expect(Math.abs(relError(rec, input) - out.relativeError)).toBeLessThan(1e-5);
      if (j.m === 'nn-cp') {
        expect(out.relativeError).toBeLessThanOrEqual(j.c.expected.final_relative_error + 2e-3);
        for (const a of arrays) expect(a.min().dataSync()[0]).toBeGreaterThanOrEqual(0);
      } else {
        expect(Math.abs(out.relativeError - j.c.expected.final_relative_error), j.m).toBeLessThan(1e-4);
        expectClose(rec, j.c.expected.reconstruction, f32Tolerance(j.c.expected.reconstruction.data, { rtol: 1e-3 }), j.m);
      }
      tf.dispose([rec, input]);
      model.dispose();
    }
  });

  it('--report on a real conv weight: factors, convergence plot and report page; same numbers as parafac in-process', async () => {
    const out = path.join(dir, 'real-cp');
    const r = await runCli(['decompose', REAL, '--method', 'cp', '--rank', '4', '--n-iter-max', '15', '--tol', '0', '--seed', '0', '--out', out, '--report', '--json']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    for (const f of ['weights.npy', 'factors.0.npy', 'factors.3.npy', 'decomposition.json', 'summary.json', 'convergence.svg', 'factors.svg', 'report.html']) expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    const factors = panelsOf(parseSvg(fs.readFileSync(path.join(out, 'factors.svg'), 'utf8')));
    expect(factors.map((p) => seriesOf(p).length)).toEqual([4, 4, 4, 4]);
    expect(seriesOf(parseSvg(fs.readFileSync(path.join(out, 'convergence.svg'), 'utf8')))).toHaveLength(1);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src="http/);
    const w = await loadNpy(REAL);
    // Same seed: without one the SVD init of parafac is not reproducible run to run on wasm.
    const ref = parafac(w, 4, { nIterMax: 15, tol: 0, seed: 0, returnErrors: true });
    expect(res.errors).toHaveLength(ref.errors.length);
    res.errors.forEach((e: number, i: number) => expect(Math.abs(e - ref.errors[i])).toBeLessThan(1e-4));
    const rebuilt = await loadDecomposition(out);
    const a = rebuilt.toTensor();
    const b = ref.cp.toTensor();
    expect(relError(a, b)).toBeLessThan(1e-3);
    tf.dispose([w, a, b]);
    rebuilt.dispose();
    ref.cp.dispose();
  });
});

describe('tenfold rank', () => {
  it('weights file and tfjs model: the anchor est_rank ranks and sigma2; spectra report', async () => {
    const reportDir = path.join(dir, 'rank-report');
    const [file, model] = await Promise.all([
      runCli(['rank', path.join(dir, 'weights.npz'), '--round-to', '8', '--json']),
      runCli(['rank', path.join(dir, 'model'), '--json', '--report', '--out', reportDir]),
    ]);
    expect(file.code).toBe(0);
    expect(model.code).toBe(0);
    const fileRes = JSON.parse(file.stdout);
    const modelRes = JSON.parse(model.stdout);
    for (const [name, fxName] of [['w64', 'est_rank_conv_64x32x3x3'], ['w32', 'est_rank_conv_32x16x3x3']]) {
      const e = fixtureCase(rankFx, fxName).expected;
      const row = fileRes.layers.find((l: { layer: string }) => l.layer === name);
      expect(row.ranks).toEqual([e.scipy_default.r0, e.scipy_default.r1]);
      expect(row.rank).toBe(e.scipy_default.rank);
      expect(Math.abs(row.sigma2[0] / e.unfold0.scipy_default.sigma2 - 1)).toBeLessThan(1e-3);
    }
    // The conv kernel went in as tfjs (3, 3, 32, 64) and comes back as (64, 32, 3, 3).
    const e64 = fixtureCase(rankFx, 'est_rank_conv_64x32x3x3').expected.scipy_default;
    const conv = modelRes.layers.find((l: { layer: string }) => l.layer === 'conv/kernel');
    expect(conv.shape).toEqual([64, 32, 3, 3]);
    expect(conv.ranks).toEqual([e64.r0, e64.r1]);
    expect(modelRes.layers.map((l: { layer: string }) => l.layer)).toEqual(['conv/kernel', 'fc/kernel']);
    expect(modelRes.skipped.map((s: { name: string }) => s.name)).toEqual(['conv/bias', 'fc/bias']);
    for (const m of [0, 1]) {
      const panels = panelsOf(parseSvg(fs.readFileSync(path.join(reportDir, `spectra_mode${m}.svg`), 'utf8')));
      expect(panels).toHaveLength(2);
    }
    expect(fs.existsSync(path.join(reportDir, 'report.html'))).toBe(true);
  });
});

describe('tenfold compress, sweep, info', () => {
  it('compress (--rank 0.5, with --calibration, --rank evbmf, --budget params=0.3): the saved models predict as compressModel in-process', async () => {
    // 20 samples x 16 output positions = 320 rows >= the conv's fan_in 288: a data-aware conv fit.
    const calib = tf.randomNormal([20, 6, 6, 32], 0, 1, 'float32', 3);
    fs.writeFileSync(path.join(dir, 'calib.npy'), encodeNpy(calib));
    const jobs: { out: string; args: string[]; opts: Record<string, unknown> }[] = [
      { out: 'small', args: ['--rank', '0.5', '--report'], opts: { rank: 0.5 } },
      { out: 'small-data', args: ['--rank', '0.5', '--calibration', path.join(dir, 'calib.npy')], opts: { rank: 0.5, calibration: { inputs: calib } } },
      { out: 'small-evbmf', args: ['--rank', 'evbmf'], opts: { rank: 'evbmf' } },
      { out: 'small-budget', args: ['--budget', 'params=0.3'], opts: { budget: { params: 0.3 } } },
    ];
    const runs = await Promise.all(jobs.map((j) => runCli(['compress', path.join(dir, 'model'), ...j.args, '--out', path.join(dir, j.out), '--json'])));
    const original = await tf.loadLayersModel('file://' + path.join(dir, 'model', 'model.json'));
    const x = tf.randomNormal([3, 6, 6, 32], 0, 1, 'float32', 7);
    for (const [i, j] of jobs.entries()) {
      expect(runs[i].code, `${j.out}: ${runs[i].stderr}`).toBe(0);
      const res = JSON.parse(runs[i].stdout);
      const ref = compressModel(original, { ...j.opts, quiet: true });
      const small = await tf.loadLayersModel(fileHandler(path.join(dir, j.out)));
      const y1 = small.predict(x) as tf.Tensor;
      const y2 = ref.model.predict(x) as tf.Tensor;
      expect(relError(y1, y2), j.out).toBeLessThan(1e-4);
      expect(res.layers.map((l: { rank: unknown }) => l.rank), j.out).toEqual(ref.report.map((l) => l.rank));
      expect(res.totals.paramsAfter, j.out).toBe(ref.summary.paramsAfter);
      expect(res.totals.paramsAfter).toBeLessThan(res.totals.paramsBefore);
      tf.dispose([y1, y2]);
      ref.model.dispose();
      small.dispose();
    }
    expect(JSON.parse(runs[1].stdout).layers[0].transfer).toBe('als');
    expect(panelsOf(parseSvg(fs.readFileSync(path.join(dir, 'small', 'compression.svg'), 'utf8'))).map((p) => seriesOf(p).length)).toEqual([2, 2, 1]);
    tf.dispose([x, calib]);
    original.dispose();
  });

  it('sweep --ranks 1..3: the same diagnostics as selectRank in-process; info lists shapes and dtypes', async () => {
    const [sw, info, infoModel, rankSt] = await Promise.all([
      runCli(['sweep', path.join(dir, 'cp.npy'), '--method', 'cp', '--ranks', '1..3', '--restarts', '2', '--n-iter-max', '40', '--json', '--report', '--out', path.join(dir, 'sweep')]),
      runCli(['info', path.join(dir, 'fixtures.npz'), '--json']),
      runCli(['info', path.join(dir, 'model'), '--json']),
      runCli(['rank', path.join(dir, 'weights.safetensors'), '--json']),
    ]);
    // .safetensors: the same anchor est_rank ranks as the .npz.
    expect(rankSt.code, rankSt.stderr).toBe(0);
    const e64 = fixtureCase(rankFx, 'est_rank_conv_64x32x3x3').expected.scipy_default;
    expect(JSON.parse(rankSt.stdout).layers.find((l: { layer: string }) => l.layer === 'w64').ranks).toEqual([e64.r0, e64.r1]);
    expect(sw.code).toBe(0);
    const res = JSON.parse(sw.stdout);
    const t = await loadNpy(path.join(dir, 'cp.npy'));
    const ref = selectRank(t, [1, 2, 3], { nRestarts: 2, nIterMax: 40 });
    t.dispose();
    expect(res.ranks.map((d: { rank: number }) => d.rank)).toEqual([1, 2, 3]);
    res.ranks.forEach((d: { error: number; coreConsistency: number }, i: number) => {
      expect(Math.abs(d.error - ref[i].error)).toBeLessThan(1e-5);
      expect(Math.abs(d.coreConsistency - ref[i].coreConsistency)).toBeLessThan(1e-2);
    });
    expect(panelsOf(parseSvg(fs.readFileSync(path.join(dir, 'sweep', 'sweep.svg'), 'utf8')))).toHaveLength(2);
    expect(info.code).toBe(0);
    const arrays = JSON.parse(info.stdout).arrays;
    expect(arrays.map((a: { name: string; shape: number[]; dtype: string }) => [a.name, a.shape, a.dtype])).toEqual([
      ['cp', [6, 8, 7], 'float32'],
      ['tucker', [10, 12, 9], 'float32'],
      ['tt', [6, 8, 7], 'float32'],
      ['nncp', [6, 8, 7], 'float32'],
      ['tr', [4, 5, 6], 'float32'],
    ]);
    expect(JSON.parse(infoModel.stdout).arrays.map((a: { shape: number[] }) => a.shape)).toEqual([[3, 3, 32, 64], [64], [1024, 24], [24]]);
  });
});

describe('errors, help and interruption', () => {
  it('bad files and arguments: exit 1 with a typed message naming the file, no stack', async () => {
    const garbage = path.join(dir, 'garbage.npy');
    fs.writeFileSync(garbage, 'not a numpy file at all');
    const f16 = path.join(dir, 'complex.npy');
    const header = "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }";
    const pad = 64 - ((10 + header.length + 1) % 64);
    fs.writeFileSync(f16, Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]), Buffer.from([header.length + pad + 1, 0]), Buffer.from(`${header}${' '.repeat(pad)}\n`), Buffer.alloc(16)]));
    const full = path.join(dir, 'full');
    fs.mkdirSync(full, { recursive: true });
    fs.writeFileSync(path.join(full, 'x'), '1');
    const cases: [string[], RegExp][] = [
      [['info', path.join(dir, 'missing.npy')], /ArgumentError: cannot read '.*missing\.npy': no such file/],
      [['decompose', garbage, '--method', 'cp', '--rank', '2'], /ArgumentError: '.*garbage\.npy' is not a \.npy file/],
      [['decompose', f16, '--method', 'cp', '--rank', '2'], /NotSupportedError: '.*complex\.npy': dtype complex64/],
      [['decompose', path.join(dir, 'fixtures.npz'), '--method', 'cp', '--rank', '2'], /'.*fixtures\.npz' holds 5 arrays .*--array NAME/],
      [['decompose', path.join(dir, 'cp.npy'), '--method', 'cp', '--rank', '2', '--out', full], /--out '.*full' exists and is not empty/],
      [['rank', dir], /is a directory without a model\.json/],
      [['compress', path.join(dir, 'model'), '--rank', '7.5', '--out', path.join(dir, 'never')], /RankError: --rank must be/],
      [['compress', path.join(dir, 'model'), '--rank', '0.5', '--budget', 'params=0.3', '--out', path.join(dir, 'never')], /ArgumentError: give --rank or --budget, not both/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args)));
    runs.forEach((r, i) => {
      expect(r.code, cases[i][0].join(' ')).toBe(1);
      expect(r.stderr).toMatch(cases[i][1]);
      expect(r.stderr).not.toMatch(/\n\s+at |node_modules/);
    });
    expect(fs.existsSync(path.join(dir, 'never'))).toBe(false);
    const dbg = await runCli(['info', path.join(dir, 'missing.npy'), '--debug']);
    expect(dbg.code).toBe(1);
    expect(dbg.stderr).toMatch(/\n\s+at /);
  });

  it('--help lists examples; SIGINT aborts, exits 130 and leaves no output behind', async () => {
    const [help, sub] = await Promise.all([runCli(['--help']), runCli(['decompose', '--help'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:[\s\S]*tenfold rank/);
    expect(sub.stdout).toMatch(/Examples:[\s\S]*--method cp/);
    const out = path.join(dir, 'interrupted');
    let sent = false;
    const r = await runCli(['decompose', REAL, '--method', 'cp', '--rank', '6', '--n-iter-max', '1000000', '--tol', '0', '--out', out], {
      env: { TENFOLD_PROGRESS: '1' },
      onStderr: (child, text) => {
        if (!sent && /parafac .*\d+\/1000000/.test(text)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted; '.*interrupted' was not written/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
