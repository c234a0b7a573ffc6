import { randomBytes, randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { Cluster } from 'ioredis';
import {
  type AuthContext,
  authDirectiveTransformer,
  authSubgraphTypeDefs,
  createAuthContext,
  createSubgraphAuthenticator,
  gatewaySignatureHeaders,
  guardFederationFields,
  type RequestAuthenticator,
} from '@graphql-auth-service/subgraph';
import { login, type LoginData } from '../support/graphql-caller';
import { clusterClient, clusterEnv, TEST_JWT_SECRET } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';
import {
  bearer,
  codesOf,
  entitiesBody,
  expectEveryEntryRefused,
  expectGatewayProofRequired,
  expectNoInternals,
  gatewayOutcome,
  type GraphQLBody,
  type GraphQLHttpResponse,
  pathsOf,
  postGraphQL,
  refusedForWantOfProof,
  SERVICE_SDL,
} from '../security/support/federation-requests';

const PASSWORD = 'correct horse battery';
/** Text only an order's owner (or an administrator) may read, and a report only holders of orders:read. */
const SECRET = randomBytes(6).toString('hex');

/** A kit subgraph written as docs/subgraphs.md tells: SDL first, the kit's type defs, @auth on its entities. */
const typeDefs = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])

${authSubgraphTypeDefs}

type Query {
  "The caller's orders."
  myOrders: [Order!]! @auth
  "Whether this request carried the gateway's proof, as the kit's context saw it."
  viaGateway: Boolean!
}

type Order @key(fields: "id") @auth(ownedBy: "ownerId", anyOf: ["ROLE_ADMIN"]) {
  id: ID!
  item: String!
  total: Float!
}

type Report @key(fields: "id") @auth(requires: ["orders:read"]) {
  id: ID!
  title: String!
}
`;

interface Order {
  readonly id: string;
  readonly item: string;
  readonly total: number;
  readonly ownerId: string;
}

interface Report {
  readonly id: string;
  readonly title: string;
}

interface Store {
  readonly orders: Map<string, Order>;
  readonly reports: Map<string, Report>;
}

interface Subgraph {
  readonly url: string;
  stop(): Promise<void>;
}

async function startKitSubgraph(authenticate: RequestAuthenticator, store: Store, gatewaySecret?: string): Promise<Subgraph> {
  let schema = authDirectiveTransformer(
    buildSubgraphSchema({
      typeDefs: parse(typeDefs),
      resolvers: {
        Query: {
          myOrders: (_source: unknown, _args: unknown, context: unknown) =>
            [...store.orders.values()].filter((order) => order.ownerId === (context as AuthContext).principal?.userId),
          viaGateway: (_source: unknown, _args: unknown, context: unknown) => (context as AuthContext).fromGateway,
        },
        Order: {
          __resolveReference: async (reference: { id: string }) => store.orders.get(reference.id) ?? null,
        },
        Report: {
          __resolveReference: async (reference: { id: string }) => store.reports.get(reference.id) ?? null,
        },
      },
    }),
    { principalOf: (context: AuthContext) => context.principal },
  );
  if (gatewaySecret !== undefined) {
    schema = guardFederationFields(schema, { fromGateway: (context: AuthContext) => context.fromGateway });
  }
  const server = new ApolloServer<AuthContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: createAuthContext(authenticate, gatewaySecret === undefined ? {} : { gatewaySecret }),
  });
  return { url, stop: () => server.stop() };
}

interface World {
  readonly auth: TestServer;
  readonly redis: Cluster;
  readonly store: Store;
  readonly authenticate: RequestAuthenticator;
  /** Owns an order; holds no authority. */
  readonly alice: LoginData;
  /** Owns another order; holds orders:read. */
  readonly bob: LoginData;
  readonly admin: LoginData;
}

/** The real auth service on the cluster, three real users, and the kit's real authenticator sharing its secret and key prefix. */
async function startWorld(): Promise<World> {
  const auth = await startTestServer(clusterEnv());
  const redis = clusterClient();
  await auth.deps.accounts.create({ username: 'alice', password: PASSWORD, authorities: [] });
  await auth.deps.accounts.create({ username: 'bob', password: PASSWORD, authorities: ['orders:read'] });
  await auth.deps.accounts.create({ username: 'admin', password: PASSWORD, authorities: ['ROLE_ADMIN'] });
  const alice = await login(auth.call, 'alice', PASSWORD);
  const bob = await login(auth.call, 'bob', PASSWORD);
  const admin = await login(auth.call, 'admin', PASSWORD);
  const store: Store = {
    orders: new Map([
      ['order-alice', { id: 'order-alice', item: `Alice's ${SECRET}`, total: 79.5, ownerId: alice.user.id }],
      ['order-bob', { id: 'order-bob', item: `Bob's ${SECRET}`, total: 249, ownerId: bob.user.id }],
    ]),
    reports: new Map([['report-1', { id: 'report-1', title: `Quarterly ${SECRET}` }]]),
  };
  const authenticate = createSubgraphAuthenticator({
    issuer: auth.config.jwt.issuer,
    audience: auth.config.jwt.audience,
    keys: { secret: TEST_JWT_SECRET },
    sessions: { redis, keyPrefix: auth.config.redisKeyPrefix },
  });
  return { auth, redis, store, authenticate, alice, bob, admin };
}

