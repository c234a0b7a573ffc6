import { describeReadiness, type NodeReadiness } from './node-probe';
import { formatAddress, type RedisAddress } from './options';

export class LocalRedisError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class RedisServerMissingError extends LocalRedisError {
  constructor(
    readonly searchedPaths: readonly string[],
    options?: ErrorOptions,
  ) {
    super('redis-server was not found; install it with: apt-get install redis-server', options);
  }
}

export class RedisCliMissingError extends LocalRedisError {
  constructor(
    readonly searchedPaths: readonly string[],
    options?: ErrorOptions,
  ) {
    super('redis-cli was not found; install it with: apt-get install redis-tools', options);
  }
}

export class OpensslMissingError extends LocalRedisError {
  constructor(options?: ErrorOptions) {
    super('openssl was not found (a TLS launch makes its certificates with it); install it with: apt-get install openssl', options);
  }
}

export class CertificateError extends LocalRedisError {
  constructor(
    reason: string,
    readonly output: string,
  ) {
    super(`making a certificate failed: ${reason}` + (output ? `\n--- openssl output ---\n${output}` : ''));
  }
}

export class InvalidClusterOptionsError extends LocalRedisError {}

export class PortAllocationError extends LocalRedisError {}

export class RedisNodeStartError extends LocalRedisError {
  constructor(
    readonly address: RedisAddress,
    reason: string,
    readonly outputTail: string,
  ) {
    super(
      `redis-server on ${formatAddress(address)} failed to start: ${reason}` +
        (outputTail ? `\n--- last output ---\n${outputTail}` : ''),
    );
  }
}

/** The server lost the race for its port to another process; retrying on a fresh port is safe. */
export class RedisPortTakenError extends RedisNodeStartError {}

export class ClusterCreateError extends LocalRedisError {
  constructor(
    reason: string,
    readonly output: string,
  ) {
    super(`redis-cli --cluster create ${reason}` + (output ? `\n--- redis-cli output ---\n${output}` : ''));
  }
}

export class ClusterNotReadyError extends LocalRedisError {
  constructor(
    timeoutMs: number,
    readonly lastState: readonly NodeReadiness[],
  ) {
    super(
      `cluster did not become ready within ${timeoutMs} ms; last state:\n` +
        lastState.map((node) => `  ${describeReadiness(node)}`).join('\n'),
    );
  }
}

export class UnknownNodeError extends LocalRedisError {
  constructor(readonly port: number) {
    super(`no node of this local cluster listens on port ${port}`);
  }
}

export class LauncherStoppedError extends LocalRedisError {
  constructor() {
    super('the local cluster was stopped; start a new one instead');
  }
}
