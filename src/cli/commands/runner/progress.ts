/**
 * Progress per environment. On a terminal: one live line per environment, redrawn in place, with event lines
 * printed above the block. Elsewhere (CI logs): one plain line per change of status.
 */
import type { Style } from '../../output.js';

export interface Progress {
  update(env: string, status: string): void;
  /** A line that stays (events, warnings). */
  log(line: string): void;
  done(): void;
}

export function createProgress(o: { isTTY: boolean; emit: (text: string) => void; style: Style }): Progress {
  if (!o.isTTY) {
    return {
      update: (env, status) => o.emit(`envc: ${env}: ${status}`),
      log: (line) => o.emit(line),
      done: () => {},
    };
  }
  const order: string[] = [];
  const status = new Map<string, string>();
  let drawn = 0;
  const block = () =>
    order.map((env) => {
      const s = status.get(env) ?? '';
      const colour = /failed|refused/.test(s)
        ? o.style.red
        : /waiting|awaiting/.test(s)
          ? o.style.yellow
          : /applied|planned|no changes|no drift/.test(s)
            ? o.style.green
            : o.style.dim;
      return `\u001b[2K  ${o.style.bold(env.padEnd(14))} ${colour(s)}`;
    });
  const redraw = (above?: string) => {
    const up = drawn > 0 ? `\u001b[${drawn}A\r\u001b[J` : '';
    const lines = above === undefined ? block() : [above, ...block()];
    o.emit(`${up}${lines.join('\n')}`);
    drawn = order.length;
  };
  return {
    update(env, s) {
      if (!status.has(env)) order.push(env);
      status.set(env, s);
      redraw();
    },
    log(line) {
      if (drawn === 0) o.emit(line);
      else redraw(line);
    },
    done() {
      drawn = 0;
    },
  };
}
