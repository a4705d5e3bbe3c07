/**
 * What happens to an access request, as events. The access core emits them; the bot turns them into one
 * Slack thread per request (and a DM with the kubectl context on grant), the CLI prints them. The core
 * never talks to Slack itself.
 */
import type { AccessRequest } from '../store/types.js';

export type AccessEvent =
  | { type: 'requested'; request: AccessRequest; approvers: string[] }
  | { type: 'approval-added'; request: AccessRequest; approver: string }
  | { type: 'granted'; request: AccessRequest; actor: string; kubectl: KubectlContext; breakGlass: boolean }
  | { type: 'denied'; request: AccessRequest; actor: string; reason?: string }
  | { type: 'revoked'; request: AccessRequest; actor: string; reason: string }
  | { type: 'expired'; request: AccessRequest }
  | { type: 'failed'; request: AccessRequest; step: string; error: string }
  | { type: 'reviewed'; request: AccessRequest; reviewer: string; notes: string }
  | {
      type: 'drift';
      env: string;
      binding: string;
      grantId?: string;
      request?: AccessRequest;
      removed: boolean;
      why: string;
    };

export type AccessEventSink = (e: AccessEvent) => Promise<void>;

/** What the requester needs to use the grant (sent by DM; names only, never a credential). */
export interface KubectlContext {
  context: string;
  cluster: string;
  user: string;
  namespaces: string[];
  /** Ready-to-run lines. */
  commands: string[];
}
