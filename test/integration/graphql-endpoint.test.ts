import { request } from 'node:http';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** One request with exactly these headers and body (fetch would fix Content-Length and the encoding itself). */
function rawPost(url: string, headers: Record<string, string>, body: string | undefined): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const errorOf = (answer: RawAnswer) => (JSON.parse(answer.text) as { errors: { message: string; extensions: { code: string } }[] }).errors[0];

describe('the GraphQL endpoint reads only what it accepts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(clusterEnv());
  });
  afterAll(() => server.close());

  const query = JSON.stringify({ query: '{ __typename }' });

  it('refuses a charset other than UTF-8 with 415, in GraphQL error shape', async () => {
    const answer = await rawPost(server.url, { 'content-type': 'application/json; charset=latin1' }, query);
    expect(answer.status).toBe(415);
    expect(errorOf(answer)).toEqual({ message: 'Unsupported charset "latin1": send UTF-8', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('takes an explicit UTF-8 charset', async () => {
    const answer = await rawPost(server.url, { 'content-type': 'application/json; charset=UTF-8' }, query);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a compressed body with 415 instead of inflating it', async () => {
    const answer = await rawPost(server.url, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, query);
    expect(answer.status).toBe(415);
    expect(errorOf(answer).extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a declared length over 100 kB with 413 before any of the body arrives, and closes that connection', async () => {
    const answer = await rawPost(server.url, { 'content-type': 'application/json', 'content-length': String(200 * 1024) }, undefined);
    expect(answer.status).toBe(413);
    expect(errorOf(answer)).toEqual({ message: 'Request body is too large', extensions: { code: 'BAD_USER_INPUT' } });
    // Kept open, the next request on it would be read as the rest of this body.
    expect(answer.headers.connection).toBe('close');
  });

  it('answers a JSON body that is not an object or array, or is empty, with 400', async () => {
    for (const body of ['"{ __typename }"', '']) {
      const answer = await rawPost(server.url, { 'content-type': 'application/json' }, body);
      expect({ body, status: answer.status, code: errorOf(answer).extensions.code }).toEqual({ body, status: 400, code: 'BAD_USER_INPUT' });
    }
  });

  it('leaves a POST that is not JSON to CSRF prevention: 400 and nothing executed', async () => {
    const answer = await rawPost(server.url, { 'content-type': 'text/plain' }, query);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).not.toHaveProperty('data');
  });

  it('serves the GraphQL path with a query string, and answers a path beneath it with the JSON 404', async () => {
    const withSearch = await rawPost(`${server.url}?client=web`, { 'content-type': 'application/json' }, query);
    expect(withSearch.status).toBe(200);
    const beneath = await rawPost(`${server.url}/more`, { 'content-type': 'application/json' }, query);
    expect({ status: beneath.status, body: JSON.parse(beneath.text) as unknown }).toEqual({ status: 404, body: { status: 'not found' } });
  });

  it('gives every answer a request id, echoing a sane one the caller sent', async () => {
    const echoed = await rawPost(server.url, { 'content-type': 'application/json', 'x-request-id': 'trace-42' }, query);
    expect(echoed.headers['x-request-id']).toBe('trace-42');
    const refused = await rawPost(server.url, { 'content-type': 'application/json', 'x-request-id': 'no spaces allowed' }, '{');
    expect(refused.status).toBe(400);
    expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
