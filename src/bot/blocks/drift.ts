import { type DriftView, driftText } from '../drift-view.js';
import { ActionId } from '../ids.js';
import {
  actions,
  type Block,
  button,
  esc,
  fields,
  header,
  type MessageContent,
  message,
  section,
  sectionsFromLines,
  when,
  who,
} from './common.js';

export interface IncidentState {
  id: string;
  env: string;
  status: 'open' | 'resolved';
  openedAt: Date;
  updatedAt: Date;
  occurrences: number;
  drift: DriftView;
  ackedBy?: string;
  snoozedUntil?: Date;
  resolvedAt?: Date;
  /** What resolved it, in words ("apply of digest 1a2b… by @ana", "drift check found no drift"). */
  resolution?: string;
}

const TOP = 10;

function list(title: string, items: string[]): string[] {
  if (items.length === 0) return [];
  const lines = [`*${title}*`, ...items.slice(0, TOP).map((a) => `• \`${esc(a)}\``)];
  if (items.length > TOP) lines.push(`_… and ${items.length - TOP} more_`);
  return lines;
}

export function driftDetails(d: DriftView): Block[] {
  return sectionsFromLines([
    ...list('Changed outside Terraform', d.outOfBand),
    ...list('Generated code not yet applied', d.unapplied),
    ...list('Generated files stale (run `envc compile`)', d.staleFiles),
  ]);
}

/** The incident's parent message: posted once per incident, then updated in place. */
export function incidentMessage(s: IncidentState, now: Date): MessageContent {
  const resolved = s.status === 'resolved';
  const state = resolved
    ? `:white_check_mark: Resolved ${s.resolvedAt ? when(s.resolvedAt) : ''}${s.resolution ? ` — ${esc(s.resolution)}` : ''}`
    : s.snoozedUntil && s.snoozedUntil > now
      ? `:zzz: Snoozed until ${when(s.snoozedUntil)}`
      : s.ackedBy
        ? `:eyes: Acknowledged by ${who(s.ackedBy)}`
        : ':rotating_light: Open';
  const blocks: Block[] = [
    header(`${resolved ? 'Drift resolved' : 'Drift detected'}: ${s.env}`),
    fields([
      `*Environment*\n${esc(s.env)}`,
      `*Status*\n${state}`,
      `*Opened*\n${when(s.openedAt)}`,
      `*Checks*\n${s.occurrences} (last ${when(s.updatedAt)})`,
    ]),
  ];
  if (!resolved) {
    blocks.push(...driftDetails(s.drift));
    blocks.push(
      actions(`incident:${s.id}`, [
        button('Plan fix', ActionId.driftPlanFix, s.env, 'primary'),
        button('Acknowledge', ActionId.driftAck, s.id),
        button('Snooze 24h', ActionId.driftSnooze, s.id),
      ]),
    );
  } else {
    blocks.push(section(state));
  }
  return message(
    `${resolved ? 'Drift resolved' : 'Drift detected'} in ${s.env}: ${driftText(s.drift)}`,
    blocks,
  );
}

export type IncidentUpdate = 'still' | 'changed' | 'resolved' | 'acked' | 'snoozed';

/** A reply in the incident thread. */
export function incidentReply(
  kind: IncidentUpdate,
  s: IncidentState,
  extra: { actor?: string; at: Date },
): MessageContent {
  switch (kind) {
    case 'still':
      return message(`Still drifting in ${s.env} (check ${s.occurrences})`, [
        section(`:repeat: Still drifting (check ${s.occurrences}, ${when(extra.at)}): ${driftText(s.drift)}`),
      ]);
    case 'changed':
      return message(`Drift changed in ${s.env}`, [
        section(`:warning: Drift changed (check ${s.occurrences}, ${when(extra.at)}): ${driftText(s.drift)}`),
        ...driftDetails(s.drift),
      ]);
    case 'resolved':
      return message(`Drift resolved in ${s.env}`, [
        section(
          `:white_check_mark: Resolved ${when(extra.at)}${s.resolution ? ` — ${esc(s.resolution)}` : ''}`,
        ),
      ]);
    case 'acked':
      return message(`Drift acknowledged in ${s.env}`, [
        section(`:eyes: Acknowledged by ${who(extra.actor ?? '?')}`),
      ]);
    case 'snoozed':
      return message(`Drift alerts snoozed in ${s.env}`, [
        section(
          `:zzz: Snoozed by ${who(extra.actor ?? '?')} until ${s.snoozedUntil ? when(s.snoozedUntil) : '?'}`,
        ),
      ]);
  }
}
