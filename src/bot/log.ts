import type { Redactor } from '../redact.js';

/**
 * Structured logs: one JSON object per line (time, level, msg, fields), secrets redacted, ready for Loki.
 * The same logger is handed to Bolt (its Logger interface) and to node-cron (which prints WARN lines of
 * its own otherwise), so every line the bot process writes has one shape.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Log {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Log;
}

export interface LogOptions {
  level?: Level;
  redactor: Redactor;
  /** Where lines go (default: stdout). */
  sink?: (line: string) => void;
  now?: () => Date;
  base?: Record<string, unknown>;
}

export function createLog(opts: LogOptions): Log {
  const min = ORDER[opts.level ?? 'info'];
  const sink = opts.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = opts.now ?? (() => new Date());
  const make = (base: Record<string, unknown>): Log => {
    const emit = (level: Level, msg: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < min) return;
      const record = {
        time: now().toISOString(),
        level,
        msg: opts.redactor.text(msg),
        ...base,
        ...(fields ? (opts.redactor.value(fields) as object) : {}),
      };
      let line: string;
      try {
        line = JSON.stringify(record);
      } catch {
        line = JSON.stringify({ time: record.time, level, msg: record.msg, note: 'fields not serializable' });
      }
      sink(line);
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...base, ...(opts.redactor.value(fields) as object) }),
    };
  };
  return make({ service: 'envc-bot', ...(opts.base ?? {}) });
}

/** A log that keeps lines in memory (tests). */
export function memoryLog(
  redactor: Redactor,
  level: Level = 'debug',
): Log & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLog({ level, redactor, sink: (l) => lines.push(JSON.parse(l)) });
  return Object.assign(log, { lines });
}

const str = (args: unknown[]) =>
  args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');

/** Bolt's Logger interface (@slack/logger) over our log. */
export function boltLogger(log: Log, level: Level = 'info') {
  let current: string = level;
  const l = log.child({ component: 'bolt' });
  return {
    debug: (...m: unknown[]) => l.debug(str(m)),
    info: (...m: unknown[]) => l.info(str(m)),
    warn: (...m: unknown[]) => l.warn(str(m)),
    error: (...m: unknown[]) => l.error(str(m)),
    setLevel: (lv: string) => {
      current = lv;
    },
    getLevel: () => current as never,
    setName: () => {},
  };
}

/** node-cron's logger interface over our log. */
export function cronLogger(log: Log) {
  const l = log.child({ component: 'scheduler' });
  return {
    info: (m: string) => l.info(m),
    warn: (m: string) => l.warn(m),
    error: (m: string | Error, e?: Error) =>
      l.error(typeof m === 'string' ? m : m.message, e ? { error: e } : undefined),
    debug: (m: string | Error, e?: Error) =>
      l.debug(typeof m === 'string' ? m : m.message, e ? { error: e } : undefined),
  };
}
