/**
 * Throwaway certificates for a TLS launch, made with the machine's `openssl` at run time:
 * a certificate authority, and certificates it signs for the servers (and, for mutual TLS,
 * for the clients). Nothing here is a secret worth keeping; it lives in the launch's temp
 * dir and goes with it.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CertificateError, OpensslMissingError } from './errors';

/** Long enough for any test run or local session; short enough that nobody keeps them. */
const VALID_DAYS = 7;
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A certificate and its key, as files (for redis-server and redis-cli) and as PEM text (for ioredis). */
export interface CertificateFiles {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

export interface CertificateAuthority extends CertificateFiles {
  /** Who the CA says it is; each CA made here has a name of its own. */
  name: string;
}

/** A self-signed CA in `dir` (created if needed), named `name`. */
export async function createCertificateAuthority(dir: string, name: string): Promise<CertificateAuthority> {
  await mkdir(dir, { recursive: true });
  const files = { certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) };
  await openssl([
    'req', '-x509', '-new', ...EC_KEY,
    '-keyout', files.keyFile, '-out', files.certFile,
    '-days', String(VALID_DAYS), '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { name, ...(await readPair(files)) };
}

export interface CertificateRequest {
  /** File name stem and common name. */
  name: string;
  /** Subject alternative names, e.g. `IP:127.0.0.1`, `DNS:localhost`; a client certificate needs none. */
  altNames?: readonly string[];
  /** `serverAuth`, `clientAuth` or both (a cluster node is a client of the other nodes too). */
  usage: readonly ('serverAuth' | 'clientAuth')[];
}

/** A certificate for `request`, signed by `ca`, next to the CA's files. */
export async function issueCertificate(ca: CertificateAuthority, request: CertificateRequest): Promise<CertificateFiles> {
  const dir = path.dirname(ca.certFile);
  const files = { certFile: path.join(dir, `${request.name}.crt`), keyFile: path.join(dir, `${request.name}.key`) };
  const altNames = request.altNames ?? [];
  await openssl([
    'req', '-x509', '-new', ...EC_KEY,
    '-CA', ca.certFile, '-CAkey', ca.keyFile,
    '-keyout', files.keyFile, '-out', files.certFile,
    '-days', String(VALID_DAYS), '-subj', `/CN=${request.name}`,
    '-addext', 'basicConstraints=critical,CA:FALSE',
    '-addext', `extendedKeyUsage=${request.usage.join(',')}`,
    ...(altNames.length > 0 ? ['-addext', `subjectAltName=${altNames.join(',')}`] : []),
  ]);
  return readPair(files);
}

async function readPair(files: { certFile: string; keyFile: string }): Promise<CertificateFiles> {
  const [cert, key] = await Promise.all([readFile(files.certFile, 'utf8'), readFile(files.keyFile, 'utf8')]);
  return { ...files, cert, key };
}

async function openssl(args: readonly string[]): Promise<void> {
  const child = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: string): void => void (output = (output + chunk).slice(-2_000));
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  const outcome = await new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
  if (outcome.error?.code === 'ENOENT') throw new OpensslMissingError({ cause: outcome.error });
  if (outcome.error || outcome.code !== 0) {
    throw new CertificateError(`openssl ${args[0]} ${outcome.error ? `failed: ${outcome.error.message}` : `exited with ${outcome.code}`}`, output.trim());
  }
}
