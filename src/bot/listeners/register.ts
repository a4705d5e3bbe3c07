import type { App, RespondFn } from '@slack/bolt';
import type { MessageContent } from '../blocks/common.js';
import { noteMessage, usageMessage } from '../blocks/help.js';
import { type BotDeps, scrub } from '../deps.js';
import { firstDelivery } from '../idempotency.js';
import { SLASH_COMMAND } from '../ids.js';
import { tokenize } from './commands/args.js';
import type {
  ActionListener,
  ActionRun,
  CommandInput,
  SubCommand,
  ViewAck,
  ViewInput,
  ViewListener,
} from './types.js';

/**
 * Wires the listener registries into Bolt. Every listener acks first (Slack's limit is 3 s; an ack is
 * never behind I/O), then does its work in try/catch: a failure is logged and told to the user, never
 * thrown back into Bolt (which would answer Slack with an error after the ack). What is computed before the
 * ack (a sub-command's parse and ackWith, a modal's validate) is guarded too: a bug there still acks.
 * An ack that throws (the HTTP response is gone) propagates to Bolt and no work is done.
 */
function since(start: unknown): number {
  return typeof start === 'number' ? (performance.now() - start) / 1000 : 0;
}

function ephemeral(c: MessageContent) {
  return {
    response_type: 'ephemeral' as const,
    text: c.text,
    blocks: c.blocks as never,
    replace_original: false,
  };
}

type Delivery = { body: unknown; context: { retryNum?: number; retryReason?: string } | undefined };

/**
 * A listener's work after the ack, as a background task: skipped for a redelivery, timed, counted `ok` or
 * `error`; a failure is handed to `failed` (log it, tell the user), never thrown back into Bolt.
 */
async function afterAck(
  deps: BotDeps,
  delivery: Delivery,
  o: {
    task: string;
    kind: 'command' | 'action' | 'view';
    name: string;
    count(outcome: 'ok' | 'error'): void;
    work(): Promise<void>;
    failed(err: unknown): Promise<void>;
  },
): Promise<void> {
  await deps.tasks.run(o.task, async () => {
    if (!(await firstDelivery(deps, delivery.body, delivery.context))) return;
    const started = performance.now();
    try {
      await o.work();
      o.count('ok');
    } catch (err) {
      o.count('error');
      await o.failed(err);
    } finally {
      deps.metrics.handlerDuration.observe(
        { kind: o.kind, name: o.name },
        (performance.now() - started) / 1000,
      );
    }
  });
}

/** How a command or an action answers: ephemeral replies to the invoker and modals on its trigger, scrubbed. */
function replies(
  deps: BotDeps,
  respond: RespondFn,
  client: App['client'],
  triggerId: string,
): Pick<ActionRun, 'respond' | 'openModal'> {
  return {
    respond: async (c) => {
      await respond(ephemeral(scrub(deps, c)));
    },
    openModal: async (view) => {
      await client.views.open({ trigger_id: triggerId, view: scrub(deps, view) as never });
    },
  };
}

/** What to answer before any work: a usage message (nothing runs), or the sub-command's ack and its work. */
type Prepared =
  | { kind: 'answer'; content: MessageContent; command: string; outcome: 'usage' | 'error' }
  | { kind: 'run'; spec: SubCommand; value: unknown; immediate: MessageContent | undefined };

/**
 * Parses and computes the ack of one `/infra` invocation. Pure and instant; a sub-command whose parse or
 * ackWith throws (a bug) still gets its usage message as the ack, and the error is logged — Slack never
 * waits out its 3 seconds for an answer that will not come.
 */
function prepare(
  deps: BotDeps,
  byName: Map<string, SubCommand>,
  usage: CommandInput['usage'],
  sub: string,
  input: CommandInput,
): Prepared {
  const spec = byName.get(sub === '' ? 'help' : sub);
  if (!spec)
    return {
      kind: 'answer',
      content: usageMessage(`unknown sub-command "${sub}"`, usage),
      command: 'unknown',
      outcome: 'usage',
    };
  const usageOf = (problem: string) =>
    usageMessage(`${SLASH_COMMAND} ${spec.name}: ${problem}`, [{ usage: spec.usage, summary: spec.summary }]);
  try {
    const parsed = spec.parse(input, deps);
    if (!parsed.ok)
      return { kind: 'answer', content: usageOf(parsed.error), command: spec.name, outcome: 'usage' };
    return { kind: 'run', spec, value: parsed.value, immediate: spec.ackWith?.(parsed.value, input) };
  } catch (err) {
    deps.log.error('sub-command arguments could not be read', {
      command: spec.name,
      user: input.user,
      error: err,
    });
    return {
      kind: 'answer',
      content: usageOf('these arguments could not be read'),
      command: spec.name,
      outcome: 'error',
    };
  }
}

