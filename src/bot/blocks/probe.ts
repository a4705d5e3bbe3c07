/**
 * Block Kit for availability alerts: one parent message per burn episode (updated in place while it
 * lasts), replies in its thread when it gets worse or better, and the resolution. Pure builders.
 */
import type { EnvironmentProbe } from '../../probe/run.js';
import { formatAvailability } from '../../probe/slo.js';
import {
  type Block,
  context,
  esc,
  fields,
  header,
  type MessageContent,
  message,
  sectionsFromLines,
  when,
} from './common.js';

export interface BurnState {
  env: string;
  status: 'burning' | 'resolved';
  since: Date;
  probe: EnvironmentProbe;
  resolvedAt?: Date;
}

const pct = (r: number | undefined) => (r === undefined ? 'no data' : `${(r * 100).toFixed(2)}%`);

/** `1h/5m at 14.4× (page): 16.67% / 100.00% errors` for each firing pair. */
export function firingLines(p: EnvironmentProbe): string[] {
  return p.slo.windows
    .filter((w) => w.firing)
    .map(
      (w) =>
        `• *${w.window.long}/${w.window.short}* above ${w.window.factor}× (${w.window.severity}): ${pct(w.long.errorRatio)} / ${pct(w.short.errorRatio)} errors (threshold ${pct(w.threshold)})`,
    );
}

function downLines(p: EnvironmentProbe): string[] {
  const down = p.results.filter((r) => !r.ok);
  if (down.length === 0) return ['*Now* every probed target answers.'];
  return [
    '*Down in the last round*',
    ...down.slice(0, 10).map((r) => `• \`${esc(r.target)}\` — ${esc(r.error ?? 'failed')}`),
  ];
}

function figures(p: EnvironmentProbe): Block {
  const a = p.slo.availability;
  return fields([
    `*Objective*\n${p.slo.objective}% over 30d`,
    `*Burn rate 1h*\n${p.slo.windows[0]?.longBurnRate === undefined ? 'no data' : `${p.slo.windows[0].longBurnRate.toFixed(1)}× the budget`}`,
    `*Availability 1h*\n${formatAvailability(a['1h'].availability)}`,
    `*Availability 1d*\n${formatAvailability(a['1d'].availability)}`,
  ]);
}

export function burnMessage(s: BurnState): MessageContent {
  const p = s.probe;
  const resolved = s.status === 'resolved';
  const sev = p.slo.severity === 'page' ? ':rotating_light: Paging' : ':warning: Ticket';
  const blocks: Block[] = [
    header(`${resolved ? 'Error budget back within limits' : 'Error budget burning too fast'}: ${s.env}`),
    fields([
      `*Environment*\n${esc(s.env)}`,
      `*Status*\n${resolved ? `:white_check_mark: Resolved ${s.resolvedAt ? when(s.resolvedAt) : ''}` : sev}`,
      `*Since*\n${when(s.since)}`,
      `*Last check*\n${when(p.slo.now)}`,
    ]),
    figures(p),
  ];
  if (!resolved) blocks.push(...sectionsFromLines([...firingLines(p), ...downLines(p)]));
  blocks.push(
    context(
      `Multi-window burn-rate rule, as in the generated PrometheusRules · \`envc probe --env ${esc(s.env)}\``,
    ),
  );
  const text = resolved
    ? `Availability of ${s.env} is back within its error budget`
    : `Error budget of ${s.env} burning too fast (${p.slo.severity}): ${p.slo.firing.map((w) => `${w.long}/${w.short}`).join(', ')}`;
  return message(text, blocks);
}

export type BurnUpdate = 'worse' | 'better' | 'resolved';

export function burnReply(kind: BurnUpdate, s: BurnState): MessageContent {
  const p = s.probe;
  const lead =
    kind === 'resolved'
      ? `:white_check_mark: Resolved: no window pair burns above its threshold any more. Availability 1h ${formatAvailability(p.slo.availability['1h'].availability)}.`
      : kind === 'worse'
        ? `:arrow_up: Burning faster (${p.slo.severity}):`
        : `:arrow_down: Burning slower (${p.slo.severity}):`;
  const lines = kind === 'resolved' ? [lead] : [lead, ...firingLines(p), ...downLines(p)];
  const text =
    kind === 'resolved'
      ? `${s.env}: error budget burn resolved`
      : `${s.env}: error budget burning ${kind === 'worse' ? 'faster' : 'slower'} (${p.slo.severity})`;
  return message(text, sectionsFromLines(lines));
}
