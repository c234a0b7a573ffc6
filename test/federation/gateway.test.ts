import { randomBytes } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { startGateway, type Gateway } from '../../examples/federation/gateway';
import { startOrdersSubgraph, type OrdersSubgraph } from '../../examples/federation/orders-subgraph';
import { createSubgraphAuthenticator, gatewaySignatureHeaders } from '@graphql-auth-service/subgraph';
import { AuthenticatorApp } from '../support/authenticator-app';
import { createGraphQLCaller, login, type GraphQLCaller } from '../support/graphql-caller';
import { activeKeyEntry, pemKeyPair } from '../support/key-fixtures';
import { CONFIRM_TOTP, ENROLL_TOTP, signIn } from '../support/second-factor-calls';
import { clusterClient, clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';
const ORDERS = `{ orders { id item owner { username } } }`;
/** The orders subgraph alone knows only the owner's id. */
const ORDERS_IN_SUBGRAPH = `{ orders { id item owner { id } } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id item total owner { username } } }`;
const ORDER_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id item total } } }`;
/** `paymentCard` carries @auth(mfa: true) in the orders subgraph. */
const ORDER_CARDS = `{ orders { item paymentCard owner { username } } }`;

describe('federation end to end: auth subgraph + orders subgraph + gateway, on the real cluster', () => {
  const signingKey = pemKeyPair('p256');
  let redis: Cluster;
  let auth: TestServer;
  let orders: OrdersSubgraph;
  let gateway: Gateway;
  let viaGateway: GraphQLCaller;
  let ordersDirectly: GraphQLCaller;
  const gatewaySecret = randomBytes(32).toString('base64url');

  beforeAll(async () => {
    const { JWT_SECRET: _secret, ...env } = clusterEnv();
    const keys = [activeKeyEntry('es-fed', 'ES256', signingKey)];
    auth = await startTestServer({ ...env, JWT_KEYS: JSON.stringify(keys), GATEWAY_SECRET: gatewaySecret });
    redis = clusterClient();
    const kit = () =>
      createSubgraphAuthenticator({
        issuer: auth.config.jwt.issuer,
        audience: auth.config.jwt.audience,
        keys: { jwksUrl: new URL('/.well-known/jwks.json', auth.url).toString() },
        sessions: { redis, keyPrefix: auth.config.redisKeyPrefix },
      });
    orders = await startOrdersSubgraph({ authenticate: kit(), gatewaySecret });
    gateway = await startGateway({
      subgraphs: [
        { name: 'auth', url: auth.url },
        { name: 'orders', url: orders.url },
      ],
      gatewaySecret,
      authenticate: kit(),
    });
    viaGateway = createGraphQLCaller(gateway.url);
    ordersDirectly = createGraphQLCaller(orders.url);

    await auth.deps.accounts.create({ username: 'buyer', password: PASSWORD, authorities: ['orders:read'] });
    await auth.deps.accounts.create({ username: 'browser', password: PASSWORD });
    await auth.deps.accounts.create({ username: 'boss', password: PASSWORD, authorities: ['ROLE_ADMIN'] });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await orders?.stop();
    await auth?.close();
    await redis?.quit();
  });

  it('answers an anonymous caller UNAUTHENTICATED on guarded orders fields', async () => {
    const response = await viaGateway(ORDERS);
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.data?.orders ?? null).toBeNull();
  });

  it('answers a user without orders:read FORBIDDEN', async () => {
    const { accessToken } = await login(viaGateway, 'browser', PASSWORD);
    const response = await viaGateway(ORDERS, { token: accessToken });
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('gives a user with orders:read the orders, with owner { username } resolved by the auth subgraph', async () => {
    const { accessToken } = await login(viaGateway, 'buyer', PASSWORD);
    const response = await viaGateway(ORDERS, { token: accessToken });
    expect(response.errors).toBeUndefined();
    expect(response.data?.orders).toHaveLength(2);
    expect(response.data?.orders[0]).toMatchObject({ item: 'Keyboard', owner: { username: 'buyer' } });
  });

  it('refuses a token logged out through the gateway everywhere: at the gateway and at the orders subgraph', async () => {
    const { accessToken } = await login(viaGateway, 'buyer', PASSWORD);
    expect((await ordersDirectly(ORDERS_IN_SUBGRAPH, { token: accessToken })).errors).toBeUndefined();

    expect((await viaGateway(`mutation { logout }`, { token: accessToken })).data).toEqual({ logout: true });

    const atGateway = await viaGateway(ORDERS, { token: accessToken });
    expect(atGateway.status).toBe(401);
    expect(atGateway.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const atSubgraph = await ordersDirectly(ORDERS_IN_SUBGRAPH, { token: accessToken });
    expect(atSubgraph.status).toBe(401);
    expect(atSubgraph.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses every token of a user after an administrator\'s forceLogout through the gateway', async () => {
    const buyer = await login(viaGateway, 'buyer', PASSWORD);
    const boss = await login(viaGateway, 'boss', PASSWORD);
    const forced = await viaGateway(`mutation($id: ID!) { forceLogout(userId: $id) }`, {
      token: boss.accessToken,
      variables: { id: buyer.user.id },
    });
    expect(forced.data?.forceLogout).toBeGreaterThanOrEqual(1);
    expect((await ordersDirectly(ORDERS_IN_SUBGRAPH, { token: buyer.accessToken })).status).toBe(401);
    expect((await viaGateway(ORDERS, { token: buyer.accessToken })).status).toBe(401);
  });

  it('still enforces @auth in the subgraph when called without the gateway (defence in depth)', async () => {
    const { accessToken } = await login(viaGateway, 'browser', PASSWORD);
    expect((await ordersDirectly(ORDERS_IN_SUBGRAPH, { token: accessToken })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await ordersDirectly(ORDERS_IN_SUBGRAPH)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await ordersDirectly(ORDERS_IN_SUBGRAPH, { token: `${accessToken.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
  });

  it('asks for a second factor where @auth(mfa: true) says so: MFA_REQUIRED from the orders subgraph to a password-only session, the cards to one that used a code', async () => {
    await auth.deps.accounts.create({ username: 'stepper', password: PASSWORD, authorities: ['orders:read'] });
    const passwordOnly = await signIn(viaGateway, 'stepper', PASSWORD);
    expect(passwordOnly.amr).toEqual(['pwd']);

    const refused = await viaGateway(ORDER_CARDS, { token: passwordOnly.accessToken });
    // The rest of each order still shows; the card alone is held back.
    expect(refused.data?.orders).toEqual([
      { item: 'Keyboard', paymentCard: null, owner: { username: 'stepper' } },
      { item: 'Monitor', paymentCard: null, owner: { username: 'stepper' } },
    ]);
    expect(refused.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.reason])).toEqual([
      [['orders', 0, 'paymentCard'], 'FORBIDDEN', 'MFA_REQUIRED'],
      [['orders', 1, 'paymentCard'], 'FORBIDDEN', 'MFA_REQUIRED'],
    ]);

    // Setting up an authenticator app and signing in with it, all through the gateway.
    const enrolment = await viaGateway(ENROLL_TOTP, { token: passwordOnly.accessToken });
    const app = new AuthenticatorApp(enrolment.data?.enrollTotp.otpauthUrl);
    const confirmed = await viaGateway(CONFIRM_TOTP, { token: passwordOnly.accessToken, variables: { code: app.codeAt(Date.now()) } });
    expect(confirmed.errors).toBeUndefined();
    // The confirming code is spent; the service takes the next step's code a step early.
    const withCode = await signIn(viaGateway, 'stepper', PASSWORD, app.codeAt(Date.now(), 1));
    expect(withCode.amr).toEqual(['pwd', 'otp']);

    const allowed = await viaGateway(ORDER_CARDS, { token: withCode.accessToken });
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data?.orders).toEqual([
      { item: 'Keyboard', paymentCard: 'Visa ending 4242', owner: { username: 'stepper' } },
      { item: 'Monitor', paymentCard: 'Mastercard ending 5100', owner: { username: 'stepper' } },
    ]);
  });

  describe('one user cannot read another user\'s orders', () => {
    it('by reference through the gateway: order(id) of someone else is FORBIDDEN, with no field of it', async () => {
      const buyer = await login(viaGateway, 'buyer', PASSWORD);
      const other = await auth.deps.accounts.create({ username: 'otherbuyer', password: PASSWORD, authorities: ['orders:read'] });
      const others = await login(viaGateway, 'otherbuyer', PASSWORD);

      const own = await viaGateway(ORDER, { token: buyer.accessToken, variables: { id: `${buyer.user.id}-1` } });
      expect(own.errors).toBeUndefined();
      expect(own.data?.order).toMatchObject({ item: 'Keyboard', owner: { username: 'buyer' } });

      const stolen = await viaGateway(ORDER, { token: others.accessToken, variables: { id: `${buyer.user.id}-1` } });
      expect(stolen.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
      expect(JSON.stringify(stolen.data ?? null)).not.toContain('Keyboard');
      expect(other.id).toBe(others.user.id);
    });

    it('an administrator reads any order by reference', async () => {
      const buyer = await login(viaGateway, 'buyer', PASSWORD);
      const boss = await login(viaGateway, 'boss', PASSWORD);
      // ROLE_ADMIN passes the owner rule, but order() itself still needs orders:read.
      const response = await viaGateway(ORDER, { token: boss.accessToken, variables: { id: `${buyer.user.id}-2` } });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requires: ['orders:read'] });
      const entity = await ordersDirectly(ORDER_ENTITIES, {
        token: boss.accessToken,
        variables: { r: [{ __typename: 'Order', id: `${buyer.user.id}-2` }] },
        headers: gatewaySignatureHeaders(gatewaySecret, { query: ORDER_ENTITIES, variables: { r: [{ __typename: 'Order', id: `${buyer.user.id}-2` }] } }),
      });
      expect(entity.errors).toBeUndefined();
      expect(entity.data?._entities).toEqual([{ id: `${buyer.user.id}-2`, item: 'Monitor', total: 249 }]);
    });

    it('through _entities at the orders subgraph: refused without the gateway\'s signature, and to anyone but the owner with it', async () => {
      const buyer = await login(viaGateway, 'buyer', PASSWORD);
      const browser = await login(viaGateway, 'browser', PASSWORD);
      const variables = { r: [{ __typename: 'Order', id: `${buyer.user.id}-1` }] };
      const signed = () => gatewaySignatureHeaders(gatewaySecret, { query: ORDER_ENTITIES, variables });

      const unsigned = await ordersDirectly(ORDER_ENTITIES, { token: browser.accessToken, variables });
      expect(unsigned.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'GATEWAY_PROOF_REQUIRED' });
      expect(unsigned.data?._entities ?? null).toBeNull();

      const anonymous = await ordersDirectly(ORDER_ENTITIES, { variables, headers: signed() });
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(anonymous.data?._entities).toEqual([null]);

      const otherUser = await ordersDirectly(ORDER_ENTITIES, { token: browser.accessToken, variables, headers: signed() });
      expect(otherUser.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(otherUser.data?._entities).toEqual([null]);

      const owner = await ordersDirectly(ORDER_ENTITIES, { token: buyer.accessToken, variables, headers: signed() });
      expect(owner.errors).toBeUndefined();
      expect(owner.data?._entities).toEqual([{ id: `${buyer.user.id}-1`, item: 'Keyboard', total: 79.5 }]);
    });

    it('through _entities at the auth subgraph: no user data without the gateway\'s signature', async () => {
      const buyer = await login(viaGateway, 'buyer', PASSWORD);
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { username authorities } } }`;
      const response = await createGraphQLCaller(auth.url)(query, {
        token: buyer.accessToken,
        variables: { r: [{ __typename: 'User', id: buyer.user.id }] },
      });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'GATEWAY_PROOF_REQUIRED' });
      expect(JSON.stringify(response.data ?? null)).not.toContain('buyer');
    });
  });
});