export function registerCommands(app: App, deps: BotDeps, list: SubCommand[]): void {
  const usage = list.map((c) => ({ usage: c.usage, summary: c.summary }));
  const byName = new Map(list.map((c) => [c.name, c]));
  app.command(SLASH_COMMAND, async ({ command, body, ack, respond, client, context }) => {
    const { sub, args, rest } = tokenize(command.text ?? '');
    const input: CommandInput = {
      user: command.user_id,
      channel: command.channel_id,
      rest,
      args,
      triggerId: command.trigger_id,
      usage,
    };
    const prepared = prepare(deps, byName, usage, sub, input);
    if (prepared.kind === 'answer') {
      await ack(ephemeral(prepared.content));
      deps.metrics.ackLatency.observe({ kind: 'command' }, since(context.receivedAt));
      deps.metrics.commands.inc({ command: prepared.command, outcome: prepared.outcome });
      return;
    }
    const { spec, immediate } = prepared;
    await ack(immediate ? ephemeral(immediate) : undefined);
    deps.metrics.ackLatency.observe({ kind: 'command' }, since(context.receivedAt));
    if (spec.ackOnly) {
      deps.metrics.commands.inc({ command: spec.name, outcome: 'ok' });
      return;
    }
    const log = deps.log.child({ command: spec.name, user: input.user });
    await afterAck(
      deps,
      { body, context },
      {
        task: `/infra ${spec.name}`,
        kind: 'command',
        name: spec.name,
        count: (outcome) => deps.metrics.commands.inc({ command: spec.name, outcome }),
        work: async () => {
          if (spec.audited)
            await deps.audit({
              actor: input.user,
              action: 'bot.command',
              details: { command: spec.name, args },
            });
          await spec.run({
            deps,
            value: prepared.value,
            input,
            ...replies(deps, respond, client, input.triggerId),
          });
        },
        failed: async (err) => {
          log.error('command failed', { error: err });
          await respond(
            ephemeral(
              noteMessage(
                `\`${SLASH_COMMAND} ${spec.name}\` did not finish: ${scrub(deps, (err as Error).message)}`,
                ':x:',
              ),
            ),
          ).catch(() => {});
        },
      },
    );
  });
}

export function registerActions(app: App, deps: BotDeps, list: ActionListener[]): void {
  for (const l of list) {
    app.action(
      { type: 'block_actions', action_id: l.actionId },
      async ({ ack, body, action, respond, client, context }) => {
        await ack();
        deps.metrics.ackLatency.observe({ kind: 'action' }, since(context.receivedAt));
        const container = (body as { container?: { channel_id?: string; message_ts?: string } }).container;
        const input = {
          user: body.user.id,
          value: (action as { value?: string }).value ?? '',
          triggerId: (body as { trigger_id: string }).trigger_id,
          message:
            container?.channel_id && container.message_ts
              ? { channel: container.channel_id, ts: container.message_ts }
              : undefined,
        };
        await afterAck(
          deps,
          { body, context },
          {
            task: `action ${l.name}`,
            kind: 'action',
            name: l.name,
            count: (outcome) => deps.metrics.interactions.inc({ action: l.name, outcome }),
            work: () => l.run({ deps, input, ...replies(deps, respond, client, input.triggerId) }),
            failed: async (err) => {
              deps.log.error('action failed', { action: l.name, user: input.user, error: err });
              await respond(
                ephemeral(noteMessage(`That did not work: ${scrub(deps, (err as Error).message)}`, ':x:')),
              ).catch(() => {});
            },
          },
        );
      },
    );
  }
}

export function registerViews(app: App, deps: BotDeps, list: ViewListener[]): void {
  for (const l of list) {
    app.view(
      { type: 'view_submission', callback_id: l.callbackId },
      async ({ ack, body, view, client, context }) => {
        const values: ViewInput['values'] = {};
        for (const [blockId, actions] of Object.entries(view.state.values)) {
          values[blockId] = Object.fromEntries(
            Object.entries(actions).map(([a, v]) => [
              a,
              (v as { value?: string | null }).value ??
                (v as { selected_option?: { value?: string } | null }).selected_option?.value ??
                undefined,
            ]),
          );
        }
        const input: ViewInput = { user: body.user.id, privateMetadata: view.private_metadata, values };
        let errors: ViewAck;
        let broken: unknown;
        try {
          errors = l.validate?.(input);
        } catch (err) {
          // A validator bug: close the modal (the ack must go out) and tell the user, but do no work.
          broken = err;
          deps.log.error('view submission could not be validated', {
            view: l.name,
            user: input.user,
            error: err,
          });
        }
        await ack(errors);
        deps.metrics.ackLatency.observe({ kind: 'view' }, since(context.receivedAt));
        if (broken !== undefined) {
          deps.metrics.interactions.inc({ action: l.name, outcome: 'error' });
          await client.chat
            .postEphemeral({
              channel: deps.channel,
              user: input.user,
              text: 'That did not work: the form could not be read. Nothing was changed.',
            })
            .catch(() => {});
          return;
        }
        if (errors) return;
        await afterAck(
          deps,
          { body, context },
          {
            task: `view ${l.name}`,
            kind: 'view',
            name: l.name,
            count: (outcome) => deps.metrics.interactions.inc({ action: l.name, outcome }),
            work: () =>
              l.run({
                deps,
                input,
                // A modal has no response_url: tell the user privately in the channel.
                notify: async (c, channel) => {
                  const safe = scrub(deps, c);
                  await client.chat.postEphemeral({
                    channel: channel ?? deps.channel,
                    user: input.user,
                    text: safe.text,
                    blocks: safe.blocks as never,
                  });
                },
              }),
            failed: async (err) => {
              deps.log.error('view submission failed', { view: l.name, user: input.user, error: err });
            },
          },
        );
      },
    );
  }
}
