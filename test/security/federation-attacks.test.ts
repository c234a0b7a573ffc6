import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { gatewaySignatureHeaders } from '@graphql-auth-service/subgraph';
import { login, LOGIN, type LoginData } from '../support/graphql-caller';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';
import {
  bearer,
  codesOf,
  entitiesBody,
  entitiesQuery,
  expectEveryEntryRefused,
  expectGatewayProofRequired,
  expectNoInternals,
  gatewayOutcome,
  type GraphQLBody,
  type GraphQLHttpResponse,
  logLinesAtOrAbove,
  pathsOf,
  postGraphQL,
  refusedForWantOfProof,
  SERVICE_SDL,
  storeOperations,
  userRef,
} from './support/federation-requests';

const PASSWORD = 'correct horse battery';
/** Alice's authority: a value only she and an administrator may read. */
const SECRET_AUTHORITY = `reports:${randomBytes(6).toString('hex')}`;
const PRIVATE_FIELDS = ['authorities', 'disabled', 'createdAt'] as const;

interface People {
  readonly alice: LoginData;
  readonly bob: LoginData;
  readonly admin: LoginData;
}

/** alice (a private authority), bob (none) and an administrator, each logged in. */
async function logInPeople(server: TestServer): Promise<People> {
  await server.deps.accounts.create({ username: 'alice', password: PASSWORD, authorities: [SECRET_AUTHORITY] });
  await server.deps.accounts.create({ username: 'bob', password: PASSWORD, authorities: [] });
  await server.deps.accounts.create({ username: 'admin', password: PASSWORD, authorities: ['ROLE_ADMIN'] });
  return {
    alice: await login(server.call, 'alice', PASSWORD),
    bob: await login(server.call, 'bob', PASSWORD),
    admin: await login(server.call, 'admin', PASSWORD),
  };
}

/** The production settings the configuration insists on, besides JWT_SECRET (clusterEnv gives it). */
const productionEnv = (overrides: Record<string, string> = {}) =>
  clusterEnv({ NODE_ENV: 'production', SERVER_SECRET: randomBytes(32).toString('base64url'), ...overrides });

/** The wire format, built by hand: t=<unix ms>,v1=base64url(HMAC-SHA256(secret, `${t}.${canonical}`)). */
function signByHand(secret: string, body: GraphQLBody, t: number): Record<string, string> {
  const canonical = JSON.stringify([body.query ?? null, body.operationName ?? null, body.variables ?? null]);
  const v1 = createHmac('sha256', secret).update(`${t}.${canonical}`).digest('base64url');
  return { 'x-gateway-signature': `t=${t},v1=${v1}` };
}

function expectServesUser(response: GraphQLHttpResponse, user: LoginData): void {
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data?._entities).toEqual([{ id: user.user.id, username: user.user.username }]);
}

function expectServesSdl(response: GraphQLHttpResponse): void {
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data?._service?.sdl).toContain('type User');
}

