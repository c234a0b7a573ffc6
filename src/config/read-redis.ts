import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HostPort, RedisAccess, RedisConfig, RedisTlsConfig } from '@graphql-auth-service/subgraph/redis/redis-config';
import { errorCodeSuffix } from '../tokens/error-code';
import type { ReadTextFile } from '../tokens/key-material';
import type { EnvReader } from './env-reader';

const ACCESS_VARIABLES = [
  'REDIS_USERNAME',
  'REDIS_PASSWORD',
  'REDIS_TLS',
  'REDIS_TLS_CA_FILE',
  'REDIS_TLS_CERT_FILE',
  'REDIS_TLS_KEY_FILE',
] as const;

/**
 * Where the store lives and how to get in. REDIS_CLUSTER_NODES or REDIS_URL (else memory);
 * credentials from REDIS_USERNAME / REDIS_PASSWORD or from the URL (both only where they
 * agree); TLS with REDIS_TLS=true or a rediss:// URL, the certificate files read here, at
 * start, so a missing or wrong file stops the start instead of the first connection.
 */
export function readRedis(read: EnvReader, readFile: ReadTextFile = (path) => readFileSync(path, 'utf8')): RedisConfig {
  const clusterNodes = read.raw('REDIS_CLUSTER_NODES');
  const url = read.raw('REDIS_URL');
  if (clusterNodes !== undefined && url !== undefined) {
    read.fail('REDIS_CLUSTER_NODES and REDIS_URL are both set: choose the cluster or the single node');
  }
  if (clusterNodes !== undefined) {
    const nodes = clusterNodes.split(',').map((entry) => parseHostPort(entry.trim()));
    const access = readAccess(read, readFile, {});
    if (nodes.some((node) => node === undefined)) {
      read.fail(`REDIS_CLUSTER_NODES=${JSON.stringify(clusterNodes)}: expected comma-separated host:port pairs`);
      return { kind: 'memory' };
    }
    return { kind: 'cluster', nodes: nodes as HostPort[], ...access };
  }
  if (url !== undefined) {
    // Never echoed: the URL may carry a password.
    if (!/^rediss?:\/\//i.test(url) || !URL.canParse(url)) {
      read.fail('REDIS_URL: expected a redis:// or rediss:// URL');
      return { kind: 'memory' };
    }
    const split = splitUrl(url);
    if (split === undefined) {
      read.fail('REDIS_URL: its user name or password is not valid percent-encoding (%XX)');
      return { kind: 'memory' };
    }
    const { address, ...fromUrl } = split;
    return { kind: 'single', url: address, ...readAccess(read, readFile, fromUrl) };
  }
  const unused = ACCESS_VARIABLES.filter((name) => read.raw(name) !== undefined);
  if (unused.length > 0) {
    read.fail(`${unused.join(', ')} ${unused.length === 1 ? 'is' : 'are'} set but no Redis is: set REDIS_CLUSTER_NODES or REDIS_URL`);
  }
  return { kind: 'memory' };
}

/** What REDIS_URL says about access: its credentials (decoded) and whether its scheme is rediss. */
interface UrlAccess {
  readonly username?: string;
  readonly password?: string;
  readonly tls?: boolean;
}

/** The URL without its credentials (they move to the config's own fields), and what it says about access. */
function splitUrl(url: string): (UrlAccess & { address: string }) | undefined {
  const parsed = new URL(url);
  try {
    const username = parsed.username === '' ? undefined : decodeURIComponent(parsed.username);
    const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
    parsed.username = '';
    parsed.password = '';
    return { address: parsed.toString(), username, password, tls: parsed.protocol === 'rediss:' };
  } catch {
    return undefined;
  }
}

function readAccess(read: EnvReader, readFile: ReadTextFile, fromUrl: UrlAccess): RedisAccess {
  const username = agreeing(read, 'REDIS_USERNAME', 'user name', fromUrl.username);
  const password = agreeing(read, 'REDIS_PASSWORD', 'password', fromUrl.password);
  if (username !== undefined && password === undefined) {
    read.fail('REDIS_USERNAME is set without a password: set REDIS_PASSWORD (or give it in REDIS_URL)');
  }
  const tls = readTls(read, readFile, fromUrl.tls === true);
  return {
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    ...(tls && { tls }),
  };
}

