/** Failed Kubernetes API calls of a client-node client, told to the shared reporter (src/net/outbound.ts). */
import { callSite, failedStatus, type OutboundReporter, transportError } from '../net/outbound.js';

/**
 * Answers the client branches on rather than failures (src/integrations/kubernetes.ts): reading or deleting
 * one named object that is not there (404), creating one that already is (409). A collection that is not
 * there (a kind whose CRD is missing) stays a failure.
 */
export function expectedAnswer(method: string, url: string, status: number): boolean {
  const m = method.toUpperCase();
  if (status === 409) return m === 'POST';
  if (status !== 404 || (m !== 'GET' && m !== 'DELETE')) return false;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return false;
  }
  // /api/v1/<rest> or /apis/<group>/<version>/<rest>; <rest> names an object when it has a name segment.
  const segs = path.split('/').filter(Boolean);
  const rest = segs[0] === 'api' ? segs.slice(2) : segs[0] === 'apis' ? segs.slice(3) : undefined;
  if (!rest) return false;
  return rest[0] === 'namespaces' ? rest.length === 2 || rest.length >= 4 : rest.length >= 2;
}

/**
 * client-node sends every request through its configuration's `httpApi.send` (an Observable-like with
 * `toPromise`/`pipe`); wrapping it sees each call's method, URL and answer without touching the credentials,
 * which client-node applies to the request itself.
 */
export function reportFailures(objects: unknown, report: OutboundReporter): void {
  interface Answer {
    httpStatusCode: number;
  }
  interface Sent {
    toPromise(): Promise<Answer>;
    constructor: new (p: Promise<Answer>) => Sent;
  }
  interface Ctx {
    getUrl(): string;
    getHttpMethod(): string;
  }
  const http = (objects as { configuration: { httpApi: { send(ctx: Ctx): Sent } } }).configuration.httpApi;
  const send = http.send.bind(http);
  http.send = (ctx) => {
    const sent = send(ctx);
    const site = () => callSite('kubernetes', String(ctx.getHttpMethod()), ctx.getUrl());
    const watched = sent.toPromise().then(
      (answer) => {
        const status = answer.httpStatusCode;
        if (failedStatus(status) && !expectedAnswer(String(ctx.getHttpMethod()), ctx.getUrl(), status))
          report({ ...site(), status });
        return answer;
      },
      (err: unknown) => {
        report({ ...site(), error: transportError(err) });
        throw err;
      },
    );
    return new sent.constructor(watched);
  };
}
