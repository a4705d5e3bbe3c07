import {
  type Block,
  context,
  divider,
  esc,
  fields,
  header,
  type MessageContent,
  message,
  shortDigest,
  when,
  who,
} from './common.js';

export interface EnvStatus {
  env: string;
  tier: string;
  lastApply?: { at: Date; actor: string; digest?: string };
  pendingApprovals: Array<{ digest: string; requester: string; expiresAt: Date }>;
  incident?: { openedAt: Date; occurrences: number; ackedBy?: string; snoozedUntil?: Date };
  lock?: { holder: string; since: Date };
}

export function statusMessage(envs: EnvStatus[], now: Date): MessageContent {
  const blocks: Block[] = [header('Environment status')];
  for (const s of envs) {
    const apply = s.lastApply
      ? `${when(s.lastApply.at)} by ${who(s.lastApply.actor)}${s.lastApply.digest ? ` (\`${shortDigest(s.lastApply.digest)}\`)` : ''}`
      : '_never (by envc)_';
    const pending = s.pendingApprovals.length
      ? s.pendingApprovals
          .map((p) => `\`${shortDigest(p.digest)}\` by ${who(p.requester)}, expires ${when(p.expiresAt)}`)
          .join('\n')
      : '_none_';
    const incident = s.incident
      ? `:rotating_light: open since ${when(s.incident.openedAt)} (${s.incident.occurrences} check(s))${s.incident.ackedBy ? `, acked by ${who(s.incident.ackedBy)}` : ''}${s.incident.snoozedUntil && s.incident.snoozedUntil > now ? ', snoozed' : ''}`
      : '_none_';
    const lock = s.lock ? `held by \`${esc(s.lock.holder)}\` since ${when(s.lock.since)}` : '_free_';
    blocks.push(
      fields([
        `*${esc(s.env)}* (${esc(s.tier)})`,
        `*Last apply*\n${apply}`,
        `*Pending approvals*\n${pending}`,
        `*Drift*\n${incident}`,
        `*Lock*\n${lock}`,
      ]),
    );
    blocks.push(divider());
  }
  if (blocks.length > 1) blocks.pop();
  blocks.push(context(`as of ${when(now)}`));
  return message(`Status of ${envs.map((e) => e.env).join(', ')}`, blocks);
}
