/**
 * fetch as package managers use it for reads: a GET that meets a connection reset on a reused
 * keep-alive socket is sent again once. The server closes a connection idle for 5 s; when this
 * (busy) test process reuses one at that moment, the request dies on the wire without reaching
 * the server, and npm, pip and NuGet retry such GETs. Retries are counted so a server that resets
 * connections for real still shows.
 */
let retried = 0;

export function resetsRetried(): number {
  return retried;
}

export async function clientFetch(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reset = cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET' || /other side closed/.test(cause?.message ?? '');
    if (!reset || (init.method !== undefined && init.method !== 'GET')) throw error;
    retried += 1;
    return fetch(url, init);
  }
}
