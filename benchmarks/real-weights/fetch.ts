/**
 * `pnpm weights`: trained weights for the real-weights benchmarks, offline from the npm
 * registry. `npm pack @vladmandic/face-api` (MIT) into `.weights/` (gitignored), extract it,
 * dequantise the tfjs weight shards of five of its models with `loadWeightsManifest`,
 * convert every conv / dense weight to PyTorch layout and save each as `.npy`, plus
 * `.weights/index.json` listing `{ name, model, file, shape, kind }`.
 *
 * Layouts: tfjs conv (kh, kw, in, out) -> PyTorch (out, in, kh, kw); a depthwise filter
 * (kh, kw, C, 1) -> (C, 1, kh, kw); a dense (in, out) -> (out, in). Biases and other
 * vectors are skipped.
 *
 * Models: age/gender, expression and 68-point landmarks (the brief's three; their largest
 * convs are 1x1 256x256 / 3x3 depthwise), face recognition (a ResNet-34-like net with
 * eight 3x3 256x256 convs: the Tucker-2 / CP / TT workloads) and SSD MobileNetV1 (its
 * `Conv2d_13_pointwise` is a 1024x1024 pointwise conv: the TT-matrix / BlockTT workloads).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '@tenfold/core';
import { loadWeightsManifest, saveNpy } from '@tenfold/core/node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEIGHTS_DIR = process.env.TENFOLD_WEIGHTS ?? path.join(root, '.weights');
const PACKAGE = '@vladmandic/face-api@1.7.15';
const MODELS = ['age_gender_model', 'face_expression_model', 'face_landmark_68_model', 'face_recognition_model', 'ssd_mobilenetv1_model'];

export interface WeightEntry {
  /** `<model>/<tfjs weight name>`. */
  name: string;
  model: string;
  /** File name inside the weights folder. */
  file: string;
  /** PyTorch-layout shape. */
  shape: number[];
  kind: 'conv' | 'depthwise' | 'dense';
}

/** tfjs layout -> PyTorch layout; null for tensors that are not conv / dense weights. */
function toTorchLayout(name: string, t: tf.Tensor): { t: tf.Tensor; kind: WeightEntry['kind'] } | null {
  if (t.rank === 4) {
    if (/depthwise/.test(name) && t.shape[3] === 1) return { t: tf.transpose(t, [2, 3, 0, 1]), kind: 'depthwise' };
    return { t: tf.transpose(t, [3, 2, 0, 1]), kind: 'conv' };
  }
  if (t.rank === 2) return { t: tf.transpose(t), kind: 'dense' };
  return null;
}

async function main(): Promise<void> {
  fs.mkdirSync(WEIGHTS_DIR, { recursive: true });
  const pkgDir = path.join(WEIGHTS_DIR, 'package');
  if (!fs.existsSync(path.join(pkgDir, 'model'))) {
    const out = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: WEIGHTS_DIR, encoding: 'utf8' }).trim().split('\n').pop() as string;
    execFileSync('tar', ['xzf', out], { cwd: WEIGHTS_DIR });
  }
  const index: WeightEntry[] = [];
  for (const model of MODELS) {
    const decoded = await loadWeightsManifest(path.join(pkgDir, 'model', `${model}-weights_manifest.json`));
    for (const [wname, t] of Object.entries(decoded)) {
      const conv = toTorchLayout(wname, t);
      if (conv) {
        const file = `${model}__${wname.replace(/[^A-Za-z0-9_]+/g, '_')}.npy`;
        await saveNpy(path.join(WEIGHTS_DIR, file), conv.t);
        index.push({ name: `${model}/${wname}`, model, file, shape: [...conv.t.shape], kind: conv.kind });
        conv.t.dispose();
      }
      t.dispose();
    }
  }
  fs.writeFileSync(path.join(WEIGHTS_DIR, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  process.stdout.write(`${index.length} weights from ${PACKAGE} in ${WEIGHTS_DIR}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
