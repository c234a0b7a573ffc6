import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, graphql, type GraphQLFieldResolver, type GraphQLSchema, isObjectType, parse } from 'graphql';
import { authDirectiveTypeDefs } from '@graphql-auth-service/subgraph/auth/directive/auth-directive';
import { authSubgraphTypeDefs } from '@graphql-auth-service/subgraph/auth/directive/auth-link';
import { type AuthRule, satisfiesRule } from '@graphql-auth-service/subgraph/auth/directive/auth-rule';
import { authDirectiveTransformer } from '@graphql-auth-service/subgraph/auth/directive/auth-transformer';
import type { Principal } from '@graphql-auth-service/subgraph/auth/principal';

/** The context of the subgraph under test: the transformer only sees it through principalOf. */
interface TestContext {
  readonly caller?: Principal;
}

const typeDefs = `
${authDirectiveTypeDefs}

interface Secret @auth(requires: ["secrets:read"]) {
  code: String
}

interface Named {
  name: String @auth(anyOf: ["names:read", "ROLE_ADMIN"])
}

type Vault implements Secret {
  code: String
  label: String
}

type Person implements Named {
  name: String
  age: Int
}

type AdminPanel @auth(requires: ["ROLE_ADMIN"]) {
  stats: Int
  version: String
}

type Ledger @auth(requires: ["finance"]) {
  balance: Int
  owner: String @auth(requires: ["ROLE_ADMIN"])
}

type Query {
  open: String
  mine: String @auth
  echo(text: String!): String @auth
  orders: String @auth(requires: ["orders:read", "orders:write"])
  reports: String @auth(anyOf: ["reports:read", "ROLE_ADMIN"])
  audit: String @auth(requires: ["audit"], anyOf: ["eu", "us"])
  panel: AdminPanel
  ledger: Ledger
  vault: Vault
  secret: Secret
  person: Person
}

type Mutation {
  launch: Int @auth(requires: ["launch"])
}
`;

const values = {
  open: 'open to all',
  mine: 'only for the logged in',
  orders: 'the order book',
  reports: 'the quarterly report',
  audit: 'the audit trail',
  panel: { stats: 42, version: 'v7' },
  ledger: { balance: 1000, owner: 'treasury' },
  vault: { code: '1234', label: 'blue vault' },
  person: { name: 'Ada', age: 36 },
} as const;

let launches = 0;

const resolvers: Record<string, Record<string, GraphQLFieldResolver<unknown, TestContext, Record<string, unknown>>>> = {
  Query: {
    open: () => values.open,
    mine: () => values.mine,
    echo: (_source, args, context) => `${String(args.text)} from ${context.caller?.userId ?? 'nobody'}`,
    orders: () => values.orders,
    reports: () => values.reports,
    audit: () => values.audit,
    panel: () => values.panel,
    ledger: () => values.ledger,
    vault: () => values.vault,
    secret: () => ({ __typename: 'Vault', ...values.vault }),
    person: () => values.person,
  },
  Mutation: {
    launch: () => {
      launches += 1;
      return launches;
    },
  },
};

