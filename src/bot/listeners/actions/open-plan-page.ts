import { ActionId } from '../../ids.js';
import type { ActionListener } from '../types.js';

/** "View the full change" is a link: the browser opens the page, the click itself only needs the ack. */
const openPlanPage: ActionListener = {
  actionId: ActionId.openPlanPage,
  name: 'open_plan_page',
  async run() {},
};
export default openPlanPage;
