/**
 * A local S3-compatible server for the calls envc makes (PutObject, GetObject, HeadObject, ListObjectsV2),
 * following the S3 REST contract: path-style URLs, AWS Signature Version 4 verified against the configured
 * keys (InvalidAccessKeyId / SignatureDoesNotMatch / RequestTimeTooSkewed / AccessDenied), payload hash
 * checked, user metadata as x-amz-meta-* (2 KB limit), S3's XML error bodies and status codes, HEAD errors
 * without a body, ListObjectsV2 with prefix, max-keys and continuation tokens. Anything else is 501.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Object {
  body: Buffer;
  metadata: Record<string, string>;
  contentType: string;
  etag: string;
  lastModified: Date;
}

export interface FakeS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  buckets: Map<string, Map<string, S3Object>>;
  /** Every request as `METHOD path?query → status`, for assertions. */
  log: string[];
  close(): Promise<void>;
}

const xmlEscape = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();
/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const uriEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export async function startFakeS3(
  o: { buckets?: string[]; region?: string; accessKeyId?: string; secretAccessKey?: string } = {},
): Promise<FakeS3> {
  const region = o.region ?? 'us-ord-1';
  const accessKeyId = o.accessKeyId ?? 'AKIDENVCTEST';
  const secretAccessKey = o.secretAccessKey ?? randomBytes(20).toString('hex');
  const buckets = new Map<string, Map<string, S3Object>>(
    (o.buckets ?? ['envc-backups']).map((b) => [b, new Map()]),
  );
  const log: string[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let status = 500;
      try {
        status = handle(req, res, body);
      } catch (err) {
        status = sendError(req, res, 500, 'InternalError', (err as Error).message);
      }
      log.push(`${req.method} ${req.url} → ${status}`);
    });
  });

  function sendError(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
    extra: Record<string, string> = {},
  ): number {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-amz-request-id', requestId);
    if (req.method === 'HEAD') {
      res.writeHead(status).end();
      return status;
    }
    const fields = Object.entries(extra)
      .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
      .join('');
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${fields}<RequestId>${requestId}</RequestId></Error>`,
    );
    return status;
  }

  /** Verifies AWS Signature Version 4 (header form). Returns an error status when it fails. */
  function authenticate(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    rawPath: string,
    rawQuery: string,
  ): number | undefined {
    const auth = req.headers.authorization;
    if (!auth) return sendError(req, res, 403, 'AccessDenied', 'Access Denied');
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m)
      return sendError(
        req,
        res,
        400,
        'AuthorizationHeaderMalformed',
        'The authorization header is malformed.',
      );
    const [, keyId, date, reqRegion, signedHeaders, signature] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (keyId !== accessKeyId)
      return sendError(
        req,
        res,
        403,
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
      );
    if (reqRegion !== region)
      return sendError(
        req,
        res,
        400,
        'AuthorizationHeaderMalformed',
        `The authorization header is malformed; the region '${reqRegion}' is wrong; expecting '${region}'`,
      );
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const t = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!t || amzDate.slice(0, 8) !== date)
      return sendError(
        req,
        res,
        403,
        'AccessDenied',
        'AWS authentication requires a valid Date or x-amz-date header',
      );
    const when = Date.UTC(+t[1]!, +t[2]! - 1, +t[3]!, +t[4]!, +t[5]!, +t[6]!);
    if (Math.abs(Date.now() - when) > 15 * 60_000)
      return sendError(
        req,
        res,
        403,
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
      );
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (!payloadHash)
      return sendError(
        req,
        res,
        400,
        'InvalidRequest',
        'Missing required header for this request: x-amz-content-sha256',
      );
    if (payloadHash.startsWith('STREAMING-'))
      return sendError(req, res, 501, 'NotImplemented', 'chunked uploads are not implemented by this server');
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) {
      return sendError(
        req,
        res,
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
    const headerNames = signedHeaders.split(';');
    if (!headerNames.includes('host') || !headerNames.includes('x-amz-date'))
      return sendError(req, res, 403, 'AccessDenied', 'host and x-amz-date must be signed');
    const canonicalHeaders = headerNames
      .map(
        (h) =>
          `${h}:${String(req.headers[h] ?? '')
            .trim()
            .replace(/\s+/g, ' ')}\n`,
      )
      .join('');
    const canonicalQuery = rawQuery
      .split('&')
      .filter(Boolean)
      .map((p) => {
        const [k, v = ''] = p.split('=') as [string, string?];
        return [
          uriEncode(decodeURIComponent(k)),
          uriEncode(decodeURIComponent(v.replace(/\+/g, '%20'))),
        ] as const;
      })
      .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const canonicalRequest = [
      req.method,
      rawPath,
      canonicalQuery,
      canonicalHeaders,
      signedHeaders,
      payloadHash,
    ].join('\n');
    const scope = `${date}/${region}/s3/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), 's3'), 'aws4_request');
    const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
    if (expected !== signature) {
      return sendError(
        req,
        res,
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    }
    return undefined;
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): number {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    const denied = authenticate(req, res, body, rawPath, rawQuery);
    if (denied !== undefined) return denied;
    const parts = rawPath.split('/').slice(1);
    const bucketName = decodeURIComponent(parts[0] ?? '');
    const key = parts.slice(1).map(decodeURIComponent).join('/');
    const bucket = buckets.get(bucketName);
    res.setHeader('x-amz-request-id', randomBytes(8).toString('hex').toUpperCase());
    if (!bucketName)
      return sendError(req, res, 501, 'NotImplemented', 'ListBuckets is not implemented by this server');
    if (!bucket)
      return sendError(req, res, 404, 'NoSuchBucket', 'The specified bucket does not exist', {
        BucketName: bucketName,
      });
    const query = new URLSearchParams(rawQuery);

    if (key === '') {
      if (req.method !== 'GET' || query.get('list-type') !== '2')
        return sendError(req, res, 501, 'NotImplemented', 'only ListObjectsV2 is implemented on buckets');
      const prefix = query.get('prefix') ?? '';
      const maxKeys = Math.min(1000, Number(query.get('max-keys') ?? 1000));
      const token = query.get('continuation-token');
      const start = token ? Buffer.from(token, 'base64url').toString('utf8') : '';
      const keys = [...bucket.keys()].filter((k) => k.startsWith(prefix) && k > start).sort();
      const page = keys.slice(0, maxKeys);
      const truncated = keys.length > page.length;
      const contents = page
        .map((k) => {
          const obj = bucket.get(k)!;
          return `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${obj.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(obj.etag)}</ETag><Size>${obj.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
        })
        .join('');
      const next = truncated
        ? `<NextContinuationToken>${Buffer.from(page[page.length - 1]!).toString('base64url')}</NextContinuationToken>`
        : '';
      const cont = token ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : '';
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucketName)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${cont}${contents}${next}</ListBucketResult>`,
      );
      return 200;
    }
    if (Buffer.byteLength(key) > 1024)
      return sendError(req, res, 400, 'KeyTooLongError', 'Your key is too long');

    if (req.method === 'PUT') {
      // SDKs add `x-id=PutObject` (ignored by S3); any other sub-resource (?acl, ?tagging, ?uploads) is not implemented.
      if ([...query.keys()].some((k) => k !== 'x-id'))
        return sendError(req, res, 501, 'NotImplemented', 'only plain PutObject is implemented');
      if (req.headers['content-length'] === undefined)
        return sendError(
          req,
          res,
          411,
          'MissingContentLength',
          'You must provide the Content-Length HTTP header.',
        );
      const metadata: Record<string, string> = {};
      for (const [h, v] of Object.entries(req.headers))
        if (h.startsWith('x-amz-meta-')) metadata[h.slice('x-amz-meta-'.length)] = String(v);
      const metaSize = Object.entries(metadata).reduce(
        (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v),
        0,
      );
      if (metaSize > 2048)
        return sendError(
          req,
          res,
          400,
          'MetadataTooLarge',
          'Your metadata headers exceed the maximum allowed metadata size.',
        );
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      bucket.set(key, {
        body,
        metadata,
        contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
        etag,
        lastModified: new Date(Math.floor(Date.now() / 1000) * 1000),
      });
      res.writeHead(200, { etag }).end();
      return 200;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const obj = bucket.get(key);
      if (!obj)
        return sendError(req, res, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
      const headers: Record<string, string | number> = {
        etag: obj.etag,
        'last-modified': obj.lastModified.toUTCString(),
        'content-length': obj.body.length,
        'content-type': obj.contentType,
        'accept-ranges': 'bytes',
      };
      for (const [k, v] of Object.entries(obj.metadata)) headers[`x-amz-meta-${k}`] = v;
      res.writeHead(200, headers);
      res.end(req.method === 'GET' ? obj.body : undefined);
      return 200;
    }
    return sendError(
      req,
      res,
      405,
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    accessKeyId,
    secretAccessKey,
    buckets,
    log,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
