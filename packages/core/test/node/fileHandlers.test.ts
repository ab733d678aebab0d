/**
 * `file://` model handlers on the current backend (wasm or cpu): a LayersModel saved with
 * model.save('file://dir') loads back with identical weights and predictions; multi-shard,
 * multi-group manifests load; bad files give typed errors naming the file; failed saves
 * leave nothing behind.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tf } from '@tenfold/core';
import { fileHandler, loadWeightsManifest, registerFileRouters } from '@tenfold/core/node';
import { expectNoLeakAsync } from '../../../../test-utils/index.js';

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenfold-model-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function smallModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [4], units: 3, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) }));
  m.add(tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.randomNormal({ seed: 3 }) }));
  return m;
}

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('file:// routers', () => {
  it('are registered on import and registration is idempotent', () => {
    expect(registerFileRouters()).toBe(true);
    expect(registerFileRouters()).toBe(true);
    expect(tf.io.getSaveHandlers('file:///x')).toHaveLength(1);
    expect(tf.io.getLoadHandlers('file:///x/model.json')).toHaveLength(1);
  });

  it(`model.save('file://dir') then tf.loadLayersModel('file://dir/model.json'): same weights and predictions (${tf.getBackend()})`, async () => {
    const target = path.join(dir, 'm1');
    const m = smallModel();
    const result = await m.save(`file://${target}`);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe((4 * 3 + 3 + 3 * 2 + 2) * 4);
    expect(fs.readdirSync(target).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const json = JSON.parse(fs.readFileSync(path.join(target, 'model.json'), 'utf8'));
    expect(json.weightsManifest).toEqual([{ paths: ['./group1-shard1of1.bin'], weights: expect.any(Array) }]);
    expect(json.format).toBe('layers-model');
    const back = await tf.loadLayersModel(`file://${target}/model.json`);
    expect(weightsOf(back)).toEqual(weightsOf(m));
    const x = tf.tensor2d([[1, -2, 3, 0.5], [0, 1, 0, -1]]);
    const [a, b] = [m.predict(x) as tf.Tensor, back.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    // Saving over an existing directory replaces the files; a directory URL loads too.
    const m2 = smallModel();
    await m2.save(`file://${target}`);
    const back2 = await tf.loadLayersModel(`file://${target}`);
    expect(weightsOf(back2)).toEqual(weightsOf(m2));
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    tf.dispose([x, a, b]);
    for (const mm of [m, back, m2, back2]) mm.dispose();
  });

  it('a save that fails (target is a file) leaves nothing behind and names the target', async () => {
    const file = path.join(dir, 'plain');
    fs.writeFileSync(file, 'x');
    const m = smallModel();
    const err = await m.save(`file://${file}`).catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toContain(file);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
    m.dispose();
  });
});

/** A face-api-style model.json: two weight groups, the first split into two shards, uint8-quantized. */
function writeMultiShard(target: string): { kernel: number[]; bias: number[] } {
  fs.mkdirSync(target, { recursive: true });
  const m = smallModel();
  const [, b1, k2, b2] = m.getWeights();
  const f32 = (t: tf.Tensor) => new Uint8Array(new Float32Array(t.dataSync()).buffer);
  // uint8 quantization: value = min + scale * q; q = 0..11 with min -1, scale 0.25 gives exact values.
  const q = Uint8Array.from({ length: 12 }, (_, i) => i);
  const kernel = Array.from(q, (v) => -1 + 0.25 * v);
  const group1 = new Uint8Array([...q, ...f32(b1)]);
  fs.writeFileSync(path.join(target, 'g1-shard1of2'), group1.subarray(0, 7));
  fs.writeFileSync(path.join(target, 'g1-shard2of2'), group1.subarray(7));
  fs.writeFileSync(path.join(target, 'g2-shard1of1'), new Uint8Array([...f32(k2), ...f32(b2)]));
  const topo = JSON.parse(JSON.stringify(m.toJSON(undefined, false)));
  const names = m.weights.map((w) => w.originalName);
  const manifest = [
    { paths: ['g1-shard1of2', 'g1-shard2of2'], weights: [
      { name: names[0], shape: [4, 3], dtype: 'float32', quantization: { dtype: 'uint8', min: -1, scale: 0.25 } },
      { name: names[1], shape: [3], dtype: 'float32' },
    ] },
    { paths: ['g2-shard1of1'], weights: [{ name: names[2], shape: [3, 2], dtype: 'float32' }, { name: names[3], shape: [2], dtype: 'float32' }] },
  ];
  fs.writeFileSync(path.join(target, 'model.json'), JSON.stringify({ modelTopology: topo, format: 'layers-model', weightsManifest: manifest }));
  const bias = Array.from(b1.dataSync());
  m.dispose();
  return { kernel, bias };
}

describe('multi-shard manifests', () => {
  it('tf.loadLayersModel reads two groups over three shards with uint8 quantization', async () => {
    const target = path.join(dir, 'multi');
    const { kernel, bias } = writeMultiShard(target);
    const m = await tf.loadLayersModel(`file://${target}/model.json`);
    const w = weightsOf(m);
    expect(w[0]).toEqual(kernel);
    expect(w[1]).toEqual(bias);
    m.dispose();
    await expectNoLeakAsync(async () => {
      const named = await loadWeightsManifest(path.join(target, 'model.json'));
      expect(Object.keys(named)).toHaveLength(4);
      return named;
    });
  });

  it('missing shard, size mismatch, bad JSON: typed errors naming the file', async () => {
    const target = path.join(dir, 'broken');
    writeMultiShard(target);
    fs.rmSync(path.join(target, 'g2-shard1of1'));
    let err = await tf.loadLayersModel(`file://${target}/model.json`).catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toContain(path.join(target, 'g2-shard1of1'));
    fs.writeFileSync(path.join(target, 'g2-shard1of1'), new Uint8Array(5));
    err = await tf.loadLayersModel(`file://${target}/model.json`).catch((e) => e);
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/g2-shard1of1.*hold 5 bytes.*need 32/);
    fs.writeFileSync(path.join(target, 'model.json'), '{"modelTopology": ');
    err = await tf.loadLayersModel(`file://${target}/model.json`).catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toContain(`'${path.join(target, 'model.json')}' is not valid JSON`);
    err = await tf.loadLayersModel(`file://${path.join(dir, 'nope')}/model.json`).catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(() => fileHandler('')).toThrow(ArgumentError);
  });
});
