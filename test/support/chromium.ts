import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium: playwright-core downloads no browser. */
const CHROMIUM = '/usr/bin/chromium';

/** Long enough for a cold browser start on a small machine. */
export const BROWSER_TEST_MS = 30_000;

/** Headless Chromium as the browser tests drive it: no sandbox (root in CI), no GPU, no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Every console error and uncaught error the page reports, as it happens; a test expects none. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}
