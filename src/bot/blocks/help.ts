import { type Block, context, esc, type MessageContent, message, section } from './common.js';

export interface UsageEntry {
  usage: string;
  summary: string;
}

/** `/infra help`: every sub-command with its usage, from the sub-command registry. */
export function helpMessage(entries: UsageEntry[], command = '/infra'): MessageContent {
  const lines = entries.map((e) => `\`${command} ${esc(e.usage)}\` — ${esc(e.summary)}`);
  const blocks: Block[] = [
    section(`*${command}* — plans, approvals and drift for the platform's environments`),
    section(lines.join('\n')),
  ];
  blocks.push(context('Approvals are posted in the platform channel; every decision is audited.'));
  return message(`${command} usage: ${entries.map((e) => e.usage.split(' ')[0]).join(', ')}`, blocks);
}

/** Unknown sub-command or malformed arguments: what was wrong and how to call it. */
export function usageMessage(problem: string, entries: UsageEntry[], command = '/infra'): MessageContent {
  const help = helpMessage(entries, command);
  return message(`${problem} — try ${command} help`, [section(`:warning: ${esc(problem)}`), ...help.blocks]);
}

/** A short ephemeral note (refusals, confirmations). */
export function noteMessage(text: string, emoji = ':information_source:'): MessageContent {
  return message(text.replace(/[*_`]/g, ''), [section(`${emoji} ${text}`)]);
}

/**
 * The note answering a decision (approve, deny, revoke, …): `done` with its icon when it succeeded, else
 * "<notDone>: <why>" with the refusal icon.
 */
export function outcomeNote(
  r: { kind: string; message: string },
  o: { done: string; icon: string; notDone: string },
): MessageContent {
  return r.kind === 'success'
    ? noteMessage(o.done, o.icon)
    : noteMessage(`${o.notDone}: ${r.message}`, ':no_entry_sign:');
}
