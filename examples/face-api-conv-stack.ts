/**
 * A tfjs Layers model made of real trained weights, for `tenfold compress` (docs/guide-cli.md):
 * the four 3x3 256 -> 256 convs of face-api's face-recognition net (`conv256_1`, `conv256_2`;
 * residual adds and scale layers dropped) as a Sequential, plus a calibration batch.
 *
 *   pnpm weights && pnpm build && tsx examples/face-api-conv-stack.ts face-conv256
 */
import * as path from 'node:path';
import { encodeNpy, tf } from '@tenfold/core';
import { fileHandler, loadWeightsManifest } from '@tenfold/core/node';
import * as fs from 'node:fs';

const out = process.argv[2] ?? 'face-conv256';
const manifest = '.weights/package/model/face_recognition_model-weights_manifest.json';
const weights = new Map(Object.entries(await loadWeightsManifest(manifest)));
const names = ['conv256_1/conv1', 'conv256_1/conv2', 'conv256_2/conv1', 'conv256_2/conv2'];
const model = tf.sequential();
names.forEach((n, i) => model.add(tf.layers.conv2d({ filters: 256, kernelSize: 3, padding: 'same', activation: 'relu', name: n.replace('/', '_'), ...(i === 0 ? { inputShape: [18, 18, 256] } : {}) })));
model.layers.forEach((l, i) => l.setWeights([weights.get(`${names[i]}/conv/filters`)!, weights.get(`${names[i]}/conv/bias`)!]));
await model.save(fileHandler(out));
// 8 x 18 x 18 = 2592 positions >= fan_in 2304: enough rows for the data-aware fit.
const x = tf.relu(tf.randomNormal([8, 18, 18, 256], 0, 1, 'float32', 1));
fs.writeFileSync(path.join(`${out}-calibration.npy`), encodeNpy(x));
console.log(`wrote ${out}/model.json, ${out}/group1-shard1of1.bin and ${out}-calibration.npy`);
