import type { ActionListener } from '../types.js';
import accessApprove from './access-approve.js';
import accessDeny from './access-deny.js';
import accessReview from './access-review.js';
import approve from './approve.js';
import deny from './deny.js';
import driftAck from './drift-ack.js';
import driftPlanFix from './drift-plan-fix.js';
import driftSnooze from './drift-snooze.js';
import openPlanPage from './open-plan-page.js';
import rotationApprove from './rotation-approve.js';
import rotationDeny from './rotation-deny.js';
import viewPlan from './view-plan.js';

/** Every button the bot handles. One file per action; add yours with one line. */
export const actionListeners: ActionListener[] = [
  approve,
  deny,
  viewPlan,
  openPlanPage,
  driftPlanFix,
  driftAck,
  driftSnooze,
  accessApprove,
  accessDeny,
  accessReview,
  rotationApprove,
  rotationDeny,
];
