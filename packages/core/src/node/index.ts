/**
 * `@tenfold/core/node` — the Node-only entry: file access for arrays (`.npy`, `.npz`,
 * `.safetensors`), tfjs weight manifests, `file://` model handlers for tfjs LayersModels
 * (registered when this module is imported, on every backend), and saved decompositions.
 * Everything in the main entry `@tenfold/core` stays browser-safe (no `node:*` imports).
 */
import { registerFileRouters } from './fileHandlers.js';

export { loadNpy, saveNpy, loadNpz, saveNpz, loadSafetensors, saveSafetensors } from './arrayFiles.js';
export { fileHandler, registerFileRouters } from './fileHandlers.js';
export { loadWeightsManifest } from './weightsManifest.js';
export { saveDecomposition, loadDecomposition, type SavedDecomposition, type DecompositionMetadata } from './decompositionFiles.js';

registerFileRouters();
