import { statSync } from 'node:fs';
import { Client } from 'pg';
import { type LocalPostgres, startLocalPostgres } from '../../tools/postgres/launcher';

const START_MS = 60_000;

describe('the local PostgreSQL launcher', () => {
  let postgres: LocalPostgres | undefined;
  afterEach(async () => {
    await postgres?.stop();
    postgres = undefined;
  });

  it('starts a server on loopback with a password, its own database, and removes it all when stopped', async () => {
    postgres = await startLocalPostgres();
    const url = new URL(postgres.url);
    expect({ protocol: url.protocol, host: url.hostname, user: url.username, database: url.pathname }).toEqual({
      protocol: 'postgres:',
      host: '127.0.0.1',
      user: 'auth',
      database: '/auth',
    });

    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    const { rows } = await client.query<{ data: string; database: string }>(
      "SELECT current_setting('data_directory') AS data, current_database() AS database",
    );
    await client.query('CREATE TABLE probe (id int PRIMARY KEY, note text)');
    await client.query("INSERT INTO probe VALUES (1, 'written')");
    expect((await client.query('SELECT note FROM probe')).rows).toEqual([{ note: 'written' }]);
    await client.end();
    expect(rows[0].database).toBe('auth');
    // Run as root, the server's files belong to the postgres user: PostgreSQL refuses root.
    if (process.getuid?.() === 0) expect(statSync(rows[0].data).uid).not.toBe(0);

    const wrongPassword = new Client({ connectionString: postgres.url.replace(/:[^:@]+@/, ':not-the-password@') });
    await expect(wrongPassword.connect()).rejects.toThrow(/password authentication failed/);

    await postgres.stop();
    const afterStop = new Client({ connectionString: postgres.url });
    await expect(afterStop.connect()).rejects.toThrow(/ECONNREFUSED/);
    expect(() => statSync(rows[0].data)).toThrow(/ENOENT/);
    postgres = undefined;
  }, START_MS);
});
