import type { AccessRequest, AuditEntry, DriftIncident, PlanRecord } from '../../store/types.js';
import { type Html, html } from '../html.js';

/** The read-only pages: environments (the spec's graph), plans, open drift incidents, access grants, audit. Pure. */
export function environmentsPage(
  envs: Array<{ name: string; tier: string; region: string; approvers: string[] }>,
  mermaid: string,
): Html {
  return html`<h1>Environments</h1>
<table><caption class="muted">Environments in the spec</caption><thead><tr><th scope="col">environment</th><th scope="col">tier</th><th scope="col">region</th><th scope="col">approvers</th></tr></thead><tbody>
${envs.map((e) => html`<tr><td>${e.name}</td><td>${e.tier}</td><td>${e.region}</td><td>${e.approvers.join(', ') || '—'}</td></tr>`)}
</tbody></table>
<h2>Platform graph</h2>
<p class="muted">The picture <code>envc graph</code> draws, as Mermaid source (paste it into any Mermaid viewer; GitHub renders it in Markdown).</p>
<pre class="mermaid" aria-label="Mermaid source of the platform graph">${mermaid}</pre>`;
}

export function plansPage(plans: PlanRecord[]): Html {
  return html`<h1>Plans</h1>${
    plans.length
      ? html`<table><caption class="muted">Newest first</caption><thead><tr><th scope="col">environment</th><th scope="col">digest</th><th scope="col">by</th><th scope="col">at</th><th scope="col">applied</th></tr></thead><tbody>${plans.map(
          (p) =>
            html`<tr><td>${p.env}</td><td><a href="/plans/${p.digest}"><code>${p.digest.slice(0, 12)}</code></a></td><td>${p.createdBy}</td><td>${p.createdAt.toISOString()}</td><td>${p.appliedAt ? p.appliedAt.toISOString() : '—'}</td></tr>`,
        )}</tbody></table>`
      : html`<p>No plans yet.</p>`
  }`;
}

export function driftPage(incidents: DriftIncident[]): Html {
  return html`<h1>Open drift incidents</h1>${
    incidents.length
      ? html`<table><caption class="muted">Open incidents</caption><thead><tr><th scope="col">environment</th><th scope="col">opened</th><th scope="col">seen</th><th scope="col">acknowledged</th><th scope="col">what drifted</th></tr></thead><tbody>${incidents.map(
          (i) =>
            html`<tr data-incident="${i.id}"><td>${i.env}</td><td>${i.openedAt.toISOString()}</td><td>${i.occurrences}×</td><td>${i.ackedBy ?? '—'}</td><td><ul>${driftLines(i).map((l) => html`<li><code>${l}</code></li>`)}</ul></td></tr>`,
        )}</tbody></table>`
      : html`<p>No open drift incidents.</p>`
  }`;
}

function driftLines(i: DriftIncident): string[] {
  const s = i.summary as { outOfBand?: unknown; unapplied?: unknown; staleFiles?: unknown };
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return [
    ...list(s.outOfBand).map((x) => `changed outside terraform: ${x}`),
    ...list(s.unapplied).map((x) => `not applied: ${x}`),
    ...list(s.staleFiles).map((x) => `stale file: ${x}`),
  ].slice(0, 50);
}

export function accessPage(grants: AccessRequest[], pending: AccessRequest[], now: Date): Html {
  const left = (d?: Date) =>
    d ? `${Math.max(0, Math.round((d.getTime() - now.getTime()) / 60000))} min` : '—';
  return html`<h1>Access</h1><h2>Active grants</h2>${
    grants.length
      ? html`<table><caption class="muted">Granted and not yet expired</caption><thead><tr><th scope="col">who</th><th scope="col">environment</th><th scope="col">role</th><th scope="col">reason</th><th scope="col">expires</th><th scope="col">left</th></tr></thead><tbody>${grants.map(
          (g) =>
            html`<tr data-grant="${g.id}"><td>${g.requester}</td><td>${g.env}</td><td>${g.role}</td><td>${g.reason}</td><td>${g.expiresAt?.toISOString() ?? '—'}</td><td>${left(g.expiresAt)}</td></tr>`,
        )}</tbody></table>`
      : html`<p>No active grants.</p>`
  }<h2>Waiting for approval</h2>${
    pending.length
      ? html`<ul>${pending.map((r) => html`<li data-request="${r.id}">${r.requester}: ${r.role} on ${r.env} for ${Math.round(r.durationSeconds / 60)} min — ${r.reason}</li>`)}</ul>`
      : html`<p>None.</p>`
  }`;
}

export interface AuditQuery {
  env?: string;
  actor?: string;
  action?: string;
}

export function auditPage(entries: AuditEntry[], q: AuditQuery, envs: string[]): Html {
  return html`<h1>Audit log</h1>
<form class="filters" method="get" action="/audit" role="search" aria-label="Filter the audit log">
<div><label for="f-env">Environment</label><select id="f-env" name="env"><option value="">any</option>${envs.map((e) => html`<option value="${e}"${q.env === e ? html` selected` : ''}>${e}</option>`)}</select></div>
<div><label for="f-actor">Actor</label><input id="f-actor" name="actor" value="${q.actor ?? ''}"></div>
<div><label for="f-action">Action (prefix with * e.g. approval.*)</label><input id="f-action" name="action" value="${q.action ?? ''}"></div>
<div><button class="btn" type="submit">Filter</button></div></form>
${
  entries.length
    ? html`<table><caption class="muted">Newest first, at most 200</caption><thead><tr><th scope="col">when</th><th scope="col">who</th><th scope="col">environment</th><th scope="col">action</th><th scope="col">details</th></tr></thead><tbody>${entries.map(
        (e) =>
          html`<tr><td>${e.at.toISOString()}</td><td>${e.actor}</td><td>${e.env ?? '—'}</td><td>${e.action}</td><td><code>${JSON.stringify(e.details).slice(0, 300)}</code></td></tr>`,
      )}</tbody></table>`
    : html`<p>No entries match.</p>`
}`;
}
