/**
 * The computations behind the commands, by name, each loaded on demand: a command imports
 * only its own modules (start-up cost; see docs/guide-cli.md).
 */
import type { ComputeContext } from '../run/context.js';
import type { CommandName, CommandResult } from '../run/protocol.js';

export type Compute = (args: Record<string, unknown>, ctx: ComputeContext) => Promise<CommandResult>;

const as = (f: unknown) => f as Compute;

export const COMMANDS: Record<CommandName, () => Promise<Compute>> = {
  decompose: async () => as((await import('./decompose.js')).decompose),
  rank: async () => as((await import('./rank.js')).rank),
  compress: async () => as((await import('./compress.js')).compress),
  sweep: async () => as((await import('./sweep.js')).sweep),
  info: async () => as((await import('./info.js')).info),
};
