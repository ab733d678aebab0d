/**
 * The `tenfold` command line: commander parses, the worker computes (see ./run/host.ts).
 * Exit codes: 0 ok, 1 user error (a typed TenfoldError: its message, no stack unless
 * --debug), 2 internal error, 130 interrupted (SIGINT).
 */
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runInProcess, runInWorker } from './run/host.js';
import { EXIT, IN_PROCESS, type CommandName } from './run/protocol.js';

const METHODS = ['cp', 'tucker', 'tt', 'tr', 'nn-cp'];

function int(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return n;
  };
}

function num(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative number`);
    return n;
  };
}

function stem(file: string): string {
  return path.basename(file).replace(/(\.weights_manifest)?\.(npy|npz|safetensors|json)$/i, '').replace(/-weights_manifest$/, '') || 'tenfold';
}

/** Build the program; `run` receives the command, its arguments and the host options. */
export function buildProgram(onRun: (command: CommandName, args: Record<string, unknown>, out: string | null, force: boolean) => void): Command {
  const program = new Command('tenfold');
  program
    .description('Tensor decompositions, EVBMF ranks and model compression on TensorFlow.js')
    .option('--json', 'print the result as JSON on stdout')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `
Examples:
  $ tenfold info weights.npz
  $ tenfold decompose layer.npy --method cp --rank 8 --out layer-cp --report
  $ tenfold rank model/face_recognition_model-weights_manifest.json --report --out fr-ranks
  $ tenfold sweep tensor.npy --method cp --ranks 1..10 --restarts 5 --report
  $ tenfold compress my-model/ --rank evbmf --out my-model-small --report

Exit codes: 0 ok, 1 user error, 2 internal error, 130 interrupted.`);

  program
    .command('decompose')
    .description('decompose one array (CP, Tucker, tensor train, tensor ring, non-negative CP) and save its factors')
    .argument('<file>', '.npy, .npz or .safetensors file')
    .addOption(new Option('--method <method>', 'decomposition').choices(METHODS).makeOptionMandatory())
    .requiredOption('--rank <rank>', 'rank: an integer, a fraction of the parameters (0.5), or a list for tucker/tt/tr (1,4,4,1)')
    .option('--array <name>', 'the array to use in an .npz / .safetensors file')
    .option('--out <dir>', 'output directory (default: <file>-<method>)')
    .option('--force', 'replace a non-empty --out')
    .option('--report', 'also write plots and report.html')
    .option('--n-iter-max <n>', 'maximum iterations (cp, nn-cp, tucker)', int('--n-iter-max'), 100)
    .option('--tol <tol>', 'convergence tolerance on the error change', num('--tol'))
    .addOption(new Option('--init <init>', 'initialisation').choices(['svd', 'random']))
    .option('--seed <seed>', 'seed of the initialisation (fixed by default so runs repeat)', int('--seed'), 0)
    .addHelpText('after', `
Writes to --out the decomposition as @tenfold/core/node's saveDecomposition does (read it back
with loadDecomposition): the arrays as .npy (cp/nn-cp: weights.npy, factors.<n>.npy; tucker:
core.npy, factors.<n>.npy; tt/tr: cores.<n>.npy) and decomposition.json (kind, shape, rank);
summary.json (errors, timing), and with --report convergence.svg, factors.svg (CP), report.html.

Examples:
  $ tenfold decompose conv.npy --method cp --rank 16 --report
  $ tenfold decompose weights.npz --array conv1 --method tucker --rank 32,32,3,3 --out conv1-tucker
  $ tenfold decompose t.npy --method tt --rank 1,4,4,1 --json`)
    .action((file: string, o: Record<string, unknown>) => {
      const out = (o.out as string | undefined) ?? `${stem(file)}${o.array ? `-${o.array}` : ''}-${o.method}`;
      onRun('decompose', { file, method: o.method, rank: o.rank, array: o.array, report: !!o.report, nIterMax: o.nIterMax, tol: o.tol, init: o.init, seed: o.seed }, out, !!o.force);
    });

  program
    .command('rank')
    .description('EVBMF ranks of every Dense/Conv weight of a tfjs model, or of every array of a weights file')
    .argument('<model-or-file>', 'a tfjs model directory, model.json, *weights_manifest.json, or a .npy/.npz/.safetensors file')
    .option('--report', 'also write spectra plots and report.html (to --out)')
    .option('--out <dir>', 'output directory for --report (default: <name>-rank)')
    .option('--force', 'replace a non-empty --out')
    .option('--round-to <n>', 'round the combined rank up to a multiple of n', int('--round-to'), 1)
    .addHelpText('after', `
The table lists, per layer: shape (PyTorch layout: conv (out, in, kh, kw), dense (out, in)),
the EVBMF ranks of the mode-0 and mode-1 unfoldings, the combined rank, the noise variances
sigma2 EVBMF estimated, and the time. tfjs kernels are converted from (kh, kw, in, out).

