/**
 * What happens during a rotation, as events: the bot turns them into one Slack thread per rotation (the
 * parent says started → succeeded/failed, replies say sealed, rolled out, old credential revoked), the CLI
 * prints them. Events carry names, steps and times — never a value.
 */
import type { RotationRecord } from '../store/types.js';

export type RotationTrigger = 'scheduled' | 'on-demand';

export type RotationStepName =
  | 'approval'
  | 'preflight'
  | 'credential'
  | 'seal'
  | 'apply'
  | 'unseal'
  | 'restart'
  | 'rollout'
  | 'revoke-old'
  | 'revocation-scheduled'
  | 'rollback';

export interface RotationRef {
  rotationId: string;
  env: string;
  secret: string;
}

export type RotationEvent =
  | (RotationRef & {
      type: 'approval-requested';
      requester: string;
      approvers: string[];
      minApprovals: number;
      expiresAt: Date;
      reason?: string;
    })
  | (RotationRef & { type: 'approval-added'; approver: string; approvals: number; minApprovals: number })
  | (RotationRef & { type: 'started'; actor: string; trigger: RotationTrigger; source: string })
  | (RotationRef & { type: 'step'; step: RotationStepName; message: string })
  | (RotationRef & { type: 'succeeded'; rotation?: RotationRecord; nextDue: Date; revocationDueAt?: Date })
  | (RotationRef & {
      type: 'failed';
      step: RotationStepName;
      error: string;
      rollback: string[];
      /** Whether the credential in use before the rotation still works. */
      oldCredentialValid: boolean;
    })
  | (RotationRef & { type: 'revoked'; keys: number; at: Date })
  | (RotationRef & { type: 'denied'; actor: string; reason: string });

export type RotationEventSink = (e: RotationEvent) => Promise<void>;
