import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../../test/support/model.js';
import { openTestStore } from '../../../test/support/store.js';
import { Redactor } from '../../redact.js';
import type { Store } from '../../store/types.js';
import type { BotDeps } from '../deps.js';
import { memoryLog } from '../log.js';
import { createMetrics } from '../metrics.js';
import { Tasks } from '../tasks.js';
import { registerActions, registerCommands, registerViews } from './register.js';
import { type ActionListener, defineSubCommand, type SubCommand, type ViewListener } from './types.js';

/**
 * The registration wrapper with Bolt's listener arguments built by hand: ack first, the work after it in
 * try/catch, an ack that throws (the HTTP response already gone) stops the work, and a bug in what runs
 * before the ack (parse, ackWith, validate) still acks.
 */
type Handler = (args: Record<string, unknown>) => Promise<void>;

let store: Store;
let deps: BotDeps;
let log: ReturnType<typeof memoryLog>;

beforeAll(async () => {
  store = (await openTestStore()).store;
  log = memoryLog(new Redactor());
  deps = {
    store,
    model: await defaultModel(),
    log,
    metrics: await createMetrics({ defaultMetrics: false }),
    tasks: new Tasks(log),
    now: () => new Date(),
    audit: async () => {},
    channel: 'C0PLATINFRA',
  } as unknown as BotDeps;
});
afterAll(() => store.close());

function fakeApp(): { app: App; handler: () => Handler } {
  let h: Handler | undefined;
  const keep = (_name: unknown, fn: Handler) => {
    h = fn;
  };
  const app = { command: keep, action: keep, view: keep } as unknown as App;
  return { app, handler: () => h! };
}

const throwingAck = async () => {
  throw new Error('response already sent');
};

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
  it('acks with the usage message and logs the error when a parse throws; no work runs', async () => {
    const broken: SubCommand = defineSubCommand<string>({
      name: 'broken',
      usage: 'broken <thing>',
      summary: 'test',
      parse: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      },
      run: async () => {
        work.push('broken ran');
      },
    });
    const { app, handler } = fakeApp();
    registerCommands(app, deps, [echo, broken]);
    const a = args('broken now');
    await handler()(a.value);
    expect(a.order).toEqual(['ack']);
    expect(a.responses[0]).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('/infra broken: these arguments could not be read'),
    });
    expect(JSON.stringify(a.responses[0])).toContain('/infra broken &lt;thing&gt;');
    expect(work).not.toContain('broken ran');
    expect(log.lines.at(-1)).toMatchObject({
      level: 'error',
      msg: 'sub-command arguments could not be read',
      command: 'broken',
    });
    expect(await deps.metrics.text()).toContain(
      'envc_bot_commands_total{command="broken",outcome="error"} 1',
    );
  });

  it('an ackWith that throws is answered the same way', async () => {
    const loud = defineSubCommand<string>({
      name: 'loud',
      usage: 'loud',
      summary: 'test',
      parse: () => ({ ok: true, value: 'x' }),
      ackWith: () => {
        throw new Error('no');
      },
      run: async () => {
        work.push('loud ran');
      },
    });
    const { app, handler } = fakeApp();
    registerCommands(app, deps, [loud]);
    const a = args('loud');
    await handler()(a.value);
    expect(a.order).toEqual(['ack']);
    expect(JSON.stringify(a.responses[0])).toContain('/infra loud: these arguments could not be read');
    expect(work).not.toContain('loud ran');
  });

  it('an ack of a usage message that throws propagates to Bolt', async () => {
    const { app, handler } = fakeApp();
    registerCommands(app, deps, [echo]);
    const a = args('nosuch', { ack: throwingAck });
    await expect(handler()(a.value)).rejects.toThrow('response already sent');
    expect(a.order).toEqual([]);
  });

  it('actions: ack first, then the work; no work when the ack throws', async () => {
    const clicked: string[] = [];
    const listener: ActionListener = {
      actionId: 'test.click',
      name: 'click',
      run: async ({ input }) => {
        clicked.push(input.value);
      },
    };
    const click = (value: string, ack: () => Promise<void>) => ({
      ack,
      body: { trigger_id: `t-${Math.random()}`, user: { id: 'U0USER0001' } },
      action: { value },
      respond: async () => {},
      client: {},
      context: { receivedAt: performance.now() },
    });
    const { app, handler } = fakeApp();
    registerActions(app, deps, [listener]);
    const order: string[] = [];
    await handler()(click('a', async () => void order.push('ack')));
    expect(order).toEqual(['ack']);
    expect(clicked).toEqual(['a']);
    await expect(handler()(click('b', throwingAck))).rejects.toThrow('response already sent');
    expect(clicked).toEqual(['a']);
  });

  it('views: a validate that throws still acks (the modal closes), tells the user, and runs nothing', async () => {
    const ran: string[] = [];
    const ephemerals: unknown[] = [];
    const listener = (validate: ViewListener['validate']): ViewListener => ({
      callbackId: 'test.view',
      name: 'view',
      validate,
      run: async ({ input }) => {
        ran.push(input.user);
      },
    });
    const submit = (ack: (r?: unknown) => Promise<void>) => ({
      ack,
      body: { trigger_id: `t-${Math.random()}`, user: { id: 'U0USER0001' } },
      view: { private_metadata: '{}', state: { values: {} } },
      client: { chat: { postEphemeral: async (m: unknown) => void ephemerals.push(m) } },
      context: { receivedAt: performance.now() },
    });
    const acks: unknown[] = [];
    const broken = fakeApp();
    registerViews(broken.app, deps, [
      listener(() => {
        throw new Error('bad form');
      }),
    ]);
    await broken.handler()(submit(async (r) => void acks.push(r ?? 'empty')));
    expect(acks).toEqual(['empty']);
    expect(ran).toEqual([]);
    expect(ephemerals).toEqual([
      expect.objectContaining({ user: 'U0USER0001', text: expect.stringContaining('Nothing was changed') }),
    ]);
    expect(log.lines.at(-1)).toMatchObject({ level: 'error', msg: 'view submission could not be validated' });

    const fine = fakeApp();
    registerViews(fine.app, deps, [listener(() => undefined)]);
    await expect(fine.handler()(submit(throwingAck))).rejects.toThrow('response already sent');
    expect(ran).toEqual([]);
    await fine.handler()(submit(async () => {}));
    expect(ran).toEqual(['U0USER0001']);
  });
});
