import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Cluster } from 'ioredis';
import { tryToConnect } from '../support/try-to-connect';

describe('npm run cluster', () => {
  it('starts a 3-master, 3-replica cluster, prints REDIS_CLUSTER_NODES, and cleans up on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/cluster.ts'], {
      cwd: `${__dirname}/../..`,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const nodesLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /^REDIS_CLUSTER_NODES=(\S+)$/m.exec(output);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`cluster script exited with ${code}:\n${output}`)));
    });
    const nodes = nodesLine.split(',').map((entry) => ({ host: entry.split(':')[0], port: Number(entry.split(':')[1]) }));
    expect(nodes).toHaveLength(6);

    const client = new Cluster(nodes);
    try {
      await client.set('npm-run-cluster:probe', 'works');
      expect(await client.get('npm-run-cluster:probe')).toBe('works');
      expect(client.nodes('master')).toHaveLength(3);
    } finally {
      client.disconnect();
    }

    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const [code] = await exited;
    expect(code).toBe(0);
    for (const node of nodes) expect(await tryToConnect(node)).toMatchObject({ code: 'ECONNREFUSED' });
  }, 60_000);
});
