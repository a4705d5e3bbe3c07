import accessExpiry from './access-expiry.js';
import approvals from './approvals.js';
import drift from './drift.js';
import probe from './probe.js';
import rotation, { rotationRevocations } from './rotation.js';
import type { Job } from './types.js';

/** Every scheduled job. One file per job; add yours with one line. */
export const jobs: Job[] = [drift, approvals, probe, rotation, rotationRevocations, accessExpiry];
