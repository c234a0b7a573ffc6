import { newRecoveryCodes, normaliseRecoveryCode, recoveryCodeHash } from '../../src/second-factors/recovery-codes';
import type { StoredPasskey } from '../../src/second-factors/second-factor-store';
import { LOGIN } from '../support/graphql-caller';
import { errorOf, signIn } from '../support/second-factor-calls';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';
import { type CliRun, expectOneLineError, spawnUsersCli } from './spawn-users-cli';

const PASSWORD = 'lost my phone on the train 7';
const ME = `{ me { username } }`;
const NO_FACTORS = { recoveryCodesLeft: 0, passkeys: [] };

describe('npm run users -- reset-mfa, on the real cluster', () => {
  const env = clusterEnv();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(env);
  });
  afterAll(() => server.close());

  async function cli(args: readonly string[]): Promise<CliRun> {
    const run = await spawnUsersCli(args, env);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    return run;
  }

  async function newUser(username: string): Promise<string> {
    return (await server.deps.accounts.create({ username, password: PASSWORD })).id;
  }

  /** A passkey as registration stores it. */
  function passkey(id: string, createdAt: number): StoredPasskey {
    return { id, publicKey: `public-key-of-${id}`, counter: 0, transports: ['internal'], deviceType: 'multiDevice', backedUp: true, name: id, createdAt };
  }

  async function addPasskey(userId: string, id: string): Promise<void> {
    expect(await server.deps.secondFactorStore.addPasskey(userId, passkey(id, Date.now()), 20)).toBe(true);
  }

  /** An authenticator app as a confirmed setup leaves it: the active secret and its recovery codes, which it answers. */
  async function activateApp(userId: string): Promise<string[]> {
    const now = Date.now();
    const recoveryCodes = newRecoveryCodes();
    const recoveryCodeHashes = recoveryCodes.map((code) => recoveryCodeHash(normaliseRecoveryCode(code) as string));
    await server.deps.secondFactorStore.savePendingTotp(userId, { sealedSecret: 'sealed-app-secret', expiresAt: now + 60_000 });
    const activation = { sealedSecret: 'sealed-app-secret', recoveryCodeHashes, step: 1, nowMs: now };
    expect(await server.deps.secondFactorStore.activateTotp(userId, activation)).toBe(true);
    return recoveryCodes;
  }

  const passwordOnlyLogin = (username: string) => server.call(LOGIN, { variables: { input: { username, password: PASSWORD } } });

  it('removes the app, its recovery codes and the passkeys, revokes every session, and says how many', async () => {
    const userId = await newUser('grace');
    const before = [await signIn(server.call, 'grace', PASSWORD), await signIn(server.call, 'grace', PASSWORD)];
    const [recoveryCode] = await activateApp(userId);
    await addPasskey(userId, 'laptop');
    await addPasskey(userId, 'phone');
    expect(errorOf(await passwordOnlyLogin('grace'))).toMatchObject({ code: 'MFA_REQUIRED', methods: ['otp', 'passkey'] });

    const run = await cli(['reset-mfa', 'Grace']);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 0,
      stdout: 'grace: 3 second factors removed, 2 sessions revoked\n',
      stderr: '',
    });

    expect(await server.deps.secondFactorStore.read(userId)).toStrictEqual(NO_FACTORS);
    expect(await server.deps.secondFactorStore.spendRecoveryCode(userId, recoveryCodeHash(normaliseRecoveryCode(recoveryCode) as string))).toBe(false);
    expect(await server.deps.sessions.list(userId)).toEqual([]);
    for (const { accessToken } of before) {
      const me = await server.call(ME, { token: accessToken });
      expect({ status: me.status, code: errorOf(me)?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    }
    // The password alone signs in again, with nothing else to show for it.
    const after = await signIn(server.call, 'grace', PASSWORD);
    expect(after.amr).toEqual(['pwd']);
    expect((await server.call(ME, { token: after.accessToken })).data).toEqual({ me: { username: 'grace' } });
  });

  it('prints JSON with --json, finds the user by id, and counts nothing the second time', async () => {
    const userId = await newUser('hopper');
    await signIn(server.call, 'hopper', PASSWORD);
    await addPasskey(userId, 'security-key');

    const first = await cli(['reset-mfa', userId, '--json']);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toEqual({ user: { id: userId, username: 'hopper' }, factorsRemoved: 1, sessionsRevoked: 1 });

    const again = await cli(['reset-mfa', 'hopper']);
    expect({ code: again.code, stdout: again.stdout }).toEqual({ code: 0, stdout: 'hopper: 0 second factors removed, 0 sessions revoked\n' });
  });

  it('exits 1 for an unknown user', async () => {
    expectOneLineError(await cli(['reset-mfa', 'nobody']), 1, /^error: No user with username or id "nobody"\n$/);
  });
});
