/** The computations behind the commands, by name (run in the worker thread). */
import type { ComputeContext } from '../run/context.js';
import type { CommandName, CommandResult } from '../run/protocol.js';
import { compress } from './compress.js';
import { decompose } from './decompose.js';
import { info } from './info.js';
import { rank } from './rank.js';
import { sweep } from './sweep.js';

type Compute = (args: never, ctx: ComputeContext) => Promise<CommandResult>;

export const COMMANDS: Record<CommandName, (args: Record<string, unknown>, ctx: ComputeContext) => Promise<CommandResult>> = {
  decompose,
  rank,
  compress,
  sweep,
  info,
} satisfies Record<CommandName, Compute> as unknown as Record<CommandName, (args: Record<string, unknown>, ctx: ComputeContext) => Promise<CommandResult>>;