const orderRef = (id: string) => ({ __typename: 'Order', id });
const reportRef = (id: string) => ({ __typename: 'Report', id });
const ORDER_FIELDS = '... on Order { id item total }';
const REPORT_FIELDS = '... on Report { id title }';
const ALL_FIELDS = `__typename ${ORDER_FIELDS} ${REPORT_FIELDS}`;

/** Errors refer to these entries of `_entities` (whether the entity or one of its fields failed). */
const entriesOf = (response: GraphQLHttpResponse): string[] => [...new Set(pathsOf(response).map((path) => path.split('.').slice(0, 2).join('.')))];

function expectNothingSecret(response: GraphQLHttpResponse): void {
  expect(response.text).not.toContain(SECRET);
  expectNoInternals(response.text);
}

describe('a kit subgraph enforces @auth on its entities through _entities (hole 5)', () => {
  let world: World;
  let subgraph: Subgraph;

  beforeAll(async () => {
    world = await startWorld();
    subgraph = await startKitSubgraph(world.authenticate, world.store);
  });
  afterAll(async () => {
    await subgraph?.stop();
    await world?.auth.close();
    await world?.redis.quit();
  });

  it('gives an anonymous caller null and UNAUTHENTICATED for every entity', async () => {
    const representations = [orderRef('order-alice'), orderRef('order-bob'), reportRef('report-1')];
    const response = await postGraphQL(subgraph.url, entitiesBody(ALL_FIELDS, representations));
    expectEveryEntryRefused(response, '_entities', 3, 'UNAUTHENTICATED');
    expectNothingSecret(response);
  });

  it('answers an anonymous caller the same for existing and unknown entities, even selecting only __typename', async () => {
    const all = await postGraphQL(
      subgraph.url,
      entitiesBody('__typename', [orderRef('order-alice'), orderRef(randomUUID()), reportRef('report-1'), reportRef(randomUUID())]),
    );
    expectEveryEntryRefused(all, '_entities', 4, 'UNAUTHENTICATED');

    for (const [existing, unknown] of [
      [orderRef('order-alice'), orderRef(randomUUID())],
      [reportRef('report-1'), reportRef(randomUUID())],
    ]) {
      const forExisting = await postGraphQL(subgraph.url, entitiesBody('__typename', [existing]));
      const forUnknown = await postGraphQL(subgraph.url, entitiesBody('__typename', [unknown]));
      expect(forExisting.status).toBe(forUnknown.status);
      expect(forExisting.body).toEqual(forUnknown.body);
    }
  });

  it('refuses another user an order they do not own with FORBIDDEN, even one holding orders:read, and shows nothing of it', async () => {
    for (const selection of [ORDER_FIELDS, '... on Order { total }', '__typename ... on Order { id }']) {
      const response = await postGraphQL(subgraph.url, entitiesBody(selection, [orderRef('order-alice')]), bearer(world.bob.accessToken));
      expect(response.body.data?._entities?.[0] ?? null).toBeNull();
      expect(codesOf(response)).toContain('FORBIDDEN');
      expect(codesOf(response).every((code) => code === 'FORBIDDEN')).toBe(true);
      expect(response.text).not.toContain('79.5');
      expectNothingSecret(response);
    }
  });

  it('gives the owner their order', async () => {
    const response = await postGraphQL(subgraph.url, entitiesBody(ORDER_FIELDS, [orderRef('order-alice')]), bearer(world.alice.accessToken));
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?._entities).toEqual([{ id: 'order-alice', item: `Alice's ${SECRET}`, total: 79.5 }]);
  });

  it("gives an administrator anyone's order", async () => {
    const response = await postGraphQL(
      subgraph.url,
      entitiesBody(ORDER_FIELDS, [orderRef('order-alice'), orderRef('order-bob')]),
      bearer(world.admin.accessToken),
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?._entities).toEqual([
      { id: 'order-alice', item: `Alice's ${SECRET}`, total: 79.5 },
      { id: 'order-bob', item: `Bob's ${SECRET}`, total: 249 },
    ]);
  });

  it('refuses a type guarded by requires to a user lacking the authority, and serves one holding it', async () => {
    const lacking = await postGraphQL(subgraph.url, entitiesBody(REPORT_FIELDS, [reportRef('report-1')]), bearer(world.alice.accessToken));
    expect(lacking.body.data?._entities?.[0] ?? null).toBeNull();
    expect(codesOf(lacking)).toContain('FORBIDDEN');
    expectNothingSecret(lacking);

    const typenameOnly = await postGraphQL(subgraph.url, entitiesBody('__typename', [reportRef('report-1')]), bearer(world.alice.accessToken));
    expect(typenameOnly.body.data?._entities).toEqual([null]);
    expect(codesOf(typenameOnly)).toEqual(['FORBIDDEN']);

    const holding = await postGraphQL(subgraph.url, entitiesBody(REPORT_FIELDS, [reportRef('report-1')]), bearer(world.bob.accessToken));
    expect(holding.body.errors).toBeUndefined();
    expect(holding.body.data?._entities).toEqual([{ id: 'report-1', title: `Quarterly ${SECRET}` }]);
  });

  it('judges each entry of a mixed request by its own rule, through aliases and fragments too', async () => {
    const mixed = [orderRef('order-alice'), orderRef('order-bob'), reportRef('report-1')];
    const response = await postGraphQL(subgraph.url, entitiesBody(ALL_FIELDS, mixed), bearer(world.alice.accessToken));
    expect(response.body.data?._entities).toEqual([
      { __typename: 'Order', id: 'order-alice', item: `Alice's ${SECRET}`, total: 79.5 },
      null,
      null,
    ]);
    expect(entriesOf(response)).toEqual(['_entities.1', '_entities.2']);
    expect(new Set(codesOf(response))).toEqual(new Set(['FORBIDDEN']));
    expect(response.text).not.toContain(`Bob's ${SECRET}`);
    expect(response.text).not.toContain(`Quarterly ${SECRET}`);

    const aliased = await postGraphQL(
      subgraph.url,
      {
        query: `query($a: [_Any!]!, $b: [_Any!]!) {
          mine: _entities(representations: $a) { ...O }
          theirs: _entities(representations: $b) { ... on Order { ... { item } } }
        }
        fragment O on Order { id item }`,
        variables: { a: [orderRef('order-alice')], b: [orderRef('order-bob')] },
      },
      bearer(world.alice.accessToken),
    );
    expect(aliased.body.data).toEqual({ mine: [{ id: 'order-alice', item: `Alice's ${SECRET}` }], theirs: [null] });
    expect(new Set(codesOf(aliased))).toEqual(new Set(['FORBIDDEN']));
    expect(aliased.text).not.toContain(`Bob's ${SECRET}`);
  });

  it("applies the same owner rule to the subgraph's own Query fields", async () => {
    const response = await postGraphQL(subgraph.url, { query: '{ myOrders { id item } }' }, bearer(world.bob.accessToken));
    expect(response.body).toEqual({ data: { myOrders: [{ id: 'order-bob', item: `Bob's ${SECRET}` }] } });
    expect(response.text).not.toContain(`Alice's`);
  });
});