/** A variable that REDIS_URL may give too: either one, or both when they are the same. Values are never echoed. */
function agreeing(read: EnvReader, name: string, what: string, inUrl: string | undefined): string | undefined {
  const value = read.raw(name);
  if (value !== undefined && inUrl !== undefined && value !== inUrl) {
    read.fail(`${name} and the ${what} in REDIS_URL differ: give the ${what} in one place`);
  }
  return value ?? inUrl;
}

function readTls(read: EnvReader, readFile: ReadTextFile, urlSaysTls: boolean): RedisTlsConfig | undefined {
  const flag = read.raw('REDIS_TLS') === undefined ? undefined : read.boolean('REDIS_TLS', false);
  if (flag === false && urlSaysTls) {
    read.fail('REDIS_TLS=false contradicts the rediss:// scheme of REDIS_URL: use redis:// for plain text, or drop REDIS_TLS');
  }
  const caFile = read.raw('REDIS_TLS_CA_FILE');
  const certFile = read.raw('REDIS_TLS_CERT_FILE');
  const keyFile = read.raw('REDIS_TLS_KEY_FILE');
  const files = { REDIS_TLS_CA_FILE: caFile, REDIS_TLS_CERT_FILE: certFile, REDIS_TLS_KEY_FILE: keyFile };
  const setFiles = Object.entries(files).filter(([, path]) => path !== undefined).map(([name]) => name);
  const on = flag === true || (urlSaysTls && flag !== false);
  if (!on) {
    if (setFiles.length > 0 && flag !== false) {
      read.fail(`${setFiles.join(', ')} ${setFiles.length === 1 ? 'is' : 'are'} set but TLS is off: set REDIS_TLS=true (or use a rediss:// URL)`);
    } else if (setFiles.length > 0) {
      read.fail(`${setFiles.join(', ')} ${setFiles.length === 1 ? 'is' : 'are'} set but REDIS_TLS=false: set REDIS_TLS=true, or drop them`);
    }
    return undefined;
  }
  if ((certFile === undefined) !== (keyFile === undefined)) {
    read.fail('REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE must be set together: a client certificate needs its private key');
  }
  const ca = caFile === undefined ? undefined : readCertificate(read, readFile, 'REDIS_TLS_CA_FILE', caFile);
  const cert = certFile === undefined ? undefined : readCertificate(read, readFile, 'REDIS_TLS_CERT_FILE', certFile);
  const key = keyFile === undefined ? undefined : readPrivateKey(read, readFile, keyFile);
  if (cert && key && !cert.parsed.checkPrivateKey(key.parsed)) {
    read.fail('REDIS_TLS_KEY_FILE is not the private key of the certificate in REDIS_TLS_CERT_FILE');
  }
  return {
    ...(ca && { ca: ca.pem }),
    ...(cert && key && { cert: cert.pem, key: key.pem }),
  };
}

function readText(read: EnvReader, readFile: ReadTextFile, name: string, path: string): string | undefined {
  try {
    return readFile(path);
  } catch (error) {
    read.fail(`cannot read ${name} ${JSON.stringify(path)}${errorCodeSuffix(error)}`);
    return undefined;
  }
}

function readCertificate(read: EnvReader, readFile: ReadTextFile, name: string, path: string): { pem: string; parsed: X509Certificate } | undefined {
  const pem = readText(read, readFile, name, path);
  if (pem === undefined) return undefined;
  try {
    // A CA file may hold several certificates; the first one stands for the format.
    return { pem, parsed: new X509Certificate(pem) };
  } catch {
    read.fail(`${name} ${JSON.stringify(path)} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    return undefined;
  }
}

function readPrivateKey(read: EnvReader, readFile: ReadTextFile, path: string): { pem: string; parsed: KeyObject } | undefined {
  const pem = readText(read, readFile, 'REDIS_TLS_KEY_FILE', path);
  if (pem === undefined) return undefined;
  try {
    return { pem, parsed: createPrivateKey(pem) };
  } catch {
    // Nothing of the file's content goes into the message.
    read.fail(`REDIS_TLS_KEY_FILE ${JSON.stringify(path)} holds no unencrypted PEM private key`);
    return undefined;
  }
}

function parseHostPort(entry: string): HostPort | undefined {
  const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(entry);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}
