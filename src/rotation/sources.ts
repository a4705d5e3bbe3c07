/**
 * One strategy per secret source: how a new credential is made, what "the old one" is and how it is
 * retired. The plaintext lives only in the returned `data` until it is sealed.
 *
 * - linode-object-storage-key: a new key limited to the spec's bucket; the old keys (envc's, by label) stay
 *   valid for the grace period and are revoked afterwards; on failure the new key is revoked.
 * - linode-database-credentials: the managed database's reset; the old password stops working at once, so
 *   there is no grace period and nothing to roll back to (docs/guides/secrets-rotation.md).
 * - generated: a random value of the spec's length and alphabet; the old value simply stops being used.
 */
import { expectedKeys } from '../compiler/emitters/kubernetes/sealed-secrets.js';
import type { EnvironmentModel, Model, SecretInstance, SecretModel } from '../compiler/model.js';
import type { DatabaseRef, LinodeApi } from '../integrations/linode.js';
import { generateValue } from './generate.js';

export interface SourceContext {
  model: Model;
  env: EnvironmentModel;
  instance: SecretInstance;
  secret: SecretModel;
  now: Date;
  linode(): Promise<LinodeApi>;
}

export interface Prepared {
  /** Checked before anything changes (a database that is not found fails here, not after a reset). */
  database?: DatabaseRef;
}

export interface NewCredential {
  data: Record<string, string>;
  /** Non-secret facts for the store and the thread (key id and label, database label). */
  ref: Record<string, unknown>;
  /** The credential in use before this rotation stopped working when this one was made (database reset). */
  oldInvalidated: boolean;
  /** Identifiers of old credentials to retire after the grace period (object storage key ids). */
  oldKeyIds: number[];
  /** Undoes the new credential when the rotation fails; says what it did. */
  discard?(): Promise<string>;
}

/** `envc-<env>-<secret>` cut so that `-<yyMMddHHmmss>` still fits the API's 50-character label limit. */
export function keyLabelPrefix(env: string, secret: string): string {
  return `envc-${env}-${secret}`.slice(0, 37).replace(/-+$/, '');
}

export function keyLabel(env: string, secret: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return `${keyLabelPrefix(env, secret)}-${stamp}`;
}

export async function prepare(ctx: SourceContext): Promise<Prepared> {
  switch (ctx.secret.source) {
    case 'linode-object-storage-key':
      if (!ctx.instance.bucket)
        throw new Error(`secret "${ctx.secret.name}" names no bucket (set secrets[].bucket in the spec)`);
      return {};
    case 'linode-database-credentials': {
      const pg = ctx.env.dataServices.postgres;
      if (!pg)
        throw new Error(`environment "${ctx.env.name}" has no managed PostgreSQL (dataServices.postgres)`);
      const linode = await ctx.linode();
      const db = await linode.findDatabase('postgresql', pg.label);
      if (!db) throw new Error(`no managed PostgreSQL database labelled "${pg.label}" in the Linode account`);
      return { database: db };
    }
    case 'generated':
      return {};
  }
}

export async function createCredential(ctx: SourceContext, prepared: Prepared): Promise<NewCredential> {
  const keys = expectedKeys(ctx.secret.source, ctx.secret.key);
  switch (ctx.secret.source) {
    case 'linode-object-storage-key': {
      const linode = await ctx.linode();
      const prefix = `${keyLabelPrefix(ctx.env.name, ctx.secret.name)}-`;
      const before = (await linode.listObjectStorageKeys()).filter((k) => k.label.startsWith(prefix));
      const key = await linode.createObjectStorageKey({
        label: keyLabel(ctx.env.name, ctx.secret.name, ctx.now),
        bucketAccess: [
          { bucket: ctx.instance.bucket as string, region: ctx.env.region, permissions: ctx.secret.access },
        ],
      });
      const endpoint = `https://${key.endpoint ?? `${ctx.env.region}-1.linodeobjects.com`}`;
      const data: Record<string, string> = {
        access_key: key.accessKey,
        bucket: ctx.instance.bucket as string,
        endpoint,
        secret_key: key.secretKey,
      };
      return {
        data: pick(data, keys),
        ref: { keyId: key.id, label: key.label },
        oldInvalidated: false,
        oldKeyIds: before.map((k) => k.id).filter((id) => id !== key.id),
        discard: async () => {
          const gone = await linode.revokeObjectStorageKey(key.id);
          return gone ? `new key ${key.label} revoked` : `new key ${key.label} was already gone`;
        },
      };
    }
    case 'linode-database-credentials': {
      const linode = await ctx.linode();
      const db = prepared.database as DatabaseRef;
      const creds = await linode.resetDatabaseCredentials(db);
      return {
        data: pick({ username: creds.username, password: creds.password }, keys),
        ref: { database: db.label, databaseId: db.id },
        oldInvalidated: true,
        oldKeyIds: [],
      };
    }
    case 'generated':
      return {
        // One value under the secret's one key (`value`, or e.g. `password` for Redis).
        data: pick({ [keys[0]!]: generateValue(ctx.secret.length, ctx.secret.alphabet) }, keys),
        ref: { length: ctx.secret.length, alphabet: ctx.secret.alphabet },
        oldInvalidated: false,
        oldKeyIds: [],
      };
  }
}

/** Exactly the keys the placeholder SealedSecret announces (`envc.io/keys`), nothing else. */
function pick(data: Record<string, string>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = data[k];
    if (v === undefined) throw new Error(`the new credential has no "${k}"`);
    out[k] = v;
  }
  return out;
}
