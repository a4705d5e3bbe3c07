import { type ChangeView, countsText, type PlanView } from '../plan-view.js';
import {
  type Block,
  context,
  esc,
  fields,
  LIMITS,
  section,
  sectionsFromLines,
  shortDigest,
  truncate,
  when,
  who,
} from './common.js';
import { costBlocks } from './cost.js';

/** How many changes a channel message lists before "… and N more" (the modal shows them all). */
export const TOP_CHANGES = 10;

const SIGN: Record<string, string> = { create: '+', update: '~', delete: '-', replace: '-/+' };

export function changeLine(c: ChangeView): string {
  const addr = `\`${esc(c.address)}\``;
  const text = `${SIGN[c.action] ?? '?'} ${c.protected ? `*${addr} (protected)*` : addr}`;
  return c.origin ? `${text} ← ${esc(c.origin)}` : text;
}

/** Orders what matters first: protected destroys, then destroys/replaces, then creates and updates. */
export function rankChanges(changes: ChangeView[]): ChangeView[] {
  const rank = (c: ChangeView) =>
    c.protected ? 0 : c.action === 'delete' || c.action === 'replace' ? 1 : c.action === 'update' ? 2 : 3;
  return [...changes].sort((a, b) => rank(a) - rank(b) || a.address.localeCompare(b.address));
}

/** The summary part shared by plan threads and approval messages. */
export function planSummaryBlocks(p: PlanView, opts: { top?: number } = {}): Block[] {
  const top = opts.top ?? TOP_CHANGES;
  const blocks: Block[] = [];
  blocks.push(section(`*${esc(p.env)}*: \`${countsText(p)}\`  (create ~update -destroy)`));
  if (p.protectedDestroys.length > 0) {
    blocks.push(
      section(
        `:warning: *Destroys protected resources:* ${p.protectedDestroys.map((a) => `*\`${esc(a)}\`*`).join(', ')}`,
      ),
    );
  }
  const ranked = rankChanges(p.changes);
  if (ranked.length > 0) {
    const lines = ranked.slice(0, top).map(changeLine);
    if (ranked.length > top) lines.push(`_… and ${ranked.length - top} more (View plan)_`);
    blocks.push(...sectionsFromLines(lines));
  } else if (p.add + p.change + p.destroy === 0) {
    blocks.push(section('_No changes._ Infrastructure matches the configuration.'));
  }
  blocks.push(
    context(
      `digest \`${shortDigest(p.digest)}\``,
      ...(p.revision ? [`revision \`${esc(p.revision.slice(0, 12))}\``] : []),
    ),
  );
  return blocks;
}

/** A plan result posted in a thread (from `/infra plan`). */
export function planResultMessage(p: PlanView, requester: string): { text: string; blocks: Block[] } {
  return {
    text: `Plan for ${p.env}: ${countsText(p)} (digest ${shortDigest(p.digest)})`,
    blocks: [
      section(`:clipboard: Plan for *${esc(p.env)}* requested by ${who(requester)}`),
      ...planSummaryBlocks(p),
      ...costBlocks(p.cost),
    ],
  };
}

export function planFailedMessage(env: string, message: string): { text: string; blocks: Block[] } {
  return {
    text: `Plan for ${env} did not finish`,
    blocks: [
      section(`:x: Plan for *${esc(env)}* did not finish:\n\`\`\`${esc(truncate(message, 2500))}\`\`\``),
    ],
  };
}

/** The parent of a `/infra plan` thread, updated when the plans are done. */
export function planRunParent(
  envs: string[],
  requester: string,
  results?: Array<{ env: string; text: string }>,
): { text: string; blocks: Block[] } {
  const title = `Plan of ${envs.join(', ')} requested by ${who(requester)}`;
  if (!results)
    return {
      text: `Planning ${envs.join(', ')}`,
      blocks: [section(`:hourglass_flowing_sand: ${title} — running…`)],
    };
  return {
    text: `Planned ${envs.join(', ')}`,
    blocks: [
      section(`:white_check_mark: ${title} — done`),
      fields(results.map((r) => `*${esc(r.env)}*\n${r.text}`)),
    ],
  };
}

/** The "View plan" modal: every change with its spec origin (up to the modal's 100 blocks). */
export function planDetailsModal(p: PlanView): Block {
  const head: Block[] = [
    fields([
      `*Environment*\n${esc(p.env)}`,
      `*Changes*\n\`${countsText(p)}\``,
      `*Digest*\n\`${p.digest}\``,
      ...(p.createdBy ? [`*Planned by*\n${who(p.createdBy)}`] : []),
      ...(p.createdAt ? [`*Planned*\n${when(p.createdAt)}`] : []),
    ]),
  ];
  if (p.protectedDestroys.length > 0)
    head.push(
      section(
        `:warning: *Destroys protected resources:* ${p.protectedDestroys.map((a) => `*\`${esc(a)}\`*`).join(', ')}`,
      ),
    );
  const body = sectionsFromLines(rankChanges(p.changes).map(changeLine));
  let blocks = [...head, ...body];
  if (blocks.length > LIMITS.modalBlocks)
    blocks = [
      ...blocks.slice(0, LIMITS.modalBlocks - 1),
      context('… more changes not shown; run `envc plan --env ' + esc(p.env) + '` for the full plan'),
    ];
  if (blocks.length === head.length) blocks.push(section('_No changes._'));
  return {
    type: 'modal',
    callback_id: 'envc.plan.details',
    title: { type: 'plain_text', text: truncate(`Plan: ${p.env}`, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}
