/**
 * The whole demo loop in a real headless Chromium, clicked through the playground like a person would:
 * plan production as the requester, Approve refused for the requester and for a non-approver, approved by
 * the approver through the confirmation modal, the apply, drift made behind terraform's back and its
 * incident thread, a JIT access request granted on the Kubernetes API stand-in and revoked at expiry; the plan page of a 500-resource change opened from the approval
 * message's link; axe-core on both pages. Every step checks the page and the store.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS, type RunningDemo, startDemo } from '../../src/cli/commands/demo/start.js';
import { terraformEnv, terraformSkipReason } from '../../src/runner/test-harness.js';
import { axe, browserSkipReason, launchChromium } from '../support/browser.js';
import { checkScreenshot } from '../support/screenshots.js';
import { prepareStoreDir } from '../support/store.js';

const SCALE = 500;
const LONG = 180_000;
/** Planning 500 extra resources with the real terraform takes minutes on a loaded 2-core machine. */
const LARGE = 900_000;

describe.skipIf(browserSkipReason() !== undefined || terraformSkipReason() !== undefined)(
  'envc demo in a browser',
  () => {
    let demo: RunningDemo;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let dir: string;
    let digest: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'envc-demo-browser-'));
      await prepareStoreDir(join(dir, 'state'));
      demo = await startDemo({
        dir,
        port: 0,
        env: { ...process.env, ...terraformEnv() },
        scale: { staging: SCALE },
        progress: () => {},
      });
      browser = await launchChromium();
      // The pages forbid inline script (CSP); axe is injected by the test only.
      context = await browser.newContext({ bypassCSP: true });
      page = await context.newPage();
      page.setDefaultTimeout(LONG);
    }, LONG);

    afterAll(async () => {
      await browser?.close();
      await demo?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Opens a URL; the playground's self-refresh may interrupt the navigation: then it goes again. */
    const visit = async (url: string) => {
      for (let i = 0; ; i++) {
        try {
          return await page.goto(url);
        } catch (err) {
          if (i >= 5) throw err;
        }
      }
    };

    /** The playground refreshes itself while the bot works (and just after an action); this matches once it is idle. */
    const IDLE = 'html:not(:has(meta[http-equiv=refresh]))';

    /**
     * Waits on the page's state, never on the clock: until `selector` is on the page, which refreshes itself
     * while the bot works. A page that went idle without it gets one fresh look, then the wait fails with
     * what the page shows.
     */
    const waitFor = async (selector: string, timeout = LONG) => {
      for (let fresh = 0; ; fresh++) {
        const found = page.locator(selector).first().waitFor({ state: 'attached', timeout });
        const idle = page.locator(IDLE).waitFor({ state: 'attached', timeout });
        found.catch(() => {});
        idle.catch(() => {});
        await Promise.race([found, idle]);
        if ((await page.locator(selector).count()) > 0) return;
        if (fresh >= 1) {
          const shown = (await page.textContent('main'))?.replace(/\s+/g, ' ').slice(-600);
          throw new Error(`the page went idle without ${selector}; it shows: ${shown}`);
        }
        await visit(page.url());
      }
    };

    /** Before clicking: the page no longer refreshes itself under the pointer. */
    const settled = () => page.locator(IDLE).waitFor({ state: 'attached' });

    const as = async (key: (typeof PERSONAS)[number]['key']) => {
      const name = PERSONAS.find((p) => p.key === key)!.name;
      await visit(demo.url);
      await settled();
      if ((await page.textContent('[data-testid=current-user]')) !== name) {
        await page.selectOption('#as', key);
        await Promise.all([page.waitForURL(/#bottom$/), page.click('text=Switch user')]);
      }
      expect(await page.textContent('[data-testid=current-user]')).toBe(name);
    };

    /** Resource instances of production's Terraform roots, as generated/manifest.json traces them to the spec. */
    const productionResources = () => {
      const manifest = JSON.parse(readFileSync(join(dir, 'generated', 'manifest.json'), 'utf8')) as {
        files: Record<string, { sources?: Array<{ resource: string }> }>;
      };
      const addresses = new Set<string>();
      for (const [file, entry] of Object.entries(manifest.files))
        if (/^terraform\/environments\/production\/(cluster\/|platform\/)?main\.tf$/.test(file))
          for (const s of entry.sources ?? [])
            if (!/(^|\.)data\./.test(s.resource)) addresses.add(s.resource);
      return addresses.size;
    };

    const approvalMessage = 'article:has(.bk-header:text("Approval needed: production"))';
    const approveButton = `${approvalMessage} button:text-is("Approve")`;

    const send = async (text: string) => {
      await settled();
      await page.fill('#composer', text);
      await page.click('.composer button');
    };

    it(
      'plans production as the requester and shows the approval request',
      async () => {
        await as('requester');
        await send('/infra plan production');
        await waitFor(approveButton);
        const header = await page.textContent(`${approvalMessage} .bk-header`);
        expect(header).toBe('Approval needed: production');
        expect(await page.textContent(approvalMessage)).toContain('Waiting for 1 approval');
        const link = await page.getAttribute(`${approvalMessage} a:text("View the full change")`, 'href');
        digest = link!.split('/plans/')[1]!;
        expect(digest).toMatch(/^[0-9a-f]{64}$/);
        const request = await demo.store.getApprovalRequest('production', digest);
        expect(request).toMatchObject({ status: 'pending', requester: PERSONAS[0].id });
        const plan = await demo.store.getPlanByDigest('production', digest);
        // One stand-in per real resource instance the compiler traced to the spec (manifest.json's source map).
        expect((plan!.summary as { counts: { add: number } }).counts.add).toBe(productionResources());
      },
      LONG,
    );

    it(
      'refuses Approve from the requester and from a non-approver',
      async () => {
        await settled();
        await page.click(approveButton);
        await waitFor('[data-ephemeral]:has-text("someone else among its approvers")');
        await as('outsider');
        await settled();
        await page.click(approveButton);
        await waitFor('[data-ephemeral]:has-text("not an approver of production")');
        expect(await page.locator('[role=dialog]').count()).toBe(0);
        expect(await demo.store.listApprovals('production', digest)).toEqual([]);
        expect((await demo.store.getApprovalRequest('production', digest))!.status).toBe('pending');
      },
      LONG,
    );

    it(
      'approves as the approver through the confirmation modal, and the apply runs',
      async () => {
        await as('approver');
        await settled();
        await page.click(approveButton);
        await waitFor('[role=dialog]');
        expect(await page.textContent('#modal-title')).toBe('Confirm approval');
        expect(await page.textContent('[role=dialog]')).toContain(digest);
        await page.click('[role=dialog] button.btn-primary');
        await waitFor(`${approvalMessage}:has-text("Applied")`);
        expect(await page.locator(approveButton).count()).toBe(0);
        const request = await demo.store.getApprovalRequest('production', digest);
        expect(request).toMatchObject({ status: 'applied' });
        const approvals = await demo.store.listApprovals('production', digest);
        expect(approvals.map((a) => [a.approver, a.used])).toEqual([[PERSONAS[1].id, true]]);
        expect((await demo.store.getPlanByDigest('production', digest))!.appliedAt).toBeInstanceOf(Date);
        // docs/screenshots/playground.png shows this moment: plan, approval, apply.
        await visit(demo.url);
        const shot = await checkScreenshot(page, 'playground');
        expect(shot.actual).toEqual(shot.expected);
      },
      LONG,
    );

    it(
      'opens the plan page of a large change from the approval message link',
      async () => {
        await as('requester');
        await send('/infra plan staging');
        const staging = 'article:has(.bk-header:text("Approval needed: staging"))';
        await waitFor(`${staging} a:text("View the full change")`, LARGE);
        const href = (await page.getAttribute(`${staging} a:text("View the full change")`, 'href'))!;
        const large = href.split('/plans/')[1]!;
        await settled();
        const response = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith(`/plans/${large}`)),
          page.click(`${staging} a:text("View the full change")`),
        ]).then(([r]) => r);
        expect(response.status()).toBe(200);
        // The response's headers arrive before its body: the page is read once it has loaded.
        await page.waitForLoadState('load');
        expect(await page.textContent('h1')).toContain('Plan for staging');
        expect(await page.textContent('[data-testid=digest]')).toBe(large);
        expect(await page.textContent('[data-testid=approval-status]')).toBe('pending');
        const resources = await page.locator('section[aria-labelledby=h-tf] details.res').count();
        expect(resources).toBeGreaterThan(SCALE);
        const text = (await page.textContent('main'))!;
        expect(text).toContain('module.cluster.terraform_data.linode_lke_cluster__this');
        expect(text).toContain('module.cluster.terraform_data.node["n-499"]');
        // Traced to the spec line through generated/manifest.json's source map.
        expect(text).toMatch(/← environments\.yaml:\d+ environments\.staging/);
        // The stand-in's sensitive input is masked; its value never reaches the page.
        expect(text).toContain('(sensitive value)');
        expect(await page.content()).not.toContain('stand-in-secret-value');
        const violations = await axe(page);
        expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      },
      LARGE,
    );

    it(
      'shows the applied production plan with its approval history',
      async () => {
        await visit(`${demo.url}plans/${digest}`);
        expect(await page.textContent('[data-testid=approval-status]')).toBe('applied');
        expect(await page.textContent('section[aria-labelledby=h-approval]')).toContain('approval.add');
        const shot = await checkScreenshot(page, 'plan-page');
        expect(shot.actual).toEqual(shot.expected);
      },
      LONG,
    );

    it(
      'has no serious accessibility violations in the playground',
      async () => {
        await visit(demo.url);
        const violations = await axe(page);
        expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      },
      LONG,
    );

    it(
      "finds drift made behind terraform's back and opens an incident thread",
      async () => {
        await as('requester');
        await settled();
        await page.selectOption('#tamper-env', 'production');
        await page.click('text=Make drift');
        await waitFor('[role=status]:has-text("by hand")');
        await send('/infra drift production');
        const incident = 'article:has(.bk-header:text("Drift detected: production"))';
        await waitFor(incident);
        await expect
          .poll(async () => (await demo.store.listIncidents({ status: 'open' })).map((i) => i.env), {
            timeout: 60_000,
          })
          .toContain('production');
        const incidents = await demo.store.listIncidents({ env: 'production', status: 'open' });
        expect(incidents).toHaveLength(1);
        // The incident's thread is that message: later checks of the same drift reply there.
        expect(incidents[0]!.slackTs).toBe(await page.getAttribute(incident, 'data-ts'));
        expect(JSON.stringify(incidents[0]!.summary)).toContain('linode_firewall__this');
        await visit(`${demo.url}drift`);
        expect(await page.locator(`[data-incident="${incidents[0]!.id}"]`).count()).toBe(1);
      },
      LONG,
    );

    it(
      'requests JIT access, an approver grants it on the stand-in cluster, and it is revoked at expiry',
      async () => {
        await as('outsider');
        // 30 seconds: long enough to see the grant, short enough to watch the expiry job revoke it.
        await send('/infra access production view 30s debug INC-123');
        const message = 'article:has(.bk-header:text("Access request")):has-text("INC-123")';
        await waitFor(message);
        const [asked] = await demo.store.listAccessRequests({ env: 'production' });
        expect([asked!.requester, asked!.role, asked!.reason, asked!.status]).toEqual([
          PERSONAS[2].id,
          'view',
          'debug INC-123',
          'pending',
        ]);

        await as('approver');
        await settled();
        await page.click(`${message} button:text-is("Approve")`);
        await waitFor(`${message}:has-text("Granted")`);
        const granted = (await demo.store.getAccessRequest(asked!.id))!;
        expect(granted.status).toBe('granted');
        expect(granted.approvers).toEqual([PERSONAS[1].id]);
        // The expiry is on the message (to the minute) and on the access page (to the second).
        const until = granted.expiresAt!.toISOString();
        expect(await page.textContent(message)).toContain(until.slice(11, 16));
        const clusters = await demo.clusters;
        const bindings = () =>
          clusters
            .list('production', 'rbac.authorization.k8s.io/v1', 'RoleBinding', 'team-a')
            .map((b) => b.metadata.name);
        expect(granted.bindingRefs).toHaveLength(1);
        const name = granted.bindingRefs[0]!.split('/').pop()!;
        expect(bindings()).toContain(name);
        await visit(`${demo.url}access`);
        expect(await page.textContent(`[data-grant="${granted.id}"]`)).toContain(until);

        // The access-expiry job (every 5 s in the demo) deletes the binding once the grant has expired.
        await expect
          .poll(async () => (await demo.store.getAccessRequest(asked!.id))!.status, { timeout: 120_000 })
          .toMatch(/^(expired|revoked)$/);
        expect(bindings()).not.toContain(name);
        await visit(`${demo.url}access`);
        expect(await page.locator(`[data-grant="${granted.id}"]`).count()).toBe(0);
        await visit(demo.url);
        expect(await page.textContent(message)).toContain('Expired and revoked');
      },
      LONG,
    );

    it('sent the stand-in Slack only calls the published contract accepts', () => {
      expect(demo.slack.rejectedCalls().map((c) => [c.method, c.response.error])).toEqual([]);
    });
  },
);
