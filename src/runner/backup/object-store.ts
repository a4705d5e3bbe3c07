/**
 * The four Object Storage calls state backups need, behind an interface; the S3 implementation talks to
 * Linode Object Storage (or any S3-compatible endpoint) with @aws-sdk/client-s3, loaded only when used.
 */
export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

export interface ObjectStore {
  readonly bucket: string;
  put(key: string, body: string, metadata: Record<string, string>): Promise<void>;
  get(key: string): Promise<{ body: string; metadata: Record<string, string> } | undefined>;
  head(key: string): Promise<Record<string, string> | undefined>;
  list(prefix: string): Promise<ObjectInfo[]>;
}

export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (`endpoint/bucket/key`): local servers and some gateways need them. */
  forcePathStyle?: boolean;
}

/** Credentials from the environment: Linode's names first, then the usual AWS ones. Never from the spec. */
export function s3Credentials(
  env: NodeJS.ProcessEnv,
): { accessKeyId: string; secretAccessKey: string } | undefined {
  const accessKeyId = env.LINODE_OBJ_ACCESS_KEY ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.LINODE_OBJ_SECRET_KEY ?? env.AWS_SECRET_ACCESS_KEY;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

export async function s3ObjectStore(c: S3Config): Promise<ObjectStore> {
  // The SDK warns on older Node lines about releases after January 2027; envc pins its SDK version, and the warning
  // would land in every `envc state` output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const s3 = await import('@aws-sdk/client-s3');
  const client = new s3.S3Client({
    endpoint: c.endpoint,
    region: c.region,
    forcePathStyle: c.forcePathStyle ?? false,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
    // Linode Object Storage (Ceph RGW) does not take the SDK's newer default checksum trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const notFound = (err: unknown) => {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
  };
  return {
    bucket: c.bucket,
    async put(key, body, metadata) {
      await client.send(
        new s3.PutObjectCommand({
          Bucket: c.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
          Metadata: metadata,
        }),
      );
    },
    async get(key) {
      try {
        const r = await client.send(new s3.GetObjectCommand({ Bucket: c.bucket, Key: key }));
        return { body: (await r.Body?.transformToString('utf8')) ?? '', metadata: r.Metadata ?? {} };
      } catch (err) {
        if (notFound(err)) return undefined;
        throw err;
      }
    },
    async head(key) {
      try {
        return (await client.send(new s3.HeadObjectCommand({ Bucket: c.bucket, Key: key }))).Metadata ?? {};
      } catch (err) {
        if (notFound(err)) return undefined;
        throw err;
      }
    },
    async list(prefix) {
      const out: ObjectInfo[] = [];
      let token: string | undefined;
      do {
        const r = await client.send(
          new s3.ListObjectsV2Command({ Bucket: c.bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of r.Contents ?? []) {
          if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
        }
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
  };
}