describe('_entities on User obeys @auth, as user(id:) does (hole 1)', () => {
  let server: TestServer;
  let people: People;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv());
    people = await logInPeople(server);
  });
  afterAll(() => server.close());

  it('gives an anonymous caller null and UNAUTHENTICATED for a real user, where user(id:) already says UNAUTHENTICATED', async () => {
    const direct = await server.call(`query($id: ID!) { user(id: $id) { username } }`, { variables: { id: people.alice.user.id } });
    expect(direct.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const response = await postGraphQL(server.url, entitiesBody('... on User { username authorities disabled }', [userRef(people.alice.user.id)]));
    expectEveryEntryRefused(response, '_entities', 1, 'UNAUTHENTICATED');
    expect(response.text).not.toContain('alice');
    expect(response.text).not.toContain(SECRET_AUTHORITY);
  });

  it('answers an anonymous caller the same for an existing and an unknown id, even selecting only __typename (no existence oracle)', async () => {
    const ids = [people.alice.user.id, people.admin.user.id, randomUUID(), 'not-a-user-id'];
    const all = await postGraphQL(server.url, entitiesBody('__typename', ids.map(userRef)));
    expectEveryEntryRefused(all, '_entities', ids.length, 'UNAUTHENTICATED');

    const existing = await postGraphQL(server.url, entitiesBody('__typename', [userRef(people.alice.user.id)]));
    const unknown = await postGraphQL(server.url, entitiesBody('__typename', [userRef(randomUUID())]));
    expect(existing.status).toBe(unknown.status);
    expect(existing.body).toEqual(unknown.body);
    expectEveryEntryRefused(existing, '_entities', 1, 'UNAUTHENTICATED');
  });

  it.each(PRIVATE_FIELDS)("shows another signed-in user only id and username: %s is FORBIDDEN and leaks no value", async (field) => {
    const publicPart = await postGraphQL(
      server.url,
      entitiesBody('... on User { id username }', [userRef(people.alice.user.id)]),
      bearer(people.bob.accessToken),
    );
    expectServesUser(publicPart, people.alice);

    const response = await postGraphQL(
      server.url,
      entitiesBody(`... on User { id username ${field} }`, [userRef(people.alice.user.id)]),
      bearer(people.bob.accessToken),
    );
    expect(codesOf(response)).toEqual(['FORBIDDEN']);
    expect(response.body.errors?.[0]?.path).toEqual(['_entities', 0, field]);
    expect(response.body.data?._entities?.[0]?.[field] ?? null).toBeNull();
    expect(response.text).not.toContain(SECRET_AUTHORITY);
    expectNoInternals(response.text);
  });

  it('shows private fields only to the user themself and to an administrator', async () => {
    const selection = '... on User { id username authorities disabled createdAt }';
    const own = await postGraphQL(server.url, entitiesBody(selection, [userRef(people.alice.user.id)]), bearer(people.alice.accessToken));
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data?._entities).toEqual([
      { id: people.alice.user.id, username: 'alice', authorities: [SECRET_AUTHORITY], disabled: false, createdAt: expect.any(String) },
    ]);

    const byAdmin = await postGraphQL(
      server.url,
      entitiesBody('... on User { username authorities disabled }', [userRef(people.alice.user.id), userRef(people.bob.user.id)]),
      bearer(people.admin.accessToken),
    );
    expect(byAdmin.body.errors).toBeUndefined();
    expect(byAdmin.body.data?._entities).toEqual([
      { username: 'alice', authorities: [SECRET_AUTHORITY], disabled: false },
      { username: 'bob', authorities: [], disabled: false },
    ]);

    const byOther = await postGraphQL(server.url, entitiesBody(selection, [userRef(people.alice.user.id)]), bearer(people.bob.accessToken));
    expect(byOther.body.data?._entities).toEqual([null]);
    expect(new Set(codesOf(byOther))).toEqual(new Set(['FORBIDDEN']));
    expect(byOther.text).not.toContain(SECRET_AUTHORITY);
  });

  it('judges each entry of a mixed request (self, another user, an unknown id) by its own rule', async () => {
    const representations = [userRef(people.bob.user.id), userRef(people.alice.user.id), userRef(randomUUID())];
    const withPrivate = await postGraphQL(
      server.url,
      entitiesBody('... on User { id username authorities }', representations),
      bearer(people.bob.accessToken),
    );
    expect(withPrivate.body.data?._entities).toEqual([{ id: people.bob.user.id, username: 'bob', authorities: [] }, null, null]);
    expect(codesOf(withPrivate)).toEqual(['FORBIDDEN']);
    expect(pathsOf(withPrivate)).toEqual(['_entities.1.authorities']);
    expect(withPrivate.text).not.toContain(SECRET_AUTHORITY);

    const publicOnly = await postGraphQL(server.url, entitiesBody('... on User { id username }', representations), bearer(people.bob.accessToken));
    expect(publicOnly.body.errors).toBeUndefined();
    expect(publicOnly.body.data?._entities).toEqual([
      { id: people.bob.user.id, username: 'bob' },
      { id: people.alice.user.id, username: 'alice' },
      null,
    ]);
  });

  it('applies the same rules through aliases, named fragments and nested inline fragments', async () => {
    const aliased = {
      query: `query Two($a: [_Any!]!, $b: [_Any!]!) {
        a: _entities(representations: $a) { ... on User { username authorities } }
        b: _entities(representations: $b) { __typename }
      }`,
      variables: { a: [userRef(people.alice.user.id)], b: [userRef(people.admin.user.id), userRef(randomUUID())] },
    };
    const anonymous = await postGraphQL(server.url, aliased);
    expect(anonymous.body.data).toEqual({ a: [null], b: [null, null] });
    expect(codesOf(anonymous)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(pathsOf(anonymous)).toEqual(['a.0', 'b.0', 'b.1']);
    expect(anonymous.text).not.toContain(SECRET_AUTHORITY);

    const named = await postGraphQL(
      server.url,
      {
        query: `query Named($r: [_Any!]!) { _entities(representations: $r) { ...Private } }
          fragment Private on User { username authorities }`,
        variables: { r: [userRef(people.alice.user.id)] },
      },
      bearer(people.bob.accessToken),
    );
    expect(codesOf(named)).toEqual(['FORBIDDEN']);
    expect(named.text).not.toContain(SECRET_AUTHORITY);

    const nested = await postGraphQL(
      server.url,
      entitiesBody('... on User { ... on User { ... { stolen: authorities } } }', [userRef(people.alice.user.id)]),
      bearer(people.bob.accessToken),
    );
    expect(codesOf(nested)).toEqual(['FORBIDDEN']);
    expect(nested.text).not.toContain(SECRET_AUTHORITY);

    const anonymousNamed = await postGraphQL(server.url, {
      query: `query Named($r: [_Any!]!) { _entities(representations: $r) { ...Id } } fragment Id on User { id }`,
      variables: { r: [userRef(people.alice.user.id)] },
    });
    expectEveryEntryRefused(anonymousNamed, '_entities', 1, 'UNAUTHENTICATED');
  });

  it("reads login's payload as the user logging in, while the same anonymous caller gets nothing of them from _entities", async () => {
    const response = await postGraphQL(server.url, {
      query: `mutation { login(input: { username: "alice", password: "${PASSWORD}" }) { user { id username authorities disabled } } }`,
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.login?.user).toEqual({ id: people.alice.user.id, username: 'alice', authorities: [SECRET_AUTHORITY], disabled: false });
    const entities = await postGraphQL(server.url, entitiesBody('... on User { id username authorities disabled }', [userRef(people.alice.user.id)]));
    expectEveryEntryRefused(entities, '_entities', 1, 'UNAUTHENTICATED');
    // The SPA's own Login operation keeps working too.
    const spa = await postGraphQL(server.url, { query: LOGIN, variables: { input: { username: 'bob', password: PASSWORD } } });
    expect(spa.body.errors).toBeUndefined();
    expect(spa.body.data?.login?.user).toMatchObject({ username: 'bob', authorities: [] });
  });
});