describe('a kit subgraph behind guardFederationFields answers _entities and _service only to the gateway', () => {
  const gatewaySecret = randomBytes(32).toString('base64url');
  let world: World;
  let subgraph: Subgraph;

  beforeAll(async () => {
    world = await startWorld();
    subgraph = await startKitSubgraph(world.authenticate, world.store, gatewaySecret);
  });
  afterAll(async () => {
    await subgraph?.stop();
    await world?.auth.close();
    await world?.redis.quit();
  });

  const aliceOrder = (): GraphQLBody => entitiesBody(ORDER_FIELDS, [orderRef('order-alice')]);

  it('refuses _entities and _service without the proof, even to the owner, and keeps ordinary fields open', async () => {
    const entities = await postGraphQL(subgraph.url, aliceOrder(), bearer(world.alice.accessToken));
    expectGatewayProofRequired(entities);
    expectNothingSecret(entities);
    expectGatewayProofRequired(await postGraphQL(subgraph.url, aliceOrder()));
    expectGatewayProofRequired(await postGraphQL(subgraph.url, SERVICE_SDL));
    expectGatewayProofRequired(await postGraphQL(subgraph.url, { query: '{ ...Q } fragment Q on Query { s: _service { sdl } }' }));

    const ordinary = await postGraphQL(subgraph.url, { query: '{ viaGateway myOrders { id } }' }, bearer(world.alice.accessToken));
    expect(ordinary.body).toEqual({ data: { viaGateway: false, myOrders: [{ id: 'order-alice' }] } });
  });

  it('answers a signed request: the owner gets the order, the SDL is served, and the context says fromGateway', async () => {
    const body = aliceOrder();
    const entities = await postGraphQL(subgraph.url, body, { ...gatewaySignatureHeaders(gatewaySecret, body), ...bearer(world.alice.accessToken) });
    expect(entities.body.errors).toBeUndefined();
    expect(entities.body.data?._entities).toEqual([{ id: 'order-alice', item: `Alice's ${SECRET}`, total: 79.5 }]);

    const sdl = await postGraphQL(subgraph.url, SERVICE_SDL, gatewaySignatureHeaders(gatewaySecret, SERVICE_SDL));
    expect(sdl.body.errors).toBeUndefined();
    expect(sdl.body.data?._service?.sdl).toContain('type Order');

    const probe: GraphQLBody = { query: '{ viaGateway }' };
    expect((await postGraphQL(subgraph.url, probe, gatewaySignatureHeaders(gatewaySecret, probe))).body).toEqual({ data: { viaGateway: true } });
    expect((await postGraphQL(subgraph.url, probe)).body).toEqual({ data: { viaGateway: false } });
  });

  it('accepts the static x-gateway-secret header from a router that can only add fixed headers', async () => {
    const response = await postGraphQL(subgraph.url, aliceOrder(), { 'x-gateway-secret': gatewaySecret, ...bearer(world.alice.accessToken) });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?._entities).toEqual([{ id: 'order-alice', item: `Alice's ${SECRET}`, total: 79.5 }]);
  });

  it('refuses a bad proof: another secret, another body, too old, too far ahead, malformed, a wrong static secret', async () => {
    const body = aliceOrder();
    const other = randomBytes(32).toString('base64url');
    const bobsBody = entitiesBody(ORDER_FIELDS, [orderRef('order-bob')]);
    const attempts: [string, Record<string, string>][] = [
      ['another secret', gatewaySignatureHeaders(other, body)],
      ['signed over another body', gatewaySignatureHeaders(gatewaySecret, bobsBody)],
      ['signed without the variables', gatewaySignatureHeaders(gatewaySecret, { query: body.query })],
      ['five minutes old', gatewaySignatureHeaders(gatewaySecret, body, Date.now() - 5 * 60_000)],
      ['five minutes ahead', gatewaySignatureHeaders(gatewaySecret, body, Date.now() + 5 * 60_000)],
      ['no timestamp', { 'x-gateway-signature': gatewaySignatureHeaders(gatewaySecret, body)['x-gateway-signature'].replace(/^t=\d+,/, '') }],
      ['garbage', { 'x-gateway-signature': 'garbage' }],
      ['empty', { 'x-gateway-signature': '' }],
      ['wrong static secret', { 'x-gateway-secret': other }],
      ['truncated static secret', { 'x-gateway-secret': gatewaySecret.slice(0, 16) }],
    ];
    const outcomes: unknown[] = [];
    for (const [label, headers] of attempts) {
      const response = await postGraphQL(subgraph.url, body, { ...headers, ...bearer(world.alice.accessToken) });
      expectNothingSecret(response);
      outcomes.push(gatewayOutcome(label, response));
    }
    expect(outcomes).toEqual(attempts.map(([label]) => refusedForWantOfProof(label)));

    const sdl = await postGraphQL(subgraph.url, SERVICE_SDL, gatewaySignatureHeaders(other, SERVICE_SDL));
    expectGatewayProofRequired(sdl);
  });

  it('still applies @auth behind a good proof: anonymous is UNAUTHENTICATED, another user FORBIDDEN', async () => {
    const body = aliceOrder();
    const anonymous = await postGraphQL(subgraph.url, body, gatewaySignatureHeaders(gatewaySecret, body));
    expectEveryEntryRefused(anonymous, '_entities', 1, 'UNAUTHENTICATED');
    expectNothingSecret(anonymous);

    const other = await postGraphQL(subgraph.url, body, { ...gatewaySignatureHeaders(gatewaySecret, body), ...bearer(world.bob.accessToken) });
    expect(other.body.data?._entities?.[0] ?? null).toBeNull();
    expect(codesOf(other)).toContain('FORBIDDEN');
    expectNothingSecret(other);
  });
});
