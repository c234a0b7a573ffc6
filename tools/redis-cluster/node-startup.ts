import type { RedisAddress } from './address';
import { describeExit, isMissingBinary } from './child-exit';
import { withConnection } from './connection';
import { errorMessage } from './error-message';
import { RedisNodeStartError, RedisPortTakenError, RedisServerMissingError } from './errors';
import { spawnRedisServer, type RedisServerProcess } from './redis-process';
import { sleep } from './timing';

const NODE_START_TIMEOUT_MS = 10_000;
const PING_POLL_INTERVAL_MS = 20;

export interface NodeStartup {
  redisServerPath: string;
  address: RedisAddress;
  args: readonly string[];
  /** Sees the process before the PING wait, so cleanup can reach a node that is still starting. */
  onSpawned(server: RedisServerProcess): void;
}

/** Spawns redis-server and resolves once it answers PING; a failed start rejects with the server's last output. */
export async function spawnAndAwaitPing({ redisServerPath, address, args, onSpawned }: NodeStartup): Promise<void> {
  const server = spawnRedisServer(redisServerPath, address, args);
  onSpawned(server);
  try {
    await waitUntilAnswersPing(server, NODE_START_TIMEOUT_MS);
  } catch (error) {
    const exit = server.isRunning() ? undefined : await server.exited;
    if (exit && isMissingBinary(exit)) throw new RedisServerMissingError([redisServerPath], { cause: exit.spawnError });
    throw error;
  }
}

async function waitUntilAnswersPing(server: RedisServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt made';
  while (Date.now() < deadline) {
    if (!server.isRunning()) {
      const exit = await server.exited;
      // Give the pipes a moment to deliver the final log lines that explain the exit.
      await sleep(50);
      const output = server.outputTail();
      const ErrorType = /address already in use/i.test(output) ? RedisPortTakenError : RedisNodeStartError;
      throw new ErrorType(server.address, `process ${describeExit(exit)} before answering PING`, output);
    }
    try {
      const reply = await withConnection(server.address, (client) => client.ping());
      if (reply === 'PONG') return;
      lastError = `unexpected PING reply ${JSON.stringify(reply)}`;
    } catch (error) {
      lastError = errorMessage(error);
    }
    await sleep(PING_POLL_INTERVAL_MS);
  }
  throw new RedisNodeStartError(
    server.address,
    `no PONG within ${timeoutMs} ms (last error: ${lastError})`,
    server.outputTail(),
  );
}
