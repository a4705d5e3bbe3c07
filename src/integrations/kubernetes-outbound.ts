/** Failed Kubernetes API calls of a client-node client, told to the shared reporter (src/net/outbound.ts). */
import { callSite, failedStatus, type OutboundReporter, transportError } from '../net/outbound.js';

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
        if (failedStatus(answer.httpStatusCode)) report({ ...site(), status: answer.httpStatusCode });
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
