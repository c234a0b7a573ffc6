import { ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import { failClosed } from '@graphql-auth-service/subgraph/redis/unavailable';

function replyError(message: string): Error {
  const error = new Error(message);
  error.name = 'ReplyError';
  return error;
}

describe('failClosed', () => {
  it('answers SERVICE_UNAVAILABLE for an operation that never answers, once the deadline passes', async () => {
    const never = new Promise<string>(() => undefined);
    await expect(failClosed(() => never, 20)).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it.each(['CLUSTERDOWN The cluster is down', 'TRYAGAIN Multiple keys request during rehashing', 'READONLY You can\'t write against a read only replica.'])(
    'turns the transient reply %j into SERVICE_UNAVAILABLE',
    async (message) => {
      await expect(failClosed(() => Promise.reject(replyError(message)))).rejects.toBeInstanceOf(ServiceUnavailableError);
    },
  );

  it('turns a lost connection into SERVICE_UNAVAILABLE', async () => {
    await expect(failClosed(() => Promise.reject(new Error('Connection is closed.')))).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('lets a script error through as what it is: a bug, not an outage', async () => {
    const scriptError = replyError('ERR user_script:3: attempt to compare nil with number');
    await expect(failClosed(() => Promise.reject(scriptError))).rejects.toBe(scriptError);
  });

  it('keeps the message of a SERVICE_UNAVAILABLE raised inside', async () => {
    const unconfirmed = new ServiceUnavailableError('The change could not be confirmed by a replica; try again shortly');
    await expect(failClosed(() => Promise.reject(unconfirmed))).rejects.toBe(unconfirmed);
  });

  it('passes the answer through when it comes in time', async () => {
    await expect(failClosed(async () => 'OK')).resolves.toBe('OK');
  });
});

describe('failClosed during a failover', () => {
  it.each([
    'ERR Error running script (call to f_1): @user_script:7: @user_script: 7: -READONLY You can\'t write against a read only replica.',
    'MOVED 3999 127.0.0.1:6381',
    'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
  ])('answers SERVICE_UNAVAILABLE for %j', async (message) => {
    await expect(failClosed(() => Promise.reject(replyError(message)))).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
