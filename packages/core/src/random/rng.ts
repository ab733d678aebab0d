/**
 * Moved to base/rng.ts (issue 11: imports only point down, and linalg needs the generator).
 * This re-export remains for linalg/ until its imports move (issue 11 part A).
 */
export * from '../base/rng.js';
