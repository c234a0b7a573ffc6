import { buildSchema, graphql, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import { authDirectiveTypeDefs } from '@graphql-auth-service/subgraph/auth/directive/auth-directive';
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

function caller(...authorities: string[]): TestContext {
  return { caller: { userId: 'user-1', sessionId: 'session-1', authorities, amr: ['pwd'] } };
}

const anonymous: TestContext = {};

async function run(source: string, contextValue: TestContext) {
  const result = await graphql({ schema, source, contextValue });
  return {
    data: result.data,
    codes: (result.errors ?? []).map((error) => error.extensions.code),
    paths: (result.errors ?? []).map((error) => error.path),
    errors: result.errors ?? [],
  };
}

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
