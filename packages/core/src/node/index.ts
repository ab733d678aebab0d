/**
 * `@tenfold/core/node` — the Node-only entry: file access for arrays (`.npy`, `.npz`,
 * `.safetensors`), `file://` model handlers for tfjs LayersModels (registered when this
 * module is imported), and saved decompositions. Everything in the main entry
 * `@tenfold/core` stays browser-safe (no `node:*` imports).
 */
export { loadNpy, saveNpy, loadNpz, saveNpz, loadSafetensors, saveSafetensors } from './arrayFiles.js';
