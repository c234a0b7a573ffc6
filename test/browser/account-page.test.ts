import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BROWSER_TEST_MS, launchChromium, pageProblems } from '../support/chromium';
import { AuthenticatorApp } from '../support/authenticator-app';
import { LOGIN, login } from '../support/graphql-caller';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts');
const USERNAME = 'linus';
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'staple horse battery correct';
const OTHER_DEVICE = 'second-device';
const STEP_WAIT_MS = 15_000;

describe('the account page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  /** localhost, not 127.0.0.1: WebAuthn accepts only a domain as the relying party. */
  let pageOrigin: string;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv());
    pageOrigin = `http://localhost:${new URL(server.url).port}`;
    await server.deps.accounts.create({ username: USERNAME, password: PASSWORD });
    browser = await launchChromium();
  }, BROWSER_TEST_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  interface InBrowser {
    readonly context: BrowserContext;
    readonly page: Page;
    /** Console errors (a CSP violation is one) and uncaught page errors, as they happen. */
    readonly problems: string[];
  }

  /** A fresh browser context and page for one test, closed whatever happens; `prepare` runs before the page opens. */
  async function inBrowser(run: (browsing: InBrowser) => Promise<void>, prepare?: (context: BrowserContext) => Promise<unknown>): Promise<void> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      await prepare?.(context);
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_WAIT_MS);
      await run({ context, page, problems: pageProblems(page) });
    } finally {
      await context.close();
    }
  }

  it('signs in with a password, revokes another session, changes the password and signs out', async () => {
    /** Requests to anywhere but the service: aborted, and there must be none. */
    const elsewhere: string[] = [];
    const keepToOrigin = (context: BrowserContext) =>
      context.route('**/*', async (route) => {
        const url = route.request().url();
        if (new URL(url).origin === pageOrigin) return route.continue();
        elsewhere.push(url);
        return route.abort();
      });
    await inBrowser(async ({ page, problems }) => {
      await mkdir(SCREENSHOTS, { recursive: true });

      const navigation = await page.goto(`${pageOrigin}/account`);
      expect(navigation?.status()).toBe(200);
      expect(navigation?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();

      // A wrong password: the service's own message, shown as text.
      await page.getByLabel('Username').fill(USERNAME);
      await page.getByLabel('Password', { exact: true }).fill('not the password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Invalid username or password' }).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'account-sign-in.png'), fullPage: true });

      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: `Signed in as ${USERNAME}` }).waitFor();

      const sessionRows = page.getByRole('table', { name: 'Your sessions' }).locator('tbody tr');
      await sessionRows.first().waitFor();
      expect(await sessionRows.count()).toBe(1);
      expect(await sessionRows.first().textContent()).toContain('This session');
      expect(await sessionRows.first().textContent()).toContain('password');

      // Another login of the same user, from elsewhere: the page lists it once reloaded, and revokes it.
      const other = await login(server.call, USERNAME, PASSWORD, OTHER_DEVICE);
      await page.getByRole('button', { name: 'Reload sessions' }).click();
      const revoke = page.getByRole('button', { name: new RegExp(`^Revoke session from ${OTHER_DEVICE} created .+`) });
      await revoke.waitFor();
      expect(await sessionRows.count()).toBe(2);
      await settleSecondFactors(page);
      await page.screenshot({ path: join(SCREENSHOTS, 'account-sessions.png'), fullPage: true });
      await revoke.click();
      await page.getByRole('status').filter({ hasText: 'Session revoked.' }).waitFor();
      expect(await sessionRows.count()).toBe(1);
      const refused = await server.call('{ me { username } }', { token: other.accessToken });
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      await page.getByLabel('Current password').fill(PASSWORD);
      await page.getByLabel('New password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'account-signed-in.png'), fullPage: true });
      const withOldPassword = await server.call(LOGIN, { variables: { input: { username: USERNAME, password: PASSWORD } } });
      expect(withOldPassword.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'account-signed-out.png'), fullPage: true });
      // The page's session ended on the service too: a new login sees only itself.
      const checker = await login(server.call, USERNAME, NEW_PASSWORD, 'checker');
      const sessions = await server.call('{ sessions { userAgent current } }', { token: checker.accessToken });
      expect(sessions.data?.sessions).toEqual([{ userAgent: 'checker', current: true }]);

      expect(elsewhere).toEqual([]);
      expect(problems).toEqual([]);
    }, keepToOrigin);
  }, BROWSER_TEST_MS);

  /** The password form, as a user fills it: by the labels a screen reader reads out. */
  async function signInWithPassword(page: Page, username: string): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: `Signed in as ${username}` }).waitFor();
  }

  it('registers a passkey with a virtual authenticator, signs out, and signs in with it alone', async () => {
    const username = 'grace';
    await server.deps.accounts.create({ username, password: PASSWORD });
    await inBrowser(async ({ context, page, problems }) => {
      // Chromium's own WebAuthn authenticator, driven through the DevTools protocol: a platform
      // passkey that holds resident keys and verifies its user (as a PIN or a fingerprint would).
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
      });

      await page.goto(`${pageOrigin}/account`);
      await signInWithPassword(page, username);
      await settleSecondFactors(page);

      await page.getByLabel('Name for the new passkey (optional)').fill('Test laptop');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByRole('status').filter({ hasText: 'Passkey added.' }).waitFor();
      await page.getByRole('button', { name: /^Remove passkey Test laptop created / }).waitFor();
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      expect(credentials[0].isResidentCredential).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, 'account-passkey-added.png'), fullPage: true });

      // The password alone no longer signs in: the account has a second factor now.
      const passwordOnly = await server.call(LOGIN, { variables: { input: { username, password: PASSWORD } } });
      expect(passwordOnly.errors?.[0]?.extensions).toEqual({ code: 'MFA_REQUIRED', methods: ['passkey'] });

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
      // No username, no password: the browser offers the passkey the authenticator holds.
      await page.getByLabel('Username').fill('');
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.getByRole('heading', { name: `Signed in as ${username}` }).waitFor();
      const currentRow = page.getByRole('table', { name: 'Your sessions' }).locator('tbody tr', { hasText: 'This session' });
      await currentRow.waitFor();
      expect(await currentRow.textContent()).toContain('passkey');
      await page.getByRole('button', { name: /^Remove passkey Test laptop created / }).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'account-passkey-signed-in.png'), fullPage: true });

      const { credentials: used } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(used[0].signCount).toBeGreaterThan(credentials[0].signCount);
      expect(problems).toEqual([]);
    });
  }, BROWSER_TEST_MS);

  it('sets up an authenticator app from the QR code page, then signs in with a code', async () => {
    const username = 'hopper';
    await server.deps.accounts.create({ username, password: PASSWORD });
    await inBrowser(async ({ page, problems }) => {
      await page.goto(`${pageOrigin}/account`);
      await signInWithPassword(page, username);

      await page.getByRole('button', { name: 'Set up authenticator app' }).click();
      await page.getByRole('img', { name: /QR code/i }).waitFor();
      const secret = (await page.locator('#totp-secret').textContent())?.trim() ?? '';
      const app = new AuthenticatorApp(`otpauth://totp/x?secret=${secret}`);
      await page.screenshot({ path: join(SCREENSHOTS, 'account-totp-qr.png'), fullPage: true });
      await page.getByRole('textbox', { name: 'Code from your authenticator app', exact: true }).fill(app.codeAt(Date.now()));
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: 'Your authenticator app is on.' }).waitFor();
      expect(await page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem').count()).toBe(10);
      await page.screenshot({ path: join(SCREENSHOTS, 'account-totp-on.png'), fullPage: true });

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const codeInput = page.getByLabel('Code from your authenticator app, or a recovery code');
      await codeInput.waitFor();
      // The confirming code's step is spent: the next one, within the drift the service allows.
      await codeInput.fill(app.codeAt(Date.now(), 1));
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: `Signed in as ${username}` }).waitFor();
      const currentRow = page.getByRole('table', { name: 'Your sessions' }).locator('tbody tr', { hasText: 'This session' });
      await currentRow.waitFor();
      expect(await currentRow.textContent()).toMatch(/code/i);
      expect(problems).toEqual([]);
    });
  }, BROWSER_TEST_MS);
});

/** The second-factor sections load on their own; wait until they show their state or their error. */
async function settleSecondFactors(page: Page): Promise<void> {
  await page
    .getByRole('button', { name: 'Set up authenticator app' })
    .or(page.getByRole('button', { name: 'Turn off authenticator app' }))
    .or(page.getByRole('status').filter({ hasText: 'Cannot show this now' }).first())
    .first()
    .waitFor();
}
