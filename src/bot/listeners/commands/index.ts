import type { SubCommand } from '../types.js';
import access from './access.js';
import approve from './approve.js';
import deny from './deny.js';
import drift from './drift.js';
import help from './help.js';
import plan from './plan.js';
import rotate from './rotate.js';
import status from './status.js';
import web from './web.js';

/**
 * Every `/infra` sub-command, in the order `/infra help` lists them. One file per sub-command; add yours
 * here with one line (rotation and access add theirs the same way).
 */
export const subCommands: SubCommand[] = [help, status, plan, approve, deny, drift, access, rotate, web];
