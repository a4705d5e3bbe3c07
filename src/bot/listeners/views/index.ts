import type { ViewListener } from '../types.js';
import accessRequest from './access-request.js';
import accessReview from './access-review.js';
import approveConfirm from './approve-confirm.js';
import denyConfirm from './deny-confirm.js';

/** Every modal submission the bot handles. One file per modal; add yours with one line. */
export const viewListeners: ViewListener[] = [approveConfirm, denyConfirm, accessRequest, accessReview];
