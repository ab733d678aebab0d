/**
 * The few places Tenfold touches Node's `process`, guarded so the same code runs in a
 * browser bundle (where `process` is undefined).
 */

type Listener = (...args: unknown[]) => void;
const GLOBAL_EVENTS = ['uncaughtException', 'unhandledRejection'];
/** emscripten's listeners: `function(e){if(!(e instanceof ExitStatus))throw e}` and `function(e){throw e}`. */
const EMSCRIPTEN_RETHROW = /^function\s*\(\s*(\w+)\s*\)\s*\{\s*(if\s*\(\s*!\s*\(\s*\1\s+instanceof\s+\w+\s*\)\s*\)\s*\{?\s*)?throw\s+\1\s*;?\s*\}?\s*\}$/;

function listeners(event: string): Listener[] {
  return (process.listeners as (e: string) => Listener[])(event);
}

/** An environment variable, or undefined outside Node. */
export function env(name: string): string | undefined {
  return typeof process !== 'undefined' && process.env ? process.env[name] : undefined;
}

/**
 * Run `work` and remove the process-wide 'uncaughtException' / 'unhandledRejection'
 * listeners it added that only rethrow (tfjs-backend-wasm's emscripten glue adds two; they
 * rethrow every error from inside its minified source, so Node prints ~39 KB of it above
 * the real message). Listeners that do anything else, e.g. the user's own, are kept.
 */
export async function withoutNewProcessListeners<T>(work: () => Promise<T>): Promise<T> {
  if (typeof process === 'undefined' || typeof process.listeners !== 'function') return work();
  const before = new Map(GLOBAL_EVENTS.map((e) => [e, new Set(listeners(e))]));
  try {
    return await work();
  } finally {
    for (const e of GLOBAL_EVENTS) {
      for (const l of listeners(e)) {
        if (!before.get(e)!.has(l) && EMSCRIPTEN_RETHROW.test(String(l))) process.removeListener(e, l);
      }
    }
  }
}
