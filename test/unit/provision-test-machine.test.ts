// eslint-disable-next-line @typescript-eslint/no-require-imports -- the script is plain CommonJS: it runs before anything is compiled
const { missingPackages, installCommand } = require('../../scripts/provision-test-machine.js') as {
  missingPackages(exists: (path: string) => boolean): { pkg: string }[];
  installCommand(packages: { pkg: string }[], sudo?: string): string;
};

describe("npm test's provisioning step", () => {
  it('names nothing on a machine that has every binary', () => {
    expect(missingPackages(() => true)).toEqual([]);
  });

  it('names each missing package once, with the apt-get command that installs them together', () => {
    const missing = missingPackages((path) => path !== '/usr/bin/chromium');
    expect(missing.map(({ pkg }) => pkg)).toEqual(['chromium']);
    const none = missingPackages(() => false);
    expect(installCommand(none)).toBe('apt-get update && apt-get install -y redis-server chromium postgresql');
    expect(installCommand(missing, 'sudo ')).toBe('sudo apt-get update && sudo apt-get install -y chromium');
  });
});
