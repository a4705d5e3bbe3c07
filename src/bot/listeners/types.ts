import type { MessageContent } from '../blocks/common.js';
import type { UsageEntry } from '../blocks/help.js';
import type { BotDeps } from '../deps.js';

/**
 * The shapes of the three listener kinds. Each sub-command, action and modal lives in one file exporting
 * one of these; each kind has one index.ts listing them (add a file, add one line). The registration code
 * (register.ts) does the common part for all: ack first, then the work in try/catch, metrics, logs.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface CommandInput {
  user: string;
  channel: string;
  /** Everything after `/infra <sub-command> `, untouched (reasons keep their spacing). */
  rest: string;
  args: string[];
  triggerId: string;
  /** Usage of every registered sub-command (for help and usage messages). */
  usage: UsageEntry[];
}

export interface CommandRun<T> {
  deps: BotDeps;
  value: T;
  input: CommandInput;
  /** Ephemeral reply to the invoker (response_url). */
  respond(content: MessageContent): Promise<void>;
  /** Opens a modal with the command's trigger_id (within Slack's trigger lifetime). */
  openModal(view: Record<string, unknown>): Promise<void>;
}

export interface SubCommand<T = unknown> {
  name: string;
  /** Usage after `/infra`, e.g. `plan <env|all>`. */
  usage: string;
  summary: string;
  parse(input: CommandInput, deps: BotDeps): Parsed<T>;
  /** The immediate (ack) reply; default: a short "working on it". Must be instant: no I/O. */
  ackWith?(value: T, input: CommandInput): MessageContent | undefined;
  /** The ack is the whole answer (help): no work after it, nothing to deduplicate. */
  ackOnly?: boolean;
  /** Whether the invocation is audited as `bot.command` (reads are not). */
  audited?: boolean;
  /** Runs after the ack; long work goes to deps.tasks and reports in a thread. */
  run(r: CommandRun<T>): Promise<void>;
}

export interface InteractionInput {
  user: string;
  /** The clicked button's value. */
  value: string;
  triggerId: string;
  /** The message the button is on. */
  message?: { channel: string; ts: string };
}

export interface ActionRun {
  deps: BotDeps;
  input: InteractionInput;
  respond(content: MessageContent): Promise<void>;
  openModal(view: Record<string, unknown>): Promise<void>;
}

export interface ActionListener {
  actionId: string;
  name: string;
  run(r: ActionRun): Promise<void>;
}

export interface ViewInput {
  user: string;
  privateMetadata: string;
  /** Input values: `values[block_id][action_id]`. */
  values: Record<string, Record<string, string | undefined>>;
}

export type ViewAck = { response_action: 'errors'; errors: Record<string, string> } | undefined;

export interface ViewListener {
  callbackId: string;
  name: string;
  /** Instant validation for the ack (errors shown in the modal); no I/O. */
  validate?(input: ViewInput): ViewAck;
  run(r: {
    deps: BotDeps;
    input: ViewInput;
    notify(content: MessageContent, channel?: string): Promise<void>;
  }): Promise<void>;
}

/** Allows `defineSubCommand` to keep each file's parsed type while the index holds them together. */
export function defineSubCommand<T>(c: SubCommand<T>): SubCommand<unknown> {
  return c as SubCommand<unknown>;
}