Examples:
  $ tenfold rank .weights/package/model/face_recognition_model-weights_manifest.json
  $ tenfold rank my-model/ --report --out my-model-ranks`)
    .action((target: string, o: Record<string, unknown>) => {
      const out = o.report || o.out ? ((o.out as string | undefined) ?? `${stem(target)}-rank`) : null;
      onRun('rank', { target, report: !!o.report, roundTo: o.roundTo }, out, !!o.force);
    });

  program
    .command('compress')
    .description('factorize the Dense/Conv2D layers of a tfjs Layers model into low-rank pairs')
    .argument('<model>', 'a tfjs Layers model directory or model.json')
    .option('--rank <rank>', "'evbmf', a fraction such as 0.25 (the default: of the full rank for Dense/Conv2D low-rank pairs, of the parameters for Conv1D/Conv3D/Embedding), or an integer")
    .option('--budget <spec>', 'parameter or FLOP budget instead of --rank, e.g. params=0.3 or flops=0.5')
    .option('--calibration <file>', '.npy batch of model inputs for a data-aware fit')
    .requiredOption('--out <dir>', 'output directory (model.json, group1-shard1of1.bin, compression.json)')
    .option('--force', 'replace a non-empty --out')
    .option('--report', 'also write compression.svg and report.html')
    .addHelpText('after', `
Examples:
  $ tenfold compress my-model/ --rank evbmf --out small
  $ tenfold compress my-model/ --budget params=0.3 --out small --report
  $ tenfold compress my-model/model.json --rank 0.5 --calibration inputs.npy --out small`)
    .action((model: string, o: Record<string, unknown>) => {
      onRun('compress', { model, rank: o.rank, budget: o.budget, calibration: o.calibration, report: !!o.report }, o.out as string, !!o.force);
    });

  program
    .command('sweep')
    .description('CP rank sweep: fit error, core consistency and restart stability per rank')
    .argument('<file>', '.npy, .npz or .safetensors file')
    .addOption(new Option('--method <method>', 'decomposition').choices(['cp']).default('cp'))
    .requiredOption('--ranks <ranks>', 'ranks to try: A..B or a comma list')
    .option('--restarts <n>', 'random restarts per rank', int('--restarts'), 5)
    .option('--array <name>', 'the array to use in an .npz / .safetensors file')
    .option('--report', 'also write sweep.svg and report.html (to --out)')
    .option('--out <dir>', 'output directory (default with --report: <file>-sweep)')
    .option('--force', 'replace a non-empty --out')
    .option('--n-iter-max <n>', 'ALS sweeps per fit', int('--n-iter-max'))
    .option('--tol <tol>', 'ALS tolerance', num('--tol'))
    .option('--seed <seed>', 'seed of the first restart', int('--seed'))
    .addHelpText('after', `
Examples:
  $ tenfold sweep tensor.npy --method cp --ranks 1..10 --restarts 5
  $ tenfold sweep data.npz --array X --ranks 2,3,4 --report --out x-sweep`)
    .action((file: string, o: Record<string, unknown>) => {
      const out = o.report || o.out ? ((o.out as string | undefined) ?? `${stem(file)}-sweep`) : null;
      onRun('sweep', { file, method: o.method, ranks: o.ranks, restarts: o.restarts, array: o.array, report: !!o.report, nIterMax: o.nIterMax, tol: o.tol, seed: o.seed }, out, !!o.force);
    });

  program
    .command('info')
    .description('names, shapes and dtypes of the arrays of a file or the weights of a tfjs model')
    .argument('<file>', '.npy, .npz, .safetensors, model.json, *weights_manifest.json or a model directory')
    .addHelpText('after', `
Examples:
  $ tenfold info layer.npy
  $ tenfold info .weights/package/model/face_landmark_68_model-weights_manifest.json --json`)
    .action((file: string) => onRun('info', { file }, null, false));
  return program;
}

/** Run the CLI on `argv` (process.argv form); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let job: { command: CommandName; args: Record<string, unknown>; out: string | null; force: boolean } | null = null;
  const program = buildProgram((command, args, out, force) => {
    job = { command, args, out, force };
  });
  await program.parseAsync(argv);
  if (!job) return EXIT.ok;
  const g = program.opts() as { json?: boolean; debug?: boolean };
  if (!g.debug) process.env.TENFOLD_QUIET = '1';
  const j = job as { command: CommandName; args: Record<string, unknown>; out: string | null; force: boolean };
  const run = IN_PROCESS.includes(j.command) ? runInProcess : runInWorker;
  return run(j.command, j.args, { json: !!g.json, debug: !!g.debug, out: j.out, force: j.force });
}
