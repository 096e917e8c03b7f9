/**
 * Network work a composition's scripts have in flight (fetch, XMLHttpRequest). While some is,
 * a timeline the page has not registered yet may still come (HeyGen's renderer waits up to 45 s
 * for it); once none is and no timer is pending, nothing can register it any more, so the
 * runtime stops waiting at once instead of after 45 s.
 */
let inFlight = 0;

/** Requests started by the page that have not settled. */
export function pendingRequests(): number {
  return inFlight;
}

/** Wraps the page's fetch and XMLHttpRequest. Call before any page script runs. */
export function trackPendingRequests(win: Window & typeof globalThis): void {
  const fetch = win.fetch;
  win.fetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
    inFlight++;
    const done = () => {
      inFlight--;
    };
    const p = fetch.apply(win, args);
    p.then(done, done);
    return p;
  } as typeof fetch;
  const send = win.XMLHttpRequest.prototype.send;
  win.XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, ...args: Parameters<XMLHttpRequest['send']>) {
    inFlight++;
    this.addEventListener('loadend', () => inFlight--, { once: true });
    return send.apply(this, args);
  };
}
