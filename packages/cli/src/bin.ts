#!/usr/bin/env node
/**
 * The `tenfold` executable. Uncaught failures print one line (never a minified tfjs source
 * excerpt) and exit 2.
 */
import { main } from './cli.js';

const debug = process.argv.includes('--debug');
const fail = (err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`tenfold: internal error (${e.name}): ${e.message.split('\n')[0].slice(0, 400)}\n`);
  if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(2);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

main(process.argv).then((code) => {
  process.exitCode = code;
}, fail);
