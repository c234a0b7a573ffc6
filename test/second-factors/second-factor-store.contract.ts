import { newUserId } from '@graphql-auth-service/subgraph/ids';
import type { PendingTotp, SecondFactorStore, SpentChallenge, StoredPasskey } from '../../src/second-factors/second-factor-store';

export interface SecondFactorStoreUnderTest {
  readonly store: SecondFactorStore;
  close(): Promise<void>;
}

const TEN_MINUTES = 600_000;
const RACERS = 20;
let challengeCount = 0;

/** A sign-in challenge answered for the first time, good for ten minutes from the tests' now. */
function freshChallenge(expiresAt = Date.now() + TEN_MINUTES): SpentChallenge {
  challengeCount += 1;
  return { digest: `challenge-${challengeCount}-${Math.random().toString(36).slice(2)}`, expiresAt };
}

/** Nothing about a user: what a user who never set up a factor reads as. */
const NO_FACTORS = { recoveryCodesLeft: 0, passkeys: [] };

/**
 * One suite, run with identical assertions against every SecondFactorStore: the Redis
 * store and the in-memory store must not be told apart.
 */
export function describeSecondFactorStoreContract(name: string, make: () => Promise<SecondFactorStoreUnderTest>): void {
  describe(`${name} second-factor store`, () => {
    let underTest: SecondFactorStoreUnderTest;
    let store: SecondFactorStore;
    let now: number;
    let userId: string;

    beforeEach(async () => {
      underTest = await make();
      store = underTest.store;
      now = Date.now();
      userId = newUserId(now);
    });
    afterEach(() => underTest.close());

    const pending = (sealedSecret: string, expiresAt = now + TEN_MINUTES): PendingTotp => ({ sealedSecret, expiresAt });

    /** A passkey as registration stores it: never used yet. */
    function passkey(id: string, extra: Partial<StoredPasskey> = {}): StoredPasskey {
      return {
        id,
        publicKey: `public-key-of-${id}`,
        counter: 0,
        transports: ['internal', 'hybrid'],
        deviceType: 'multiDevice',
        backedUp: true,
        name: `passkey ${id}`,
        createdAt: now,
        ...extra,
      };
    }

    /** An enrolment confirmed with a code of `step`: the app is on, with these recovery codes. */
    async function activatedApp(sealedSecret: string, recoveryCodeHashes: readonly string[], step = 1_000, user = userId): Promise<void> {
      await store.savePendingTotp(user, pending(sealedSecret));
      expect(await store.activateTotp(user, { sealedSecret, recoveryCodeHashes, step, nowMs: now })).toBe(true);
    }

    describe('read', () => {
      it('finds no factor for a user it never saw', async () => {
        expect(await store.read(userId)).toStrictEqual(NO_FACTORS);
      });
    });

    describe('authenticator app', () => {
      it('keeps one pending secret: a newer enrolment replaces the unconfirmed one, and only it can be activated', async () => {
        await store.savePendingTotp(userId, pending('sealed-first'));
        await store.savePendingTotp(userId, pending('sealed-second', now + 2 * TEN_MINUTES));
        expect(await store.read(userId)).toStrictEqual({ ...NO_FACTORS, pendingTotp: pending('sealed-second', now + 2 * TEN_MINUTES) });

        const confirming = { recoveryCodeHashes: ['rc-1'], step: 7, nowMs: now + 5 };
        expect(await store.activateTotp(userId, { ...confirming, sealedSecret: 'sealed-first' })).toBe(false);
        expect(await store.activateTotp(userId, { ...confirming, sealedSecret: 'sealed-second' })).toBe(true);
        expect(await store.read(userId)).toStrictEqual({
          totp: { sealedSecret: 'sealed-second', confirmedAt: now + 5 },
          recoveryCodesLeft: 1,
          passkeys: [],
        });
      });

      it('refuses to activate a secret that is no longer pending: never enrolled, expired, or already active', async () => {
        const activation = { sealedSecret: 'sealed', recoveryCodeHashes: ['rc-1', 'rc-2'], step: 3 };
        expect(await store.activateTotp(userId, { ...activation, nowMs: now })).toBe(false);

        await store.savePendingTotp(userId, pending('sealed', now + 1_000));
        expect(await store.activateTotp(userId, { ...activation, nowMs: now + 1_000 })).toBe(false);
        expect(await store.activateTotp(userId, { ...activation, nowMs: now + 5_000 })).toBe(false);
        expect(await store.read(userId)).toStrictEqual({ ...NO_FACTORS, pendingTotp: pending('sealed', now + 1_000) });

        expect(await store.activateTotp(userId, { ...activation, nowMs: now + 999 })).toBe(true);
        expect(await store.activateTotp(userId, { ...activation, nowMs: now + 999 })).toBe(false);
        expect(await store.read(userId)).toStrictEqual({ totp: { sealedSecret: 'sealed', confirmedAt: now + 999 }, recoveryCodesLeft: 2, passkeys: [] });
      });

      it('gives an activation new recovery codes: the earlier ones no longer spend', async () => {
        await activatedApp('sealed-first', ['old-1', 'old-2', 'old-3']);
        expect((await store.read(userId)).recoveryCodesLeft).toBe(3);

        await activatedApp('sealed-second', ['new-1', 'new-2'], 2_000);
        expect(await store.read(userId)).toStrictEqual({ totp: { sealedSecret: 'sealed-second', confirmedAt: now }, recoveryCodesLeft: 2, passkeys: [] });
        expect(await store.spendRecoveryCode(userId, 'old-1')).toBe(false);
        expect(await store.spendRecoveryCode(userId, 'new-1')).toBe(true);
      });

      it("uses up the confirming code's step: only later steps are claimed after activation", async () => {
        await activatedApp('sealed', ['rc-1'], 1_000);
        expect(await store.claimTotpStep(userId, 999)).toBe(false);
        expect(await store.claimTotpStep(userId, 1_000)).toBe(false);
        expect(await store.claimTotpStep(userId, 1_001)).toBe(true);
      });

      it('claims a step only when it is later than every step claimed before', async () => {
        expect(await store.claimTotpStep(userId, 0)).toBe(true);
        expect(await store.claimTotpStep(userId, 0)).toBe(false);
        expect(await store.claimTotpStep(userId, 10)).toBe(true);
        expect(await store.claimTotpStep(userId, 10)).toBe(false);
        expect(await store.claimTotpStep(userId, 9)).toBe(false);
        expect(await store.claimTotpStep(userId, 11)).toBe(true);
        expect(await store.claimTotpStep(userId, 10)).toBe(false);
      });

      it("keeps each user's steps apart", async () => {
        const otherUser = newUserId(now + 1);
        expect(await store.claimTotpStep(userId, 50)).toBe(true);
        expect(await store.claimTotpStep(otherUser, 50)).toBe(true);
        expect(await store.claimTotpStep(otherUser, 49)).toBe(false);
      });

      it('removes the app with its recovery codes and any pending secret, and says whether there was an app', async () => {
        expect(await store.removeTotp(userId)).toBe(false);

        await store.savePendingTotp(userId, pending('sealed-pending'));
        expect(await store.removeTotp(userId)).toBe(false);
        expect(await store.read(userId)).toStrictEqual(NO_FACTORS);

        const kept = passkey('kept');
        expect(await store.addPasskey(userId, kept, 5)).toBe(true);
        await activatedApp('sealed', ['rc-1', 'rc-2'], 1_000);
        await store.savePendingTotp(userId, pending('sealed-next'));
        expect(await store.removeTotp(userId)).toBe(true);

        expect(await store.read(userId)).toStrictEqual({ ...NO_FACTORS, passkeys: [kept] });
        expect(await store.spendRecoveryCode(userId, 'rc-1')).toBe(false);
        expect(await store.activateTotp(userId, { sealedSecret: 'sealed-next', recoveryCodeHashes: [], step: 1_001, nowMs: now })).toBe(false);
        expect(await store.removeTotp(userId)).toBe(false);
        // The next app's codes start afresh: steps used with the removed secret do not count.
        expect(await store.claimTotpStep(userId, 1_000)).toBe(true);
      });
    });

    describe('recovery codes', () => {
      it('spends a code once, refuses it ever after, and refuses codes never issued', async () => {
        await activatedApp('sealed', ['rc-1', 'rc-2', 'rc-3']);

        expect(await store.spendRecoveryCode(userId, 'rc-2')).toBe(true);
        expect(await store.spendRecoveryCode(userId, 'rc-2')).toBe(false);
        expect(await store.spendRecoveryCode(userId, 'never-issued')).toBe(false);
        expect((await store.read(userId)).recoveryCodesLeft).toBe(2);
      });

      it("refuses a code for a user who has none, and another user's code", async () => {
        const otherUser = newUserId(now + 1);
        expect(await store.spendRecoveryCode(userId, 'rc-1')).toBe(false);

        await activatedApp('sealed', ['rc-1'], 1_000, otherUser);
        expect(await store.spendRecoveryCode(userId, 'rc-1')).toBe(false);
        expect(await store.spendRecoveryCode(otherUser, 'rc-1')).toBe(true);
      });
    });

    describe('passkeys', () => {
      it('adds passkeys and reads them back as registered, oldest first', async () => {
        const newer = passkey('newer', { createdAt: now + 1, counter: 7 });
        const { name: _name, ...unnamed } = passkey('older', { transports: [], deviceType: 'singleDevice', backedUp: false });
        expect(await store.addPasskey(userId, newer, 5)).toBe(true);
        expect(await store.addPasskey(userId, unnamed, 5)).toBe(true);

        expect(await store.read(userId)).toStrictEqual({ ...NO_FACTORS, passkeys: [unnamed, newer] });
      });

      it('refuses a passkey whose id the user has already, and keeps the first', async () => {
        const first = passkey('same-id');
        expect(await store.addPasskey(userId, first, 5)).toBe(true);
        expect(await store.addPasskey(userId, passkey('same-id', { publicKey: 'another key', name: 'impostor', createdAt: now + 1 }), 5)).toBe(false);

        expect((await store.read(userId)).passkeys).toStrictEqual([first]);
      });

      it('refuses a passkey beyond `max`, counting passkeys only', async () => {
        await activatedApp('sealed', ['rc-1', 'rc-2', 'rc-3']);
        expect(await store.addPasskey(userId, passkey('one'), 2)).toBe(true);
        expect(await store.addPasskey(userId, passkey('two', { createdAt: now + 1 }), 2)).toBe(true);
        expect(await store.addPasskey(userId, passkey('three', { createdAt: now + 2 }), 2)).toBe(false);

        expect((await store.read(userId)).passkeys.map((stored) => stored.id)).toEqual(['one', 'two']);
        expect(await store.addPasskey(userId, passkey('three', { createdAt: now + 2 }), 3)).toBe(true);
      });

      it('answers unknown for a credential the user does not have', async () => {
        const otherUser = newUserId(now + 1);
        expect(await store.usePasskey(userId, 'nowhere', 1, now, freshChallenge())).toBe('unknown');

        expect(await store.addPasskey(otherUser, passkey('theirs'), 5)).toBe(true);
        expect(await store.usePasskey(userId, 'theirs', 1, now, freshChallenge())).toBe('unknown');
        expect(await store.usePasskey(otherUser, 'nowhere', 1, now, freshChallenge())).toBe('unknown');
      });

      it('records a use only when the counter increased, with its counter and time', async () => {
        const registered = passkey('counting', { counter: 5 });
        expect(await store.addPasskey(userId, registered, 5)).toBe(true);

        expect(await store.usePasskey(userId, 'counting', 5, now + 1, freshChallenge())).toBe('counter-not-increased');
        expect(await store.usePasskey(userId, 'counting', 4, now + 2, freshChallenge())).toBe('counter-not-increased');
        expect(await store.usePasskey(userId, 'counting', 0, now + 3, freshChallenge())).toBe('counter-not-increased');
        expect((await store.read(userId)).passkeys).toStrictEqual([registered]);

        expect(await store.usePasskey(userId, 'counting', 6, now + 10, freshChallenge())).toBe('used');
        expect((await store.read(userId)).passkeys).toStrictEqual([{ ...registered, counter: 6, lastUsedAt: now + 10 }]);
        expect(await store.usePasskey(userId, 'counting', 6, now + 20, freshChallenge())).toBe('counter-not-increased');
        expect(await store.usePasskey(userId, 'counting', 40, now + 30, freshChallenge())).toBe('used');
        expect((await store.read(userId)).passkeys).toStrictEqual([{ ...registered, counter: 40, lastUsedAt: now + 30 }]);
      });

      it('accepts a counter of zero again and again from an authenticator that keeps none, until it starts counting', async () => {
        const registered = passkey('no-counter');
        expect(await store.addPasskey(userId, registered, 5)).toBe(true);

        expect(await store.usePasskey(userId, 'no-counter', 0, now + 1, freshChallenge())).toBe('used');
        expect(await store.usePasskey(userId, 'no-counter', 0, now + 2, freshChallenge())).toBe('used');
        expect((await store.read(userId)).passkeys).toStrictEqual([{ ...registered, counter: 0, lastUsedAt: now + 2 }]);

        expect(await store.usePasskey(userId, 'no-counter', 1, now + 3, freshChallenge())).toBe('used');
        expect(await store.usePasskey(userId, 'no-counter', 0, now + 4, freshChallenge())).toBe('counter-not-increased');
        expect((await store.read(userId)).passkeys).toStrictEqual([{ ...registered, counter: 1, lastUsedAt: now + 3 }]);
      });

      it('removes a passkey, which then is unknown and may be registered again', async () => {
        const kept = passkey('kept', { createdAt: now + 1 });
        expect(await store.removePasskey(userId, 'gone')).toBe(false);
        expect(await store.addPasskey(userId, passkey('gone', { counter: 9 }), 2)).toBe(true);
        expect(await store.addPasskey(userId, kept, 2)).toBe(true);

        expect(await store.removePasskey(userId, 'gone')).toBe(true);
        expect(await store.removePasskey(userId, 'gone')).toBe(false);
        expect(await store.read(userId)).toStrictEqual({ ...NO_FACTORS, passkeys: [kept] });
        expect(await store.usePasskey(userId, 'gone', 10, now, freshChallenge())).toBe('unknown');

        const again = passkey('gone', { createdAt: now + 2 });
        expect(await store.addPasskey(userId, again, 2)).toBe(true);
        expect((await store.read(userId)).passkeys).toStrictEqual([kept, again]);
      });
    });

    describe('removeAll', () => {
      it('removes every factor of the user, counting the app and each passkey, and leaves nothing', async () => {
        const otherUser = newUserId(now + 1);
        const theirs = passkey('theirs');
        expect(await store.addPasskey(otherUser, theirs, 5)).toBe(true);

        await activatedApp('sealed', ['rc-1', 'rc-2'], 1_000);
        await store.savePendingTotp(userId, pending('sealed-next'));
        expect(await store.addPasskey(userId, passkey('one'), 5)).toBe(true);
        expect(await store.addPasskey(userId, passkey('two', { createdAt: now + 1 }), 5)).toBe(true);

        expect(await store.removeAll(userId)).toBe(3);
        expect(await store.read(userId)).toStrictEqual(NO_FACTORS);
        expect(await store.spendRecoveryCode(userId, 'rc-1')).toBe(false);
        expect(await store.usePasskey(userId, 'one', 1, now, freshChallenge())).toBe('unknown');
        expect(await store.activateTotp(userId, { sealedSecret: 'sealed-next', recoveryCodeHashes: [], step: 1_001, nowMs: now })).toBe(false);
        expect(await store.removeAll(userId)).toBe(0);

        expect(await store.read(otherUser)).toStrictEqual({ ...NO_FACTORS, passkeys: [theirs] });
      });

      it('counts passkeys alone, and neither a pending secret nor recovery codes as factors', async () => {
        expect(await store.removeAll(userId)).toBe(0);

        await store.savePendingTotp(userId, pending('sealed-pending'));
        expect(await store.removeAll(userId)).toBe(0);
        expect(await store.read(userId)).toStrictEqual(NO_FACTORS);

        expect(await store.addPasskey(userId, passkey('only'), 5)).toBe(true);
        expect(await store.removeAll(userId)).toBe(1);
        expect(await store.read(userId)).toStrictEqual(NO_FACTORS);
      });
    });

    describe('racing requests', () => {
      it(`lets one of ${RACERS} concurrent spends of a recovery code succeed`, async () => {
        await activatedApp('sealed', ['rc-1', 'rc-2']);
        const spent = await Promise.all(Array.from({ length: RACERS }, () => store.spendRecoveryCode(userId, 'rc-1')));
        expect(spent.filter((accepted) => accepted)).toEqual([true]);
        expect((await store.read(userId)).recoveryCodesLeft).toBe(1);
      });

      it(`lets one of ${RACERS} concurrent claims of a step succeed`, async () => {
        await activatedApp('sealed', ['rc-1'], 1_000);
        const claimed = await Promise.all(Array.from({ length: RACERS }, () => store.claimTotpStep(userId, 1_001)));
        expect(claimed.filter((accepted) => accepted)).toEqual([true]);
      });

      it(`adds no more than max passkeys when ${RACERS} registrations race`, async () => {
        const added = await Promise.all(
          Array.from({ length: RACERS }, (_, index) => store.addPasskey(userId, passkey(`racer-${index}`, { createdAt: now + index }), 5)),
        );
        expect(added.filter((accepted) => accepted)).toHaveLength(5);
        expect((await store.read(userId)).passkeys).toHaveLength(5);
      });

      it(`spends a challenge once, also when ${RACERS} answers to it race from an authenticator that keeps no counter`, async () => {
        expect(await store.addPasskey(userId, passkey('replayed'), 5)).toBe(true);
        const challenge = freshChallenge(now + TEN_MINUTES);
        const uses = await Promise.all(Array.from({ length: RACERS }, () => store.usePasskey(userId, 'replayed', 0, now, challenge)));
        expect(uses.filter((use) => use === 'used')).toHaveLength(1);
        expect(uses.filter((use) => use === 'challenge-spent')).toHaveLength(RACERS - 1);
        expect(await store.usePasskey(userId, 'replayed', 0, now + 1, challenge)).toBe('challenge-spent');
        // Once it would have expired anyway it is forgotten: the challenge's own expiry refuses it then.
        expect(await store.usePasskey(userId, 'replayed', 0, now + TEN_MINUTES, challenge)).toBe('used');
      });

      it(`records one of ${RACERS} concurrent uses of a passkey with the same counter, as a cloned authenticator would send`, async () => {
        expect(await store.addPasskey(userId, passkey('cloned', { counter: 3 }), 5)).toBe(true);
        const uses = await Promise.all(Array.from({ length: RACERS }, () => store.usePasskey(userId, 'cloned', 4, now, freshChallenge())));
        expect(uses.filter((use) => use === 'used')).toHaveLength(1);
        expect(uses.filter((use) => use === 'counter-not-increased')).toHaveLength(RACERS - 1);
      });
    });
  });
}
