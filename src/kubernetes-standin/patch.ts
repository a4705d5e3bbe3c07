/**
 * PATCH: server-side apply (`application/apply-patch+yaml`, `fieldManager` required, managed fields per manager,
 * 409 on a conflict with another manager unless `force=true`), JSON merge and strategic merge patches.
 */
import type { IncomingMessage } from 'node:http';
import { store } from './controllers.js';
import { deepMerge, deletePath, getPath, leafPaths, stripMeta, stripVolatile } from './paths.js';
import {
  conflict,
  gv,
  type K8sObject,
  notFound,
  type Reply,
  type ResourceType,
  status,
  unknownFieldsReply,
} from './resources.js';
import { type Cluster, finalizeMeta, managedFieldsOf, own, takeChanged } from './state.js';
import { checkObject, checkTypeAndName, unknownFields } from './validate.js';

export async function patch(
  c: Cluster,
  req: IncomingMessage,
  t: {
    r: ResourceType;
    key: string;
    name: string;
    ns: string | undefined;
    incoming: K8sObject;
    current: K8sObject | undefined;
    manager: string;
    query: Record<string, string>;
  },
): Promise<Reply> {
  const { r, key, name, ns, incoming, current, manager, query } = t;
  const ct = String(req.headers['content-type'] ?? '');
  if (ct.startsWith('application/apply-patch+yaml')) {
    if (!query.fieldManager) {
      return {
        status: 400,
        body: status(
          400,
          'BadRequest',
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        ),
      };
    }
    const bad = checkTypeAndName(r, incoming, name, ns);
    if (bad) return bad;
    const unknown = r.clientType ? unknownFields(c, r.clientType, incoming, '') : [];
    if (unknown.length > 0) {
      return {
        status: 400,
        body: status(
          400,
          'BadRequest',
          `failed to create typed patch object: ${unknown.join(', ')}: field not declared in schema`,
        ),
      };
    }
    if (
      current &&
      incoming.metadata.resourceVersion &&
      incoming.metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      return { status: 409, body: conflict(r, name) };
    }
    const applied = stripMeta(structuredClone(incoming));
    delete applied.status;
    const appliedPaths = leafPaths(applied);
    const force = query.force === 'true';
    const conflicts: string[] = [];
    const mine = c.owners.get(key)?.get(query.fieldManager);
    for (const [other, own] of c.owners.get(key) ?? new Map()) {
      if (other === query.fieldManager) continue;
      for (const p of appliedPaths) {
        if (
          own.paths.has(p) &&
          current &&
          JSON.stringify(getPath(current, p)) !== JSON.stringify(getPath(applied, p))
        ) {
          conflicts.push(`conflict with "${other}": ${p}`);
        }
      }
    }
    if (conflicts.length > 0 && !force) {
      return {
        status: 409,
        body: status(
          409,
          'Conflict',
          `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${conflicts.join('; ')}`,
        ),
      };
    }
    let next: K8sObject = current
      ? structuredClone(current)
      : ({
          apiVersion: gv(r),
          kind: r.kind,
          metadata: { name, ...(ns ? { namespace: ns } : {}) },
        } as K8sObject);
    // Fields this manager applied before and no longer applies are removed (unless someone else owns them).
    for (const p of mine?.paths ?? []) {
      const ownedElsewhere = [...(c.owners.get(key) ?? new Map()).entries()].some(
        ([m, o]) => m !== query.fieldManager && o.paths.has(p),
      );
      if (!appliedPaths.has(p) && !ownedElsewhere) deletePath(next, p);
    }
    next = deepMerge(next, applied, false) as K8sObject;
    next.metadata.name = name;
    if (ns) next.metadata.namespace = ns;
    const invalid = await checkObject(c, r, next, true);
    if (invalid) return invalid;
    if (current && JSON.stringify(stripVolatile(current)) === JSON.stringify(stripVolatile(next))) {
      own(c, key, query.fieldManager, 'Apply', appliedPaths, force);
      current.metadata.managedFields = managedFieldsOf(c, key);
      return { status: 200, body: current };
    }
    finalizeMeta(c, r, next, current);
    own(c, key, query.fieldManager, 'Apply', appliedPaths, force);
    return { status: current ? 200 : 201, body: store(c, r, next) };
  }
  if (
    ct.startsWith('application/merge-patch+json') ||
    ct.startsWith('application/strategic-merge-patch+json')
  ) {
    if (!current) return { status: 404, body: notFound(r, name) };
    if (
      incoming.metadata?.resourceVersion &&
      incoming.metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      return { status: 409, body: conflict(r, name) };
    }
    const unknown = r.clientType ? unknownFields(c, r.clientType, incoming, '') : [];
    if (unknown.length > 0) return unknownFieldsReply(unknown);
    const next = deepMerge(
      structuredClone(current),
      stripMeta(structuredClone(incoming), true),
      ct.startsWith('application/strategic'),
    ) as K8sObject;
    const invalid = await checkObject(c, r, next, false);
    if (invalid) return invalid;
    finalizeMeta(c, r, next, current);
    takeChanged(c, key, manager, current, next);
    return { status: 200, body: store(c, r, next) };
  }
  return {
    status: 415,
    body: status(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
    ),
  };
}
