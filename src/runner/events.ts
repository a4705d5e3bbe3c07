/**
 * What the runner tells the world. Typed events go to notifiers: the terminal and the audit log always,
 * Slack when a token is configured (src/bot/notifier.ts implements `Notifier` for it). A notifier that
 * fails never fails the run: the event is reported on the terminal instead (see `fanOut`).
 */
import type { Store } from '../store/types.js';

export interface PlanSummaryCounts {
  add: number;
  change: number;
  destroy: number;
  replace: number;
}

interface Base {
  env: string;
  /** Who triggered it (Slack user id, `ci:…`, `cli:…`, `envc-bot`). */
  actor: string;
  at: Date;
}

export type RunnerEvent =
  | (Base & {
      type: 'plan-ready';
      digest: string;
      counts: PlanSummaryCounts;
      hasChanges: boolean;
      /** Addresses of protected resources this plan destroys (shown loudly). */
      protectedDestroys: string[];
      /** `plan`, `destroy` or `rollback`. */
      kind: PlanKind;
      summary: Record<string, unknown>;
      /** The git commit recorded with the plan, when known. */
      revision?: string;
    })
  | (Base & {
      type: 'awaiting-approval';
      digest: string;
      requester: string;
      counts: PlanSummaryCounts;
      /** The exact command an approver runs (the bot offers a button instead). */
      approveCommand: string;
      expiresAt: Date;
      /** Why existing approvals did not count (self-approval, expired, …). */
      reasons: string[];
      /** Digests of older requests this request superseded (their messages are redrawn as superseded). */
      superseded?: string[];
    })
  | (Base & {
      type: 'applied';
      digest: string;
      counts: PlanSummaryCounts;
      kind: PlanKind;
      durationMs: number;
    })
  | (Base & {
      type: 'failed';
      stage: 'plan' | 'apply' | 'drift' | 'backup' | 'restore' | 'rollback' | 'destroy';
      message: string;
      digest?: string;
    })
  | (Base & {
      type: 'drift-found';
      incidentId: string;
      fingerprint: string;
      isNew: boolean;
      changed: boolean;
      /** Infrastructure changed outside Terraform (refresh-only plan). */
      infrastructure: string[];
      /** Generated code not yet applied (normal plan). */
      unapplied: string[];
      /** generated/ files out of date with the spec (compile --check). */
      staleFiles: string[];
    })
  | (Base & { type: 'drift-resolved'; incidentId: string });

export type PlanKind = 'plan' | 'destroy' | 'rollback';

export type RunnerEventType = RunnerEvent['type'];

export interface Notifier {
  /** Human name, used when a notifier fails ("slack notifier failed: …"). */
  readonly name: string;
  notify(event: RunnerEvent): Promise<void>;
}

/** Sends each event to every notifier; one failing notifier does not stop the others nor the run. */
export function fanOut(
  notifiers: readonly Notifier[],
  onError: (name: string, err: Error) => void,
): Notifier {
  return {
    name: 'fan-out',
    async notify(event) {
      await Promise.all(
        notifiers.map(async (n) => {
          try {
            await n.notify(event);
          } catch (err) {
            onError(n.name, err as Error);
          }
        }),
      );
    },
  };
}

const short = (d: string) => d.slice(0, 12);
const counts = (c: PlanSummaryCounts) =>
  `+${c.add} ~${c.change} -${c.destroy}${c.replace ? ` ±${c.replace}` : ''}`;

/** One line per event, for terminals and CI logs. */
export function describeEvent(e: RunnerEvent): string {
  switch (e.type) {
    case 'plan-ready':
      return `${e.env}: ${e.kind} ready ${short(e.digest)} (${e.hasChanges ? counts(e.counts) : 'no changes'})${e.protectedDestroys.length ? ` — DESTROYS PROTECTED ${e.protectedDestroys.join(', ')}` : ''}`;
    case 'awaiting-approval':
      return `${e.env}: awaiting approval of ${short(e.digest)} requested by ${e.requester} (${counts(e.counts)}); approve with: ${e.approveCommand}`;
    case 'applied':
      return `${e.env}: applied ${short(e.digest)} (${counts(e.counts)}) in ${(e.durationMs / 1000).toFixed(1)}s`;
    case 'failed':
      return `${e.env}: ${e.stage} failed: ${e.message}`;
    case 'drift-found':
      return `${e.env}: drift ${e.isNew ? 'found' : e.changed ? 'changed' : 'still present'} (incident ${e.incidentId}): ${[
        e.infrastructure.length ? `${e.infrastructure.length} changed outside terraform` : '',
        e.unapplied.length ? `${e.unapplied.length} not yet applied` : '',
        e.staleFiles.length ? `${e.staleFiles.length} generated files stale` : '',
      ]
        .filter(Boolean)
        .join(', ')}`;
    case 'drift-resolved':
      return `${e.env}: drift resolved (incident ${e.incidentId})`;
  }
}

/** Events as plain lines (stderr of the CLI; the bot's log). */
export function terminalNotifier(write: (line: string) => void): Notifier {
  return {
    name: 'terminal',
    async notify(e) {
      write(describeEvent(e));
    },
  };
}

/** Every event in the audit log as `event.<type>`, with its details (digests, counts, incident ids). */
export function auditNotifier(store: Pick<Store, 'audit'>): Notifier {
  return {
    name: 'audit',
    async notify(e) {
      const { type, env, actor, at, ...details } = e;
      await store.audit({
        actor,
        env,
        action: `event.${type}`,
        details: JSON.parse(JSON.stringify(details)),
        at,
      });
    },
  };
}
