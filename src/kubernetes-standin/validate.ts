/** What the Kubernetes API stand-in refuses, like the API server: unknown fields, bad names and labels, invalid objects. */

import { gv, type Json, type K8sObject, type ResourceType, status, unknownFieldsReply } from './resources.js';
import type { Cluster } from './state.js';

export async function validateModel(c: Cluster, r: ResourceType, obj: unknown): Promise<string | undefined> {
  let validate = c.models.get(r.kind);
  if (!validate) {
    const mod = (await import(r.model)) as Record<string, new (d: unknown) => { validate(): void }>;
    const Cls = mod[r.kind] as new (d: unknown) => { validate(): void };
    validate = (o: unknown) => new Cls(o).validate();
    c.models.set(r.kind, validate);
  }
  try {
    validate(obj);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Unknown fields of built-in kinds, from the official client's attribute type maps. */

export function unknownFields(c: Cluster, typeName: string, value: unknown, path: string): string[] {
  if (value === null || value === undefined) return [];
  const arr = /^Array<(.+)>$/.exec(typeName);
  if (arr)
    return Array.isArray(value)
      ? value.flatMap((v, i) => unknownFields(c, arr[1] as string, v, `${path}[${i}]`))
      : [];
  const cls = (
    c.k8s as unknown as Record<
      string,
      { getAttributeTypeMap?: () => Array<{ baseName: string; type: string }> }
    >
  )[typeName];
  if (!cls?.getAttributeTypeMap || typeof value !== 'object' || Array.isArray(value)) return [];
  const attrs = new Map(cls.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  const out: string[] = [];
  for (const [k, v] of Object.entries(value as Json)) {
    if (v === undefined) continue; // not on the wire
    const t = attrs.get(k);
    if (t === undefined) out.push(`${path}.${k}`);
    else out.push(...unknownFields(c, t, v, `${path}.${k}`));
  }
  return out;
}

export function checkTypeAndName(
  r: ResourceType,
  o: K8sObject,
  urlName: string | undefined,
  ns: string | undefined,
) {
  if (o.apiVersion !== gv(r) || o.kind !== r.kind) {
    return {
      status: 400,
      body: status(
        400,
        'BadRequest',
        `the API version in the data (${o.apiVersion}) does not match the expected API version (${gv(r)}) or kind ${o.kind} != ${r.kind}`,
      ),
    };
  }
  if (!o.metadata?.name)
    return {
      status: 422,
      body: status(
        422,
        'Invalid',
        `${r.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
      ),
    };
  if (urlName !== undefined && o.metadata.name !== urlName) {
    return {
      status: 400,
      body: status(
        400,
        'BadRequest',
        `the name of the object (${o.metadata.name}) does not match the name on the URL (${urlName})`,
      ),
    };
  }
  if (ns !== undefined && o.metadata.namespace !== undefined && o.metadata.namespace !== ns) {
    return {
      status: 400,
      body: status(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      ),
    };
  }
  return undefined;
}

export async function checkObject(c: Cluster, r: ResourceType, obj: K8sObject, unknownChecked: boolean) {
  if (!unknownChecked && r.clientType) {
    const unknown = unknownFields(c, r.clientType, obj, '');
    if (unknown.length > 0) return unknownFieldsReply(unknown);
  }
  // RBAC c.objects only need a valid path segment (`envc:view`); everything else a DNS subdomain.
  const nameOk =
    r.group === 'rbac.authorization.k8s.io'
      ? !/[/%]/.test(obj.metadata.name) && obj.metadata.name !== '.' && obj.metadata.name !== '..'
      : /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(obj.metadata.name);
  if (!nameOk || obj.metadata.name.length > 253) {
    return {
      status: 422,
      body: status(
        422,
        'Invalid',
        `${r.kind} "${obj.metadata.name}" is invalid: metadata.name: Invalid value`,
      ),
    };
  }
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (typeof v !== 'string' || v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) {
      return {
        status: 422,
        body: status(
          422,
          'Invalid',
          `${r.kind} "${obj.metadata.name}" is invalid: metadata.labels: Invalid value: "${k}"`,
        ),
      };
    }
  }
  const { managedFields: _m, ...meta } = obj.metadata;
  const err = await validateModel(c, r, { ...obj, metadata: meta });
  if (err)
    return {
      status: 422,
      body: status(422, 'Invalid', `${r.kind} "${obj.metadata.name}" is invalid: ${err}`),
    };
  return undefined;
}
