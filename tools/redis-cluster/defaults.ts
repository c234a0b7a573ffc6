/** Defaults shared by startLocalCluster and startStandaloneRedis. */
export const DEFAULT_HOST = '127.0.0.1';

export const noopLog = (): void => {};
