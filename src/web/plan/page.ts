import type { Approval, ApprovalRequest, AuditEntry, PlanRecord } from '../../store/types.js';
import { type Html, html, join } from '../html.js';
import type { ResourceView } from './changes.js';
import type { GeneratedChange } from './generated.js';

/**
 * The plan review page: the approval state and history, then every Terraform resource change with its
 * attributes (sensitive values masked) and spec line, then every Kubernetes object and Helm values file with
 * its diff, then the sections other features add (cost). Pure: data in, HTML out (the bench times this).
 */
export interface PlanPageData {
  plan: PlanRecord;
  request?: ApprovalRequest;
  approvals: Approval[];
  history: AuditEntry[];
  resources?: ResourceView[];
  generated: GeneratedChange[];
  sections: Array<{ id: string; title: string; body: Html }>;
  minApprovals: number;
  /** Set when the viewer may approve this pending plan: how (the Approve button, or this command, in Slack). */
  approveCommand?: string;
}

const label = (s: string) => s.replace(/-/g, ' ');

function resource(r: ResourceView): Html {
  return html`<details class="res" data-address="${r.address}"><summary><span class="pill act-${r.action}">${r.action}</span> <code>${r.address}</code>${
    r.origin ? html` <span class="muted">← ${r.origin}</span>` : ''
  } <span class="muted">(${r.attrs.length} attribute${r.attrs.length === 1 ? '' : 's'})</span></summary>
${
  r.attrs.length === 0
    ? html`<p class="muted">No attribute values in the plan.</p>`
    : html`<table><caption class="muted">Attributes of ${r.address}</caption><thead><tr><th scope="col">attribute</th><th scope="col">before</th><th scope="col">after</th></tr></thead><tbody>${r.attrs.map(
        (a) =>
          html`<tr><td><code>${a.path}</code></td><td${a.sensitive ? html` class="masked"` : ''}>${a.before ?? '—'}</td><td${a.sensitive ? html` class="masked"` : ''}>${a.after ?? '—'}</td></tr>`,
      )}</tbody></table>`
}</details>`;
}

function generated(g: GeneratedChange): Html {
  const what =
    g.layer === 'kubernetes'
      ? join(
          g.objects.map(
            (o) => html`<li><code>${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}</code></li>`,
          ),
        )
      : '';
  return html`<details class="res" data-file="${g.path}"><summary><span class="pill act-${g.status === 'added' ? 'create' : g.status === 'removed' ? 'delete' : g.status === 'changed' ? 'update' : 'none'}">${g.status}</span> <code>${g.path}</code>${
    g.origins[0] ? html` <span class="muted">← ${g.origins[0]}</span>` : ''
  }</summary>${what ? html`<ul>${what}</ul>` : ''}${g.origins.length > 1 ? html`<p class="muted">Spec: ${g.origins.join('; ')}</p>` : ''}${
    g.patch
      ? html`<pre aria-label="diff of ${g.path}">${g.patch.split('\n').map((l) => html`<span class="${l.startsWith('+') ? 'diff-add' : l.startsWith('-') ? 'diff-del' : ''}">${l}</span>\n`)}</pre>`
      : ''
  }</details>`;
}

export function planPage(d: PlanPageData): Html {
  const p = d.plan;
  const s = p.summary as { counts?: Record<string, number>; kind?: string };
  const c = s.counts ?? {};
  const status = d.request?.status ?? (p.appliedAt ? 'applied' : 'no approval requested');
  const k8s = d.generated.filter((g) => g.layer === 'kubernetes');
  const helm = d.generated.filter((g) => g.layer === 'helm');
  const changedOnly = (list: GeneratedChange[]) => list.filter((g) => g.status !== 'unchanged');
  return html`<h1>Plan for ${p.env} <code>${p.digest.slice(0, 12)}</code></h1>
<dl class="facts">
<dt>Environment</dt><dd>${p.env}</dd>
<dt>Digest</dt><dd><code data-testid="digest">${p.digest}</code></dd>
<dt>Planned by</dt><dd>${p.createdBy} at <time datetime="${p.createdAt.toISOString()}">${p.createdAt.toISOString()}</time></dd>
<dt>Changes</dt><dd data-testid="counts">${c.add ?? 0} to add, ${c.change ?? 0} to change, ${c.destroy ?? 0} to destroy</dd>
${p.revision ? html`<dt>Revision</dt><dd><code>${p.revision.slice(0, 12)}</code></dd>` : ''}
</dl>
<section aria-labelledby="h-approval"><h2 id="h-approval">Approval</h2>
<p>Status: <strong data-testid="approval-status">${label(status)}</strong>${
    d.request
      ? html` — ${d.approvals.filter((a) => a.approver !== d.request?.requester).length}/${d.minApprovals} approval(s); requested by ${d.request.requester}, expires ${d.request.expiresAt.toISOString()}`
      : ''
  }</p>
${d.approveCommand ? html`<p data-testid="approve-how">You may approve this plan: the Approve button on its message in Slack, or <code>${d.approveCommand}</code>.</p>` : ''}
${
  d.history.length
    ? html`<table><caption>History</caption><thead><tr><th scope="col">when</th><th scope="col">who</th><th scope="col">what</th></tr></thead><tbody>${d.history.map(
        (h) => html`<tr><td>${h.at.toISOString()}</td><td>${h.actor}</td><td>${h.action}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">No decisions yet.</p>`
}</section>
<section aria-labelledby="h-tf"><h2 id="h-tf">Terraform: ${d.resources ? d.resources.length : 0} resource change(s)</h2>
${
  d.resources
    ? d.resources.length
      ? join(d.resources.map(resource))
      : html`<p>No resource changes.</p>`
    : html`<p class="muted">The saved plan file is no longer available; only the summary is shown.</p>`
}</section>
<section aria-labelledby="h-k8s"><h2 id="h-k8s">Kubernetes: ${changedOnly(k8s).length} file(s) changed of ${k8s.length}</h2>
${join(changedOnly(k8s).map(generated))}${k8s.length > changedOnly(k8s).length ? html`<p class="muted">${k8s.length - changedOnly(k8s).length} unchanged file(s) not shown.</p>` : ''}</section>
<section aria-labelledby="h-helm"><h2 id="h-helm">Helm values: ${changedOnly(helm).length} file(s) changed of ${helm.length}</h2>
${join(changedOnly(helm).map(generated))}</section>
${d.sections.map((x) => html`<section aria-labelledby="h-${x.id}" data-section="${x.id}"><h2 id="h-${x.id}">${x.title}</h2>${x.body}</section>`)}`;
}
