import type { ParseArgsConfig } from 'node:util';
import type { Style } from './output.js';

/** What every command gets: its parsed flags and positionals, the terminal, and the process edges. */
export interface CommandContext {
  readonly args: string[];
  readonly flags: Record<string, string | boolean | string[] | undefined>;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Styling for stdout (respects NO_COLOR and non-TTY). */
  readonly style: Style;
  /** Styling for stderr. */
  readonly errStyle: Style;
  readonly isTTY: boolean;
  /** Progress and status lines go to stderr so stdout stays data (JSON, diffs, schema). */
  progress(line: string): void;
  /** Streamed output for long commands (plan logs); final data goes in the result. */
  write(chunk: string): void;
  /** Aborted on SIGINT/SIGTERM so long work can stop cleanly (release locks, keep state whole). */
  readonly signal: AbortSignal;
  /** Asks the person at the terminal; undefined off a terminal (CI, pipes), where nobody can answer. */
  readonly ask?: (question: string) => Promise<string>;
}

/** A command returns a result; only main.ts prints it and exits. */
export interface CommandResult {
  exitCode: number;
  stdout?: string;
  stderr?: string;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  description: string;
  valueName?: string;
};

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  /** Longer help text: what it does, examples, exit codes that matter for it. */
  description?: string;
  options: Record<string, OptionSpec>;
  /** Maximum positional arguments (default 0). */
  maxPositionals?: number;
  run(ctx: CommandContext): Promise<CommandResult>;
}

/** Options every command accepts. */
export const globalOptions: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'show help for this command' },
  'no-color': { type: 'boolean', description: 'disable colour (also: NO_COLOR=1)' },
};

export function ok(stdout?: string): CommandResult {
  return stdout === undefined ? { exitCode: 0 } : { exitCode: 0, stdout };
}