describe('GATEWAY_SECRET: _entities and _service answer only to the gateway (holes 1 and 2)', () => {
  const secret = randomBytes(32).toString('base64url');
  let server: TestServer;
  let people: People;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ GATEWAY_SECRET: secret }));
    people = await logInPeople(server);
  });
  afterAll(() => server.close());

  const aliceAsEntity = (): GraphQLBody => entitiesBody('... on User { id username }', [userRef(people.alice.user.id)]);

  it('refuses _entities and _service without the proof, even to a signed-in user (FORBIDDEN, GATEWAY_PROOF_REQUIRED, no data), and nothing else', async () => {
    expectGatewayProofRequired(await postGraphQL(server.url, aliceAsEntity(), bearer(people.alice.accessToken)));
    expectGatewayProofRequired(await postGraphQL(server.url, aliceAsEntity()));
    expectGatewayProofRequired(await postGraphQL(server.url, SERVICE_SDL, bearer(people.admin.accessToken)));
    expectGatewayProofRequired(await postGraphQL(server.url, SERVICE_SDL));

    const ordinary = await postGraphQL(server.url, { query: '{ me { username } }' }, bearer(people.bob.accessToken));
    expect(ordinary.body).toEqual({ data: { me: { username: 'bob' } } });
  });

  it('refuses _service and _entities reached through an alias, a fragment or next to an ordinary field', async () => {
    expectGatewayProofRequired(await postGraphQL(server.url, { query: '{ schema: _service { sdl } }' }));
    expectGatewayProofRequired(await postGraphQL(server.url, { query: '{ ...Q } fragment Q on Query { _service { sdl } }' }));
    expectGatewayProofRequired(await postGraphQL(server.url, { query: '{ me { id } ... on Query { _service { sdl } } }' }, bearer(people.bob.accessToken)));
    expectGatewayProofRequired(
      await postGraphQL(
        server.url,
        { query: `query($r: [_Any!]!) { e: _entities(representations: $r) { ... on User { username } } }`, variables: { r: [userRef(people.alice.user.id)] } },
        bearer(people.bob.accessToken),
      ),
    );
  });

  it('answers a request signed by hand in the wire format: t=<unix ms>,v1=base64url(HMAC-SHA256(secret, "t.canonical"))', async () => {
    const body = { ...aliceAsEntity(), operationName: 'Entities' };
    expectGatewayProofRequired(await postGraphQL(server.url, body, bearer(people.bob.accessToken)));
    const entities = await postGraphQL(server.url, body, { ...signByHand(secret, body, Date.now()), ...bearer(people.bob.accessToken) });
    expectServesUser(entities, people.alice);

    expectGatewayProofRequired(await postGraphQL(server.url, SERVICE_SDL));
    const sdl = await postGraphQL(server.url, SERVICE_SDL, signByHand(secret, SERVICE_SDL, Date.now()));
    expectServesSdl(sdl);
  });

  it("answers with the kit's gatewaySignatureHeaders, within 60 s of the server's clock either way", async () => {
    const body = aliceAsEntity();
    for (const skew of [0, -30_000, 30_000]) {
      const response = await postGraphQL(server.url, body, {
        ...gatewaySignatureHeaders(secret, body, Date.now() + skew),
        ...bearer(people.bob.accessToken),
      });
      expectServesUser(response, people.alice);
    }
    expectServesSdl(await postGraphQL(server.url, SERVICE_SDL, gatewaySignatureHeaders(secret, SERVICE_SDL)));
  });

  it('is no identity: an anonymous request with a good proof still gets UNAUTHENTICATED for every entry', async () => {
    const body = entitiesBody('... on User { username authorities }', [userRef(people.alice.user.id), userRef(randomUUID())]);
    const response = await postGraphQL(server.url, body, gatewaySignatureHeaders(secret, body));
    expectEveryEntryRefused(response, '_entities', 2, 'UNAUTHENTICATED');
    expect(response.text).not.toContain(SECRET_AUTHORITY);
  });

  it('refuses a signature made with another secret', async () => {
    const body = aliceAsEntity();
    const other = randomBytes(32).toString('base64url');
    expectGatewayProofRequired(await postGraphQL(server.url, body, { ...signByHand(other, body, Date.now()), ...bearer(people.bob.accessToken) }));
    expectGatewayProofRequired(await postGraphQL(server.url, SERVICE_SDL, gatewaySignatureHeaders(other, SERVICE_SDL)));
  });

  it('refuses a signature over another body: the same query with other variables, or another operation name', async () => {
    const signed = entitiesBody('... on User { id username }', [userRef(people.bob.user.id)]);
    const sent = aliceAsEntity();
    expectGatewayProofRequired(await postGraphQL(server.url, sent, { ...gatewaySignatureHeaders(secret, signed), ...bearer(people.bob.accessToken) }));

    const renamed = { ...sent, operationName: 'Entities' };
    expectGatewayProofRequired(await postGraphQL(server.url, renamed, { ...gatewaySignatureHeaders(secret, sent), ...bearer(people.bob.accessToken) }));

    const otherQuery = { query: '{ _service { sdl } __typename }' };
    expectGatewayProofRequired(await postGraphQL(server.url, otherQuery, gatewaySignatureHeaders(secret, SERVICE_SDL)));
  });

  it('refuses a signature more than 60 s old or more than 60 s ahead (a replayed or pre-made proof)', async () => {
    const skews = [-5 * 60_000, -90_000, 90_000, 60 * 60_000];
    const outcomes: unknown[] = [];
    for (const skew of skews) {
      const body = aliceAsEntity();
      const entities = await postGraphQL(server.url, body, {
        ...gatewaySignatureHeaders(secret, body, Date.now() + skew),
        ...bearer(people.bob.accessToken),
      });
      outcomes.push(gatewayOutcome(`_entities ${skew} ms`, entities));
      const sdl = await postGraphQL(server.url, SERVICE_SDL, signByHand(secret, SERVICE_SDL, Date.now() + skew));
      outcomes.push(gatewayOutcome(`_service ${skew} ms`, sdl));
    }
    expect(outcomes).toEqual(skews.flatMap((skew) => [refusedForWantOfProof(`_entities ${skew} ms`), refusedForWantOfProof(`_service ${skew} ms`)]));
  });

  it('refuses malformed signature headers', async () => {
    const t = Date.now();
    const good = signByHand(secret, SERVICE_SDL, t)['x-gateway-signature'];
    const v1 = good.slice(good.indexOf('v1=') + 3);
    const hex = createHmac('sha256', secret).update(`${t}.${JSON.stringify([SERVICE_SDL.query, null, null])}`).digest('hex');
    const malformed = [
      '',
      'garbage',
      `v1=${v1}`,
      `t=${t}`,
      `t=${t},v1=`,
      `t=abc,v1=${v1}`,
      `t=${t},v1=${v1.slice(0, -2)}`,
      `t=${t},v1=${hex}`,
      `t=${t / 1000},v1=${v1}`,
      `t=${t},v0=${v1}`,
    ];
    const outcomes: unknown[] = [];
    for (const header of malformed) {
      outcomes.push(gatewayOutcome(header, await postGraphQL(server.url, SERVICE_SDL, { 'x-gateway-signature': header })));
    }
    expect(outcomes).toEqual(malformed.map(refusedForWantOfProof));
  });

  it('accepts the static x-gateway-secret header, and refuses a wrong, truncated or padded one', async () => {
    const body = aliceAsEntity();
    expectServesUser(await postGraphQL(server.url, body, { 'x-gateway-secret': secret, ...bearer(people.bob.accessToken) }), people.alice);
    expectServesSdl(await postGraphQL(server.url, SERVICE_SDL, { 'x-gateway-secret': secret }));

    const wrongSecrets = [randomBytes(32).toString('base64url'), secret.slice(0, -1), `${secret}x`, secret.toUpperCase(), ''];
    const outcomes: unknown[] = [];
    for (const wrong of wrongSecrets) {
      outcomes.push(gatewayOutcome(wrong, await postGraphQL(server.url, SERVICE_SDL, { 'x-gateway-secret': wrong })));
    }
    expect(outcomes).toEqual(wrongSecrets.map(refusedForWantOfProof));
  });
});

