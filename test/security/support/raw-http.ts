import { connect } from 'node:net';

export interface RawHttpResponse {
  readonly status: number;
  /** Everything after the status line, headers included, as latin1. */
  readonly rest: string;
}

/**
 * POSTs `body` to `url` over a bare TCP socket, with the header lines exactly as
 * given (written as latin1, one byte per character): fetch refuses NUL, CR, LF and
 * other control characters in a header value, and an attacker's client does not.
 */
export function rawPost(url: string, headerLines: readonly string[], body: string): Promise<RawHttpResponse> {
  const { hostname, port, pathname } = new URL(url);
  const payload = Buffer.from(body, 'utf8');
  const head = [
    `POST ${pathname} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    'Content-Type: application/json',
    `Content-Length: ${payload.length}`,
    'Connection: close',
    ...headerLines,
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => {
      // Not end(): node's server drops a half-closed connection before it answers. `Connection: close` ends it.
      socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), payload]));
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!match) reject(new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 80))}`));
      else resolve({ status: Number(match[1]), rest: text.slice(match[0].length) });
    });
  });
}
