import type { AccountTokenStore } from '../../src/accounts/account-token-store';

export interface AccountTokenStoreUnderTest {
  readonly store: AccountTokenStore;
  close(): Promise<void>;
}

const DAY = 86_400_000;

/** What every account-token store must do; run against each implementation. */
export function describeAccountTokenStoreContract(name: string, make: () => Promise<AccountTokenStoreUnderTest>): void {
  describe(`${name} account-token store`, () => {
    let underTest: AccountTokenStoreUnderTest;
    let store: AccountTokenStore;
    beforeEach(async () => {
      underTest = await make();
      store = underTest.store;
    });
    afterEach(() => underTest.close());

    it('gives back the payload of a token once, then never again', async () => {
      const token = await store.issue('password-reset', { userId: 'u-1', passwordStamp: 'abc' }, DAY);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await store.consume('password-reset', token)).toEqual({ userId: 'u-1', passwordStamp: 'abc' });
      expect(await store.consume('password-reset', token)).toBeUndefined();
    });

    it('shows a payload without spending its token', async () => {
      const token = await store.issue('invitation', { email: 'd@example.com' }, DAY);
      expect(await store.peek('invitation', token)).toEqual({ email: 'd@example.com' });
      expect(await store.peek('verify-email', token)).toBeUndefined();
      expect(await store.consume('invitation', token)).toEqual({ email: 'd@example.com' });
      expect(await store.peek('invitation', token)).toBeUndefined();
    });

    it('issues a different token every time, each with its own payload', async () => {
      const first = await store.issue('verify-email', { email: 'a@example.com' }, DAY);
      const second = await store.issue('verify-email', { email: 'b@example.com' }, DAY);
      expect(first).not.toBe(second);
      expect(await store.consume('verify-email', second)).toEqual({ email: 'b@example.com' });
      expect(await store.consume('verify-email', first)).toEqual({ email: 'a@example.com' });
    });

    it('does not accept a token for another purpose, and leaves it usable for its own', async () => {
      const token = await store.issue('verify-email', { userId: 'u-1' }, DAY);
      expect(await store.consume('password-reset', token)).toBeUndefined();
      expect(await store.consume('verify-email', token)).toEqual({ userId: 'u-1' });
    });

    it('refuses tokens it never issued, whatever their shape', async () => {
      for (const token of ['', 'x', 'A'.repeat(43), 'not a token at all, with spaces', 'A'.repeat(10_000)]) {
        expect(await store.consume('invitation', token)).toBeUndefined();
      }
    });

    it('hands one payload to one of twenty requests racing with the same token', async () => {
      const token = await store.issue('invitation', { email: 'c@example.com' }, DAY);
      const answers = await Promise.all(Array.from({ length: 20 }, () => store.consume('invitation', token)));
      expect(answers.filter((answer) => answer !== undefined)).toEqual([{ email: 'c@example.com' }]);
    });
  });
}