describe('_service and _entities without GATEWAY_SECRET (hole 2)', () => {
  it('refuses _service in production, where introspection is off (FORBIDDEN, GATEWAY_PROOF_REQUIRED, no SDL), and only there', async () => {
    const production = await startTestServer(productionEnv());
    try {
      expectGatewayProofRequired(await postGraphQL(production.url, SERVICE_SDL));
      expectGatewayProofRequired(await postGraphQL(production.url, { query: '{ s: _service { sdl } }' }));
      // Guessing a proof without a configured secret gets nowhere either.
      expectGatewayProofRequired(await postGraphQL(production.url, SERVICE_SDL, { 'x-gateway-secret': '' }));
    } finally {
      await production.close();
    }

    const opened = [
      productionEnv({ GRAPHQL_INTROSPECTION: 'true' }),
      clusterEnv({ NODE_ENV: 'test' }),
      clusterEnv({ NODE_ENV: 'development', GRAPHIQL: 'false' }),
    ];
    for (const env of opened) {
      const server = await startTestServer(env);
      try {
        expectServesSdl(await postGraphQL(server.url, SERVICE_SDL));
      } finally {
        await server.close();
      }
    }
  });

  it('leaves _entities to @auth alone in production without GATEWAY_SECRET: signed-in users resolve users, anonymous callers do not', async () => {
    const production = await startTestServer(productionEnv());
    try {
      const people = await logInPeople(production);
      const body = entitiesBody('... on User { id username }', [userRef(people.alice.user.id)]);
      expectServesUser(await postGraphQL(production.url, body, bearer(people.bob.accessToken)), people.alice);
      expectEveryEntryRefused(await postGraphQL(production.url, body), '_entities', 1, 'UNAUTHENTICATED');
    } finally {
      await production.close();
    }
  });

  it('answers _service in production to a signed request when GATEWAY_SECRET is set', async () => {
    const secret = randomBytes(32).toString('base64url');
    const production = await startTestServer(productionEnv({ GATEWAY_SECRET: secret }));
    try {
      expectGatewayProofRequired(await postGraphQL(production.url, SERVICE_SDL));
      expectServesSdl(await postGraphQL(production.url, SERVICE_SDL, gatewaySignatureHeaders(secret, SERVICE_SDL)));
    } finally {
      await production.close();
    }
  });
});

