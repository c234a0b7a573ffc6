'use strict';
/**
 * `npm test`'s first step (npm runs it as `pretest`): the Debian packages the tests start
 * or drive must be on this machine. Missing ones are installed with apt-get when run as
 * root; otherwise it stops at once, naming the command to run.
 */
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync } = require('node:fs');

const POSTGRES_ROOT = '/usr/lib/postgresql';

/** `initdb` of each PostgreSQL version installed (Debian keeps them side by side). */
function postgresBinaries() {
  const versions = existsSync(POSTGRES_ROOT) ? readdirSync(POSTGRES_ROOT) : [];
  return versions.length === 0 ? [`${POSTGRES_ROOT}/<version>/bin/initdb`] : versions.map((version) => `${POSTGRES_ROOT}/${version}/bin/initdb`);
}

/** What the tests run, by the Debian package that brings it. */
const NEEDED = [
  { pkg: 'redis-server', binaries: () => ['/usr/bin/redis-server'], why: 'the Redis Cluster the tests start' },
  { pkg: 'chromium', binaries: () => ['/usr/bin/chromium'], why: 'the browser tests' },
  { pkg: 'postgresql', binaries: postgresBinaries, why: 'the PostgreSQL server the tests start' },
];

/** The packages whose binaries are all missing (a package counts as present when any of them is). */
function missingPackages(exists = existsSync) {
  return NEEDED.filter(({ binaries }) => !binaries().some((binary) => exists(binary)));
}

/** The commands that install them, each through sudo for a user who is not root. */
function installCommand(packages, sudo = '') {
  return `${sudo}apt-get update && ${sudo}apt-get install -y ${packages.map(({ pkg }) => pkg).join(' ')}`;
}

function main() {
  const missing = missingPackages();
  if (missing.length === 0) return;
  const list = missing.map(({ pkg, why }) => `${pkg} (${why})`).join(', ');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    process.stderr.write(`npm test needs ${list}. Install with:\n  ${installCommand(missing, 'sudo ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`npm test needs ${list}: installing with apt-get\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', ...missing.map(({ pkg }) => pkg)], { stdio: 'inherit', env });
}

if (require.main === module) main();

module.exports = { missingPackages, installCommand };
