export function commonServerArgs(host: string, port: number, dir: string): string[] {
  return [
    '--port', String(port),
    '--bind', host,
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--protected-mode', 'no',
  ];
}

export function clusterServerArgs(host: string, port: number, dir: string): string[] {
  return [
    ...commonServerArgs(host, port, dir),
    '--cluster-enabled', 'yes',
    // Relative to --dir, so a restarted node finds its own config again.
    '--cluster-config-file', 'nodes.conf',
    '--cluster-node-timeout', '2000',
    // The default 5 s delay before a diskless full sync would leave replicas
    // unsynced (and so unable to fail over) for the first seconds of every test run.
    '--repl-diskless-sync-delay', '0',
  ];
}