describe('representations are bounded and checked before any lookup (hole 3)', () => {
  const logLines: string[] = [];
  let server: TestServer;
  let people: People;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ LOG_LEVEL: 'info' }), { logLines });
    people = await logInPeople(server);
  });
  afterAll(() => server.close());

  const userReads = () => storeOperations(server.deps.metrics.registry, 'users');

  function expectRepresentationLimit(response: GraphQLHttpResponse, actual: number, max = 100): void {
    expect(response.status).toBe(400);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'maxRepresentations', max, actual });
    expect(response.text).not.toContain('alice');
    expectNoInternals(response.text);
  }

  it('refuses 1,400 representations with HTTP 400 maxRepresentations before reading a single user; 100 are answered', async () => {
    const selection = '... on User { id }';
    const before = await userReads();
    const refused = await postGraphQL(
      server.url,
      entitiesBody(selection, Array.from({ length: 1400 }, () => userRef(people.alice.user.id))),
      bearer(people.admin.accessToken),
    );
    expectRepresentationLimit(refused, 1400);
    expect(await userReads()).toBe(before);

    const answered = await postGraphQL(
      server.url,
      entitiesBody(selection, Array.from({ length: 100 }, () => userRef(people.alice.user.id))),
      bearer(people.admin.accessToken),
    );
    expect(answered.status).toBe(200);
    expect(answered.body.errors).toBeUndefined();
    expect(answered.body.data?._entities).toEqual(Array.from({ length: 100 }, () => ({ id: people.alice.user.id })));
    // The counter does see lookups, so "unchanged" above means none happened.
    expect(await userReads()).toBeGreaterThan(before);
  });

  it('refuses an anonymous flood the same way, before anything else', async () => {
    const before = await userReads();
    const response = await postGraphQL(server.url, entitiesBody('__typename', Array.from({ length: 1400 }, () => userRef(randomUUID()))));
    expectRepresentationLimit(response, 1400);
    expect(await userReads()).toBe(before);
  });

  it('counts representations written inline in the document', async () => {
    const inline = Array.from({ length: 101 }, () => `{ __typename: "User", id: "${people.alice.user.id}" }`).join(' ');
    const before = await userReads();
    const response = await postGraphQL(server.url, { query: `{ _entities(representations: [${inline}]) { ... on User { id } } }` }, bearer(people.admin.accessToken));
    expectRepresentationLimit(response, 101);
    expect(await userReads()).toBe(before);
  });

  it('counts representations across aliases of _entities in one request', async () => {
    const sixty = Array.from({ length: 60 }, () => userRef(people.alice.user.id));
    const before = await userReads();
    const response = await postGraphQL(
      server.url,
      {
        query: `query($a: [_Any!]!, $b: [_Any!]!) {
          a: _entities(representations: $a) { ... on User { id } }
          b: _entities(representations: $b) { ... on User { id } }
        }`,
        variables: { a: sixty, b: sixty },
      },
      bearer(people.admin.accessToken),
    );
    expectRepresentationLimit(response, 120);
    expect(await userReads()).toBe(before);
  });

  it('counts a variable once for every _entities that uses it', async () => {
    const sixty = Array.from({ length: 60 }, () => userRef(people.alice.user.id));
    const before = await userReads();
    const response = await postGraphQL(
      server.url,
      {
        query: `query($r: [_Any!]!) {
          a: _entities(representations: $r) { ... on User { id } }
          b: _entities(representations: $r) { ... on User { id } }
        }`,
        variables: { r: sixty },
      },
      bearer(people.admin.accessToken),
    );
    expectRepresentationLimit(response, 120);
    expect(await userReads()).toBe(before);
  });

  it('honours MAX_REPRESENTATIONS', async () => {
    const small = await startTestServer(clusterEnv({ MAX_REPRESENTATIONS: '5' }));
    try {
      const refused = await postGraphQL(small.url, entitiesBody('__typename', Array.from({ length: 6 }, () => userRef(randomUUID()))));
      expectRepresentationLimit(refused, 6, 5);
      const anonymousFive = await postGraphQL(small.url, entitiesBody('__typename', Array.from({ length: 5 }, () => userRef(randomUUID()))));
      expect(anonymousFive.body.errors?.[0]?.extensions?.limit).toBeUndefined();
    } finally {
      await small.close();
    }
  });

  const malformed: [string, unknown][] = [
    ['an id that is not a string', { __typename: 'User', id: 5 }],
    ['no id at all', { __typename: 'User' }],
    ['an id that is an object', { __typename: 'User', id: { $gt: '' } }],
    ['an id that is an array holding a real id', { __typename: 'User', id: ['ALICE'] }],
    ['an unknown __typename', { __typename: 'Nope', id: 'x' }],
    ['a string instead of an object', 'User'],
  ];

  it.each(malformed)('answers a representation with %s with BAD_USER_INPUT, never a 500, and logs no error', async (_name, template) => {
    // Placeholders, since the table is built before alice exists.
    const representation = JSON.parse(JSON.stringify(template).replace('"ALICE"', JSON.stringify(people.alice.user.id))) as unknown;
    const from = logLines.length;
    const response = await postGraphQL(
      server.url,
      entitiesBody('... on User { id username }', [representation, userRef(people.bob.user.id)]),
      bearer(people.bob.accessToken),
    );
    expectBadInputWithoutFault(response);
    expect(response.text).not.toContain('"alice"');
    expect(logLinesAtOrAbove(logLines, from, 50)).toEqual([]);
  });

  it('answers a 45,000-deep nested array as a representation with BAD_USER_INPUT, never a 500, and logs no error', async () => {
    const depth = 45_000;
    const raw = `{"query":${JSON.stringify(entitiesQuery('__typename'))},"variables":{"r":[${'['.repeat(depth)}${']'.repeat(depth)}]}}`;
    expect(Buffer.byteLength(raw)).toBeLessThan(100 * 1024);

    const from = logLines.length;
    const signedIn = await postGraphQL(server.url, raw, bearer(people.bob.accessToken));
    expectBadInputWithoutFault(signedIn);

    const anonymous = await postGraphQL(server.url, raw);
    expect(anonymous.status).toBeLessThan(500);
    expect(codesOf(anonymous)).not.toContain('INTERNAL_SERVER_ERROR');
    expect(anonymous.body.data?._entities?.[0] ?? null).toBeNull();
    expectNoInternals(anonymous.text);

    expect(logLinesAtOrAbove(logLines, from, 50)).toEqual([]);
    // The server is still there and well.
    expect((await postGraphQL(server.url, { query: '{ me { username } }' }, bearer(people.bob.accessToken))).body).toEqual({
      data: { me: { username: 'bob' } },
    });
  });
});

/** BAD_USER_INPUT as a 4xx or as a per-entry error; never INTERNAL_SERVER_ERROR, never a 5xx, nothing of the insides. */
function expectBadInputWithoutFault(response: GraphQLHttpResponse): void {
  expect(response.status).toBeLessThan(500);
  expect(codesOf(response)).not.toContain('INTERNAL_SERVER_ERROR');
  expect(codesOf(response)).toContain('BAD_USER_INPUT');
  if (response.status === 200) expect(response.body.data?._entities?.[0] ?? null).toBeNull();
  else expect(response.status).toBeGreaterThanOrEqual(400);
  expectNoInternals(response.text);
}
