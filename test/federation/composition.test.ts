import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { AUTH_SPEC_URL } from '@graphql-auth-service/subgraph';
import { ordersTypeDefs } from '../../examples/federation/orders-subgraph';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

describe('composing the auth subgraph with an SDL-first subgraph that uses the kit', () => {
  let auth: TestServer;

  beforeAll(async () => {
    auth = await startTestServer(clusterEnv());
  });
  afterAll(() => auth.close());

  it('keeps @auth, its definition and every use of it in the supergraph', async () => {
    const service = await auth.call<{ _service: { sdl: string } }>(`{ _service { sdl } }`);
    const sdl = service.data?._service.sdl as string;
    expect(sdl).toContain('@composeDirective(name: "@auth")');
    expect(sdl).toMatch(/type User\s+@key\(fields: "id"\)/);

    const result = composeServices([
      { name: 'auth', typeDefs: parse(sdl), url: 'http://auth.invalid/graphql' },
      { name: 'orders', typeDefs: parse(ordersTypeDefs), url: 'http://orders.invalid/graphql' },
    ]);
    expect(result.errors).toBeUndefined();
    const supergraph = result.supergraphSdl as string;
    expect(supergraph).toContain(`@link(url: "${AUTH_SPEC_URL}", import: ["@auth"])`);
    expect(supergraph).toContain(
      'directive @auth(requires: [String!] = [], anyOf: [String!] = [], ownedBy: String, mfa: Boolean = false) on OBJECT | FIELD_DEFINITION | INTERFACE',
    );
    expect(supergraph).toContain('orders: [Order!]! @join__field(graph: ORDERS) @auth(requires: ["orders:read"])');
    expect(supergraph).toContain('forceLogout(userId: ID!): Int! @auth(requires: ["ROLE_ADMIN"])');
    expect(supergraph).toContain('sessions: [Session!]! @join__field(graph: AUTH) @auth\n');
    // Entity rules sit on the types, where a router that enforces the directive sees them too.
    expect(supergraph).toMatch(/type Order\s+@join__type\(graph: ORDERS, key: "id"\)\s+@auth\(ownedBy: "ownerId", anyOf: \["ROLE_ADMIN"\]\)/);
    expect(supergraph).toMatch(/type User\s+@join__type\(graph: AUTH, key: "id"\)\s+@join__type\(graph: ORDERS, key: "id", resolvable: false\)\s+@auth\s/);
    expect(supergraph).toContain('authorities: [String!]! @join__field(graph: AUTH) @auth(ownedBy: "id", anyOf: ["ROLE_ADMIN"])');
    // A step-up rule keeps its second-factor demand.
    expect(supergraph).toMatch(/\n\s*paymentCard: String @auth\(mfa: true\)\n/);
  });
});
