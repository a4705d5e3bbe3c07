import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../../test/support/model.js';
import { openTestPglite } from '../../../test/support/store.js';
import type { Store } from '../../store/types.js';
import type { BotDeps } from '../deps.js';
import { memoryLog } from '../log.js';
import { createMetrics } from '../metrics.js';
import { Redactor } from '../redact.js';
import { Tasks } from '../tasks.js';
import { registerCommands } from './register.js';
import { defineSubCommand, type SubCommand } from './types.js';

/**
 * The registration wrapper with Bolt's listener arguments built by hand: ack first, the work after it in
 * try/catch, and an ack that throws (the HTTP response already gone) stops the work.
 */
type Handler = (args: Record<string, unknown>) => Promise<void>;

let store: Store;
let deps: BotDeps;

beforeAll(async () => {
  store = (await openTestPglite()).store;
  const log = memoryLog(new Redactor());
  deps = {
    store,
    model: await defaultModel(),
    log,
    metrics: await createMetrics({ defaultMetrics: false }),
    tasks: new Tasks(log),
    now: () => new Date(),
    audit: async () => {},
  } as unknown as BotDeps;
});
afterAll(() => store.close());

function fakeApp(): { app: App; handler: () => Handler } {
  let h: Handler | undefined;
  const app = { command: (_name: string, fn: Handler) => (h = fn) } as unknown as App;
  return { app, handler: () => h! };
}

function args(text: string, over: Record<string, unknown> = {}) {
  const order: string[] = [];
  const responses: unknown[] = [];
  return {
    order,
    responses,
    value: {
      command: { text, user_id: 'U0USER0001', channel_id: 'C0PLATINFRA', trigger_id: `t-${Math.random()}` },
      body: { trigger_id: `t-${Math.random()}` },
      ack: async (r?: unknown) => {
        order.push('ack');
        responses.push(r);
      },
      respond: async (r: unknown) => {
        order.push('respond');
        responses.push(r);
      },
      client: {},
      context: { receivedAt: performance.now() },
      ...over,
    },
  };
}

describe('listener registration', () => {
  const work: string[] = [];
  const echo: SubCommand = defineSubCommand<string>({
    name: 'echo',
    usage: 'echo <word>',
    summary: 'test',
    parse: (i) => (i.args[0] ? { ok: true, value: i.args[0] } : { ok: false, error: 'a word is required' }),
    run: async ({ value, respond }) => {
      work.push(value);
      if (value === 'boom') throw new Error('exploded');
      await respond({ text: value, blocks: [] });
    },
  });

  it('acks before any work and reports the work through respond', async () => {
    const { app, handler } = fakeApp();
    registerCommands(app, deps, [echo]);
    const a = args('echo hi');
    await handler()(a.value);
    expect(a.order).toEqual(['ack', 'respond']);
    expect(work).toContain('hi');
  });

  it('answers malformed input in the ack alone', async () => {
    const { app, handler } = fakeApp();
    registerCommands(app, deps, [echo]);
    const a = args('echo');
    await handler()(a.value);
    expect(a.order).toEqual(['ack']);
    expect(JSON.stringify(a.responses[0])).toContain('a word is required');
  });

  it('tells the user when the work fails, without throwing into Bolt', async () => {
    const { app, handler } = fakeApp();
    registerCommands(app, deps, [echo]);
    const a = args('echo boom');
    await handler()(a.value);
    expect(a.order).toEqual(['ack', 'respond']);
    expect(JSON.stringify(a.responses[1])).toContain('did not finish: exploded');
    expect(await deps.metrics.text()).toContain('envc_bot_commands_total{command="echo",outcome="error"} 1');
  });

  it('does no work when the ack throws', async () => {
    const { app, handler } = fakeApp();
    registerCommands(app, deps, [echo]);
    const before = work.length;
    const a = args('echo late', {
      ack: async () => {
        throw new Error('response already sent');
      },
    });
    await expect(handler()(a.value)).rejects.toThrow('response already sent');
    expect(work.length).toBe(before);
  });
});
