/**
 * Diagnostic codes of the whole-platform models (one docs/rules/<code>.md page each): 25xx bring-up from
 * an empty account, 26xx flows across the network layers.
 */
import { type Diagnostic, diagnosticAt } from '../diagnostics/diagnostic.js';
import type { Origin } from '../model.js';

export const CODES = {
  /** A root's s3 backend names a bucket that does not exist yet when the root initialises. */
  stateBucket: 'ENVC2501',
  /** A custom resource is created before the CRD of its kind is installed. */
  crdMissing: 'ENVC2502',
  /** A Secret is read (blocking) before anything produces it, or nothing ever produces it. */
  secretMissing: 'ENVC2503',
  /** The kubernetes or helm provider is configured from a cluster created in the same root. */
  providerFromSameRoot: 'ENVC2504',
  /** Something is created in a namespace that does not exist yet. */
  namespaceMissing: 'ENVC2505',
  /** Another prerequisite (remote state, ArgoCD, a controller, a cluster registration) is not there yet. */
  prerequisiteMissing: 'ENVC2506',
  /** A needed flow is blocked by one of the layers it crosses. */
  flowBlocked: 'ENVC2601',
  /** A flow that must never exist is allowed by every layer it crosses. */
  flowForbidden: 'ENVC2602',
  /** An Ingress host has no DNS record in the environment's zone. */
  dnsMissing: 'ENVC2603',
  /** A node traffic rule LKE itself needs is missing from the Cloud Firewall. */
  lkeNodeTraffic: 'ENVC2604',
} as const;

export type Layer = 'control-plane-acl' | 'cloud-firewall' | 'database-allow-list' | 'network-policy' | 'dns';

export function platformDiagnostic(
  code: string,
  origin: Origin,
  message: string,
  hint?: string,
  severity: Diagnostic['severity'] = 'error',
): Diagnostic {
  return diagnosticAt(origin, code, severity, message, hint);
}