/** SDL-first, with plain graphql-js: resolvers assigned onto the built schema's fields. */
function buildGuardedSchema(): GraphQLSchema {
  const schema = buildSchema(typeDefs);
  for (const [typeName, fieldResolvers] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type in the test schema`);
    const fields = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fieldResolvers)) fields[fieldName].resolve = resolve;
  }
  return authDirectiveTransformer(schema, { principalOf: (context: TestContext) => context.caller });
}

const schema = buildGuardedSchema();

/** A caller of user-1 whose session signed in with `amr` (RFC 8176 methods). */
function signedInWith(amr: readonly string[], ...authorities: string[]): TestContext {
  return { caller: { userId: 'user-1', sessionId: 'session-1', authorities, amr } };
}

/** A caller whose session used a password only. */
function caller(...authorities: string[]): TestContext {
  return signedInWith(['pwd'], ...authorities);
}

const anonymous: TestContext = {};

async function runOn(target: GraphQLSchema, source: string, contextValue: TestContext, variableValues?: Record<string, unknown>) {
  const result = await graphql({ schema: target, source, contextValue, variableValues });
  return {
    data: result.data,
    codes: (result.errors ?? []).map((error) => error.extensions.code),
    paths: (result.errors ?? []).map((error) => error.path),
    errors: result.errors ?? [],
  };
}

const run = (source: string, contextValue: TestContext) => runOn(schema, source, contextValue);

describe('authDirectiveTransformer on a field', () => {
  it('leaves a field without @auth open to anonymous callers', async () => {
    const result = await run('{ open }', anonymous);
    expect(result.data).toEqual({ open: values.open });
    expect(result.errors).toEqual([]);
  });

  it('refuses a bare @auth field to an anonymous caller with UNAUTHENTICATED and keeps the rest of the data', async () => {
    const result = await run('{ open mine }', anonymous);
    expect(result.codes).toEqual(['UNAUTHENTICATED']);
    expect(result.paths).toEqual([['mine']]);
    expect(result.data).toEqual({ open: values.open, mine: null });
  });

  it('answers a bare @auth field for any authenticated caller, even one without authorities', async () => {
    const result = await run('{ mine }', caller());
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ mine: values.mine });
  });

  it('passes arguments, context and source through to the guarded resolver', async () => {
    const result = await run('{ echo(text: "hello") }', caller());
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ echo: 'hello from user-1' });
  });

  it.each([
    { rule: 'requires (all of)', field: 'orders', held: ['orders:read', 'orders:write'], expected: values.orders },
    { rule: 'requires (all of)', field: 'orders', held: ['orders:write', 'orders:read', 'extra'], expected: values.orders },
    { rule: 'anyOf (one of)', field: 'reports', held: ['reports:read'], expected: values.reports },
    { rule: 'anyOf (one of)', field: 'reports', held: ['ROLE_ADMIN'], expected: values.reports },
    { rule: 'requires and anyOf', field: 'audit', held: ['audit', 'eu'], expected: values.audit },
    { rule: 'requires and anyOf', field: 'audit', held: ['us', 'audit'], expected: values.audit },
  ])('$rule: a caller holding $held gets $field', async ({ field, held, expected }) => {
    const result = await run(`{ ${field} }`, caller(...held));
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ [field]: expected });
  });

  it.each([
    { rule: 'requires (all of)', field: 'orders', held: ['orders:read'] },
    { rule: 'requires (all of)', field: 'orders', held: [] },
    { rule: 'requires (all of)', field: 'orders', held: ['ORDERS:READ', 'ORDERS:WRITE'] },
    { rule: 'anyOf (one of)', field: 'reports', held: ['orders:read'] },
    { rule: 'anyOf (one of)', field: 'reports', held: [] },
    { rule: 'requires and anyOf', field: 'audit', held: ['audit'] },
    { rule: 'requires and anyOf', field: 'audit', held: ['eu', 'us'] },
  ])('$rule: a caller holding only $held is FORBIDDEN from $field', async ({ field, held }) => {
    const result = await run(`{ ${field} }`, caller(...held));
    expect(result.codes).toEqual(['FORBIDDEN']);
    expect(result.paths).toEqual([[field]]);
    expect(result.data).toEqual({ [field]: null });
  });

  it.each(['orders', 'reports', 'audit'])('refuses %s to an anonymous caller with UNAUTHENTICATED, not FORBIDDEN', async (field) => {
    const result = await run(`{ ${field} }`, anonymous);
    expect(result.codes).toEqual(['UNAUTHENTICATED']);
    expect(result.data).toEqual({ [field]: null });
  });

  it('tells a FORBIDDEN caller which authorities the field needs', async () => {
    const result = await run('{ audit }', caller('audit'));
    expect(result.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', requires: ['audit'], anyOf: ['eu', 'us'] });
  });

  it('does not run a refused mutation, and runs it for a caller with the authority', async () => {
    const before = launches;
    const refused = await run('mutation { launch }', caller('ROLE_ADMIN'));
    expect(refused.codes).toEqual(['FORBIDDEN']);
    expect(refused.data).toEqual({ launch: null });
    expect(launches).toBe(before);

    const allowed = await run('mutation { launch }', caller('launch'));
    expect(allowed.errors).toEqual([]);
    expect(allowed.data).toEqual({ launch: before + 1 });
  });
});

describe('authDirectiveTransformer on an object type', () => {
  it('guards every field of the type for a caller without the authority', async () => {
    const result = await run('{ panel { stats version } }', caller('orders:read'));
    expect(result.codes).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(result.paths).toEqual(expect.arrayContaining([['panel', 'stats'], ['panel', 'version']]));
    expect(result.data).toEqual({ panel: { stats: null, version: null } });
  });

  it('refuses every field of the type to an anonymous caller with UNAUTHENTICATED', async () => {
    const result = await run('{ panel { stats version } }', anonymous);
    expect(result.codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(result.data).toEqual({ panel: { stats: null, version: null } });
  });

  it('answers every field of the type for a caller with the authority', async () => {
    const result = await run('{ panel { stats version } }', caller('ROLE_ADMIN'));
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ panel: values.panel });
  });

  it('applies both the type rule and the field rule when both are present', async () => {
    const typeRuleOnly = await run('{ ledger { balance owner } }', caller('finance'));
    expect(typeRuleOnly.data).toEqual({ ledger: { balance: values.ledger.balance, owner: null } });
    expect(typeRuleOnly.codes).toEqual(['FORBIDDEN']);
    expect(typeRuleOnly.paths).toEqual([['ledger', 'owner']]);

    const fieldRuleOnly = await run('{ ledger { balance owner } }', caller('ROLE_ADMIN'));
    expect(fieldRuleOnly.data).toEqual({ ledger: { balance: null, owner: null } });
    expect(fieldRuleOnly.codes).toEqual(['FORBIDDEN', 'FORBIDDEN']);

    const both = await run('{ ledger { balance owner } }', caller('finance', 'ROLE_ADMIN'));
    expect(both.errors).toEqual([]);
    expect(both.data).toEqual({ ledger: values.ledger });
  });
});

describe('authDirectiveTransformer on an interface', () => {
  it("guards the implementing type's fields, including those not declared on the interface", async () => {
    const result = await run('{ vault { code label } }', caller('orders:read'));
    expect(result.codes).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(result.data).toEqual({ vault: { code: null, label: null } });
  });

  it('guards the fields when they are queried through the interface type', async () => {
    const refused = await run('{ secret { code } }', anonymous);
    expect(refused.codes).toEqual(['UNAUTHENTICATED']);
    expect(refused.data).toEqual({ secret: { code: null } });

    const allowed = await run('{ secret { code ... on Vault { label } } }', caller('secrets:read'));
    expect(allowed.errors).toEqual([]);
    expect(allowed.data).toEqual({ secret: { code: values.vault.code, label: values.vault.label } });
  });

  it("guards the implementing type's copy of an interface field that carries @auth, and only that field", async () => {
    const refused = await run('{ person { name age } }', caller('orders:read'));
    expect(refused.codes).toEqual(['FORBIDDEN']);
    expect(refused.paths).toEqual([['person', 'name']]);
    expect(refused.data).toEqual({ person: { name: null, age: values.person.age } });

    const allowed = await run('{ person { name age } }', caller('names:read'));
    expect(allowed.errors).toEqual([]);
    expect(allowed.data).toEqual({ person: values.person });
  });
});

/**
 * A subgraph (so `_entities` reaches the reference resolvers) whose rules ask for a
 * second factor. Built twice: as written, and with ROLE_ADMIN counting only in a
 * session that used a second factor, as the service builds it for REQUIRE_MFA_FOR=ROLE_ADMIN.
 */
const stepUpTypeDefs = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])

${authSubgraphTypeDefs}

type Query {
  recoveryKit: RecoveryKit
  invoice(id: ID!): Invoice
  reports: String @auth(anyOf: ["reports:read", "ROLE_ADMIN"])
  users: String @auth(requires: ["ROLE_ADMIN"])
  mine: String @auth
}

type Mutation {
  transfer(amount: Int!): Int @auth(requires: ["finance"], mfa: true)
}

type RecoveryKit @auth(mfa: true) {
  label: String
  codes: [String!] @auth(requires: ["kit:read"])
}

type Invoice @key(fields: "id") @auth(ownedBy: "ownerId", anyOf: ["ROLE_ADMIN"]) {
  id: ID!
  amount: Int
}

type Payout @key(fields: "id") @auth(requires: ["finance"], mfa: true) {
  id: ID!
  amount: Int
}

type AuditEntry @key(fields: "id") @auth(requires: ["ROLE_ADMIN"]) {
  id: ID!
  action: String
}
`;

const stepUpValues = {
  recoveryKit: { label: 'printed on 2 November', codes: ['k7p2-9xq4', 'm3v8-2hd6'] },
  reports: 'the quarterly report',
  users: 'every account',
  mine: 'only for the logged in',
} as const;

/** What a caller sees of an invoice: its owner stays on the server. */
const ownInvoice = { id: 'invoice-own', amount: 120 };
const otherInvoice = { id: 'invoice-other', amount: 340 };
const invoices = new Map([
  [ownInvoice.id, { ...ownInvoice, ownerId: 'user-1' }],
  [otherInvoice.id, { ...otherInvoice, ownerId: 'user-2' }],
]);
const payouts = new Map([['payout-1', { id: 'payout-1', amount: 5000 }]]);
const auditEntries = new Map([['audit-1', { id: 'audit-1', action: 'forceLogout' }]]);

/** Every reference lookup, as `Type:id`: a caller refused by a rule without an owner causes none. */
const lookups: string[] = [];
let transferred = 0;

function buildStepUpSchema(mfaForAuthorities: readonly string[]): GraphQLSchema {
  const lookUp =
    <T>(typeName: string, store: ReadonlyMap<string, T>) =>
    (reference: { id: string }): T | null => {
      lookups.push(`${typeName}:${reference.id}`);
      return store.get(reference.id) ?? null;
    };
  const subgraph = buildSubgraphSchema({
    typeDefs: parse(stepUpTypeDefs),
    resolvers: {
      Query: {
        recoveryKit: () => stepUpValues.recoveryKit,
        invoice: (_source: unknown, { id }: { id: string }) => invoices.get(id) ?? null,
        reports: () => stepUpValues.reports,
        users: () => stepUpValues.users,
        mine: () => stepUpValues.mine,
      },
      Mutation: {
        transfer: (_source: unknown, { amount }: { amount: number }) => {
          transferred += amount;
          return transferred;
        },
      },
      Invoice: { __resolveReference: lookUp('Invoice', invoices) },
      Payout: { __resolveReference: lookUp('Payout', payouts) },
      AuditEntry: { __resolveReference: lookUp('AuditEntry', auditEntries) },
    },
  });
  return authDirectiveTransformer(subgraph, { principalOf: (context: TestContext) => context.caller, mfaForAuthorities });
}

const asWritten = buildStepUpSchema([]);
const adminNeedsSecondFactor = buildStepUpSchema(['ROLE_ADMIN']);

const MFA_REQUIRED = { code: 'FORBIDDEN', reason: 'MFA_REQUIRED' };
/** Sessions that used a second factor: a one-time code, or a passkey bound to one device or synced. */
const SECOND_FACTOR_SESSIONS = [['pwd', 'otp'], ['hwk'], ['swk'], ['pwd', 'hwk']].map((amr) => ({ amr }));
/** Sessions that did not: a password, or a token that does not say (issued before `amr` existed). */
const PASSWORD_ONLY_SESSIONS = [['pwd'], []].map((amr) => ({ amr }));

const TRANSFER = 'mutation { transfer(amount: 100) }';
const RECOVERY_KIT = '{ recoveryKit { label codes } }';
const INVOICE = 'query($id: ID!) { invoice(id: $id) { id amount } }';
const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Invoice { id amount } ... on Payout { id amount } ... on AuditEntry { id action } }
}`;

const entities = (target: GraphQLSchema, context: TestContext, ...representations: { __typename: string; id: string }[]) =>
  runOn(target, ENTITIES, context, { representations });
const invoice = (target: GraphQLSchema, context: TestContext, id: string) => runOn(target, INVOICE, context, { id });

/** Each error's extensions by the path it names, `recoveryKit.label`. */
function extensionsByPath(result: Awaited<ReturnType<typeof runOn>>): Record<string, unknown> {
  return Object.fromEntries(result.errors.map((error) => [(error.path ?? []).join('.'), error.extensions]));
}

describe('@auth(mfa: true) on a field: the authority first, then a second factor', () => {
  it('refuses an anonymous caller with UNAUTHENTICATED and does not run the mutation', async () => {
    const before = transferred;
    const result = await runOn(asWritten, TRANSFER, anonymous);
    expect(result.codes).toEqual(['UNAUTHENTICATED']);
    expect(result.data).toEqual({ transfer: null });
    expect(transferred).toBe(before);
  });

  it.each([...PASSWORD_ONLY_SESSIONS, ...SECOND_FACTOR_SESSIONS])(
    'answers a caller without the authority the plain FORBIDDEN, not MFA_REQUIRED, whatever the session used ($amr)',
    async ({ amr }) => {
      const before = transferred;
      const result = await runOn(asWritten, TRANSFER, signedInWith(amr, 'orders:read'));
      expect(result.errors.map((error) => error.extensions)).toEqual([{ code: 'FORBIDDEN', requires: ['finance'], anyOf: [] }]);
      expect(result.data).toEqual({ transfer: null });
      expect(transferred).toBe(before);
    },
  );

  it.each(PASSWORD_ONLY_SESSIONS)(
    'answers a caller with the authority in a session that used $amr FORBIDDEN with reason MFA_REQUIRED, and does not run the mutation',
    async ({ amr }) => {
      const before = transferred;
      const result = await runOn(asWritten, TRANSFER, signedInWith(amr, 'finance'));
      expect(result.errors.map((error) => error.extensions)).toEqual([MFA_REQUIRED]);
      expect(result.errors[0].message).toMatch(/second factor/);
      expect(result.data).toEqual({ transfer: null });
      expect(transferred).toBe(before);
    },
  );

  it.each(SECOND_FACTOR_SESSIONS)('runs the mutation for a caller with the authority in a session that used $amr', async ({ amr }) => {
    const before = transferred;
    const result = await runOn(asWritten, TRANSFER, signedInWith(amr, 'finance'));
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ transfer: before + 100 });
  });
});

describe('@auth(mfa: true) on a type', () => {
  it('refuses every field to an anonymous caller with UNAUTHENTICATED', async () => {
    const result = await runOn(asWritten, RECOVERY_KIT, anonymous);
    expect(result.codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(result.data).toEqual({ recoveryKit: { label: null, codes: null } });
  });

  it("answers a password-only session MFA_REQUIRED on every field, except a field whose own authority is missing: that one hears the plain FORBIDDEN", async () => {
    const withoutAuthority = await runOn(asWritten, RECOVERY_KIT, caller());
    expect(withoutAuthority.data).toEqual({ recoveryKit: { label: null, codes: null } });
    expect(extensionsByPath(withoutAuthority)).toEqual({
      'recoveryKit.label': MFA_REQUIRED,
      'recoveryKit.codes': { code: 'FORBIDDEN', requires: ['kit:read'], anyOf: [] },
    });

    const withAuthority = await runOn(asWritten, RECOVERY_KIT, caller('kit:read'));
    expect(withAuthority.data).toEqual({ recoveryKit: { label: null, codes: null } });
    expect(extensionsByPath(withAuthority)).toEqual({ 'recoveryKit.label': MFA_REQUIRED, 'recoveryKit.codes': MFA_REQUIRED });
  });

  it.each(SECOND_FACTOR_SESSIONS)("answers every field to a session that used $amr, and the field's own authority still counts", async ({ amr }) => {
    const withoutAuthority = await runOn(asWritten, RECOVERY_KIT, signedInWith(amr));
    expect(withoutAuthority.data).toEqual({ recoveryKit: { label: stepUpValues.recoveryKit.label, codes: null } });
    expect(extensionsByPath(withoutAuthority)).toEqual({ 'recoveryKit.codes': { code: 'FORBIDDEN', requires: ['kit:read'], anyOf: [] } });

    const withAuthority = await runOn(asWritten, RECOVERY_KIT, signedInWith(amr, 'kit:read'));
    expect(withAuthority.errors).toEqual([]);
    expect(withAuthority.data).toEqual({ recoveryKit: stepUpValues.recoveryKit });
  });
});

describe('mfaForAuthorities: authorities that count only in a session that used a second factor', () => {
  it('refuses a rule passed only through ROLE_ADMIN in a password-only session with MFA_REQUIRED; without the option the same session passes', async () => {
    const refused = await runOn(adminNeedsSecondFactor, '{ users }', caller('ROLE_ADMIN'));
    expect(refused.errors.map((error) => error.extensions)).toEqual([MFA_REQUIRED]);
    expect(refused.data).toEqual({ users: null });

    const withoutOption = await runOn(asWritten, '{ users }', caller('ROLE_ADMIN'));
    expect(withoutOption.errors).toEqual([]);
    expect(withoutOption.data).toEqual({ users: stepUpValues.users });
  });

  it.each(SECOND_FACTOR_SESSIONS)('lets ROLE_ADMIN count in a session that used $amr', async ({ amr }) => {
    const result = await runOn(adminNeedsSecondFactor, '{ users reports }', signedInWith(amr, 'ROLE_ADMIN'));
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ users: stepUpValues.users, reports: stepUpValues.reports });
  });

  it.each([...PASSWORD_ONLY_SESSIONS, ...SECOND_FACTOR_SESSIONS])(
    'answers a caller lacking ROLE_ADMIN altogether the plain FORBIDDEN ($amr)',
    async ({ amr }) => {
      const result = await runOn(adminNeedsSecondFactor, '{ users }', signedInWith(amr, 'orders:read'));
      expect(result.errors.map((error) => error.extensions)).toEqual([{ code: 'FORBIDDEN', requires: ['ROLE_ADMIN'], anyOf: [] }]);
      expect(result.data).toEqual({ users: null });
    },
  );

  it('lets a caller holding ROLE_ADMIN and another authority of anyOf through the other without a second factor', async () => {
    const throughTheOther = await runOn(adminNeedsSecondFactor, '{ reports }', caller('ROLE_ADMIN', 'reports:read'));
    expect(throughTheOther.errors).toEqual([]);
    expect(throughTheOther.data).toEqual({ reports: stepUpValues.reports });

    const onlyThroughAdmin = await runOn(adminNeedsSecondFactor, '{ reports }', caller('ROLE_ADMIN'));
    expect(onlyThroughAdmin.errors.map((error) => error.extensions)).toEqual([MFA_REQUIRED]);
    expect(onlyThroughAdmin.data).toEqual({ reports: null });
  });

  it('leaves a rule that names no authority alone', async () => {
    const result = await runOn(adminNeedsSecondFactor, '{ mine }', caller('ROLE_ADMIN'));
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ mine: stepUpValues.mine });
  });

  it('lets the owner through an ownedBy + anyOf rule without a second factor, although they hold ROLE_ADMIN; another admin needs one', async () => {
    const own = await invoice(adminNeedsSecondFactor, caller('ROLE_ADMIN'), 'invoice-own');
    expect(own.errors).toEqual([]);
    expect(own.data).toEqual({ invoice: ownInvoice });

    const others = await invoice(adminNeedsSecondFactor, caller('ROLE_ADMIN'), 'invoice-other');
    expect(others.data).toEqual({ invoice: null });
    expect(others.errors.map((error) => error.extensions)).toEqual([MFA_REQUIRED]);

    const othersWithCode = await invoice(adminNeedsSecondFactor, signedInWith(['pwd', 'otp'], 'ROLE_ADMIN'), 'invoice-other');
    expect(othersWithCode.errors).toEqual([]);
    expect(othersWithCode.data).toEqual({ invoice: otherInvoice });
  });

  it("answers a non-owner without ROLE_ADMIN the plain FORBIDDEN on someone else's invoice", async () => {
    for (const amr of [['pwd'], ['pwd', 'otp']]) {
      const result = await invoice(adminNeedsSecondFactor, signedInWith(amr, 'orders:read'), 'invoice-other');
      expect(result.data).toEqual({ invoice: null });
      expect(result.errors[0].extensions).toEqual({ code: 'FORBIDDEN', requires: [], anyOf: ['ROLE_ADMIN'], ownerOnly: false });
    }
  });
});

describe('reference resolvers (_entities) enforce the second factor too', () => {
  const payout = { __typename: 'Payout', id: 'payout-1' };
  const auditEntry = { __typename: 'AuditEntry', id: 'audit-1' };
  const own = { __typename: 'Invoice', id: 'invoice-own' };
  const other = { __typename: 'Invoice', id: 'invoice-other' };
  const lookupsDuring = async <T>(action: () => Promise<T>): Promise<[T, string[]]> => {
    const before = lookups.length;
    const result = await action();
    return [result, lookups.slice(before)];
  };

  it('@auth(mfa: true) on an entity: checked before the lookup, the authority first', async () => {
    const [anonymousResult, anonymousLookups] = await lookupsDuring(() => entities(asWritten, anonymous, payout));
    expect(anonymousResult.codes).toEqual(['UNAUTHENTICATED']);
    expect(anonymousResult.data).toEqual({ _entities: [null] });
    expect(anonymousLookups).toEqual([]);

    const [noAuthority, noAuthorityLookups] = await lookupsDuring(() => entities(asWritten, signedInWith(['pwd', 'otp']), payout));
    expect(noAuthority.errors.map((error) => error.extensions)).toEqual([{ code: 'FORBIDDEN', requires: ['finance'], anyOf: [] }]);
    expect(noAuthority.data).toEqual({ _entities: [null] });
    expect(noAuthorityLookups).toEqual([]);

    const [passwordOnly, passwordOnlyLookups] = await lookupsDuring(() => entities(asWritten, caller('finance'), payout));
    expect(passwordOnly.errors.map((error) => error.extensions)).toEqual([MFA_REQUIRED]);
    expect(passwordOnly.paths).toEqual([['_entities', 0]]);
    expect(passwordOnly.data).toEqual({ _entities: [null] });
    expect(passwordOnlyLookups).toEqual([]);

    const [withCode, withCodeLookups] = await lookupsDuring(() => entities(asWritten, signedInWith(['pwd', 'otp'], 'finance'), payout));
    expect(withCode.errors).toEqual([]);
    expect(withCode.data).toEqual({ _entities: [payouts.get('payout-1')] });
    expect(withCodeLookups).toEqual(['Payout:payout-1']);
  });

  it('mfaForAuthorities on an entity rule without an owner: MFA_REQUIRED before the lookup in a password-only session', async () => {
    const [refused, refusedLookups] = await lookupsDuring(() => entities(adminNeedsSecondFactor, caller('ROLE_ADMIN'), auditEntry));
    expect(refused.errors.map((error) => error.extensions)).toEqual([MFA_REQUIRED]);
    expect(refused.data).toEqual({ _entities: [null] });
    expect(refusedLookups).toEqual([]);

    const withoutOption = await entities(asWritten, caller('ROLE_ADMIN'), auditEntry);
    expect(withoutOption.errors).toEqual([]);
    expect(withoutOption.data).toEqual({ _entities: [auditEntries.get('audit-1')] });

    const withCode = await entities(adminNeedsSecondFactor, signedInWith(['pwd', 'otp'], 'ROLE_ADMIN'), auditEntry);
    expect(withCode.errors).toEqual([]);
    expect(withCode.data).toEqual({ _entities: [auditEntries.get('audit-1')] });
  });

  it('mfaForAuthorities on an owner rule: the owner gets their own entity without a second factor, another admin only with one', async () => {
    const passwordOnly = await entities(adminNeedsSecondFactor, caller('ROLE_ADMIN'), own, other);
    expect(passwordOnly.data).toEqual({ _entities: [ownInvoice, null] });
    expect(passwordOnly.errors.map((error) => error.extensions)).toEqual([MFA_REQUIRED]);
    expect(passwordOnly.paths).toEqual([['_entities', 1]]);

    const withCode = await entities(adminNeedsSecondFactor, signedInWith(['pwd', 'otp'], 'ROLE_ADMIN'), own, other);
    expect(withCode.errors).toEqual([]);
    expect(withCode.data).toEqual({ _entities: [ownInvoice, otherInvoice] });

    const notAdmin = await entities(adminNeedsSecondFactor, signedInWith(['pwd', 'otp'], 'orders:read'), other);
    expect(notAdmin.data).toEqual({ _entities: [null] });
    expect(notAdmin.errors.map((error) => error.extensions)).toEqual([{ code: 'FORBIDDEN', requires: [], anyOf: ['ROLE_ADMIN'], ownerOnly: false }]);
  });
});

describe('satisfiesRule', () => {
  const rule = (requires: string[], anyOf: string[] = []): AuthRule => ({ requires, anyOf });

  it.each<[string, string[], AuthRule, boolean]>([
    ['no rule arguments, no authorities', [], rule([]), true],
    ['no rule arguments, some authorities', ['orders:read'], rule([]), true],
    ['requires one, held', ['ROLE_ADMIN'], rule(['ROLE_ADMIN']), true],
    ['requires one, not held', ['orders:read'], rule(['ROLE_ADMIN']), false],
    ['requires one, nothing held', [], rule(['ROLE_ADMIN']), false],
    ['requires two, both held', ['b', 'a'], rule(['a', 'b']), true],
    ['requires two, one held', ['a'], rule(['a', 'b']), false],
    ['requires, held with different case', ['role_admin'], rule(['ROLE_ADMIN']), false],
    ['requires, only a longer authority with the same prefix held', ['ROLE_ADMIN_READONLY'], rule(['ROLE_ADMIN']), false],
    ['anyOf, first held', ['a'], rule([], ['a', 'b']), true],
    ['anyOf, second held', ['b'], rule([], ['a', 'b']), true],
    ['anyOf, none held', ['c'], rule([], ['a', 'b']), false],
    ['anyOf, nothing held', [], rule([], ['a', 'b']), false],
    ['requires and anyOf, both met', ['r', 'y'], rule(['r'], ['x', 'y']), true],
    ['requires and anyOf, only requires met', ['r'], rule(['r'], ['x', 'y']), false],
    ['requires and anyOf, only anyOf met', ['x'], rule(['r'], ['x', 'y']), false],
    ['duplicate authorities held', ['a', 'a'], rule(['a'], ['a']), true],
  ])('%s: %j against %j → %s', (_name, authorities, authRule, expected) => {
    expect(satisfiesRule(authorities, authRule)).toBe(expected);
  });
});
