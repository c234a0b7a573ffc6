import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { errorCodeSuffix } from './error-code';
import { isAsymmetric, keyMismatch, type KeyAlgorithm } from '@graphql-auth-service/subgraph/tokens/key-algorithm';

/** Reads a file as UTF-8 text; injected so parsing stays pure and testable. */
export type ReadTextFile = (path: string) => string;

export type KeyMaterial =
  | { readonly ok: true; readonly signingKey: KeyObject | undefined; readonly verificationKey: KeyObject }
  | { readonly ok: false; readonly problems: readonly string[] };

type Fields = Readonly<Record<string, unknown>>;

/** What one of secret / privateKey / publicKey (inline or as a file) came to. */
type Text =
  | { readonly kind: 'absent' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'problem'; readonly problem: string };

const PRIVATE_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const PUBLIC_PEM = /-----BEGIN (?:RSA )?PUBLIC KEY-----/;
/** PKCS#8 `ENCRYPTED PRIVATE KEY`, or the traditional forms' `Proc-Type: 4,ENCRYPTED` header. */
const ENCRYPTED_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: *4, *ENCRYPTED/;

/**
 * Builds the KeyObjects of one key spec once: a secret for HS256; for the others a
 * private key (its public key derived from it) and/or a public key. Problems describe
 * what is wrong and never quote the material.
 */
export function readKeyMaterial(algorithm: KeyAlgorithm, fields: Fields, readFile: ReadTextFile): KeyMaterial {
  const wrongKind = isAsymmetric(algorithm)
    ? ['secret', 'secretFile'].filter((name) => fields[name] !== undefined)
    : ['privateKey', 'privateKeyFile', 'publicKey', 'publicKeyFile'].filter((name) => fields[name] !== undefined);
  if (wrongKind.length > 0) {
    const expected = isAsymmetric(algorithm) ? 'privateKey(File) and/or publicKey(File)' : 'secret or secretFile';
    return failed(`${algorithm} takes ${expected}, not ${wrongKind.join(' or ')}`);
  }
  return isAsymmetric(algorithm) ? readKeyPair(algorithm, fields, readFile) : readSecret(fields, readFile);
}

function readSecret(fields: Fields, readFile: ReadTextFile): KeyMaterial {
  const secret = readText(fields, 'secret', readFile);
  if (secret.kind === 'problem') return failed(secret.problem);
  if (secret.kind === 'absent') return failed('no key material: give secret or secretFile');
  // A file written by `echo` or an editor ends with a newline that nobody means as part of the secret.
  const key = createSecretKey(Buffer.from(secret.text.replace(/\r?\n$/, ''), 'utf8'));
  const mismatch = keyMismatch('HS256', key);
  return mismatch === undefined ? { ok: true, signingKey: key, verificationKey: key } : failed(mismatch);
}

function readKeyPair(algorithm: KeyAlgorithm, fields: Fields, readFile: ReadTextFile): KeyMaterial {
  const privateText = readText(fields, 'privateKey', readFile);
  const publicText = readText(fields, 'publicKey', readFile);
  const readProblems = [privateText, publicText].flatMap((text) => (text.kind === 'problem' ? [text.problem] : []));
  if (readProblems.length > 0) return { ok: false, problems: readProblems };
  const privateKey = privateText.kind === 'text' ? parsePrivateKey(privateText.text) : undefined;
  const publicKey = publicText.kind === 'text' ? parsePublicKey(publicText.text) : undefined;
  if (typeof privateKey === 'string' || typeof publicKey === 'string') {
    return { ok: false, problems: [privateKey, publicKey].filter((p): p is string => typeof p === 'string') };
  }

  const verificationKey = privateKey === undefined ? publicKey : createPublicKey(privateKey);
  if (verificationKey === undefined) {
    return failed(
      'no key material: give privateKey or privateKeyFile (to sign), or publicKey or publicKeyFile (to verify only)',
    );
  }
  const mismatch = keyMismatch(algorithm, verificationKey);
  if (mismatch !== undefined) return failed(mismatch);
  if (publicKey !== undefined && !samePublicKey(verificationKey, publicKey)) {
    return failed('publicKey is not the public half of privateKey');
  }
  return { ok: true, signingKey: privateKey, verificationKey };
}

function readText(fields: Fields, name: string, readFile: ReadTextFile): Text {
  const fileField = `${name}File`;
  const inline = fields[name];
  const path = fields[fileField];
  if (inline !== undefined && path !== undefined) return problem(`give ${name} or ${fileField}, not both`);
  if (inline !== undefined) {
    return typeof inline === 'string' ? { kind: 'text', text: inline } : problem(`${name} must be a string`);
  }
  if (path === undefined) return { kind: 'absent' };
  if (typeof path !== 'string' || path.trim() === '') return problem(`${fileField} must be a file path`);
  try {
    return { kind: 'text', text: readFile(path) };
  } catch (error) {
    return problem(`cannot read ${fileField} ${JSON.stringify(path)}${errorCodeSuffix(error)}`);
  }
}

function problem(text: string): Text {
  return { kind: 'problem', problem: text };
}

/** A problem (string) or the key; never the parser's message, which could quote the input. */
function parsePrivateKey(pem: string): KeyObject | string {
  if (PUBLIC_PEM.test(pem)) return 'privateKey holds a public key: put it in publicKey to keep a verify-only key';
  if (ENCRYPTED_PEM.test(pem)) return 'privateKey is encrypted: give it without a passphrase (protect the file)';
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return 'privateKey is not a PEM private key (PKCS#8 "BEGIN PRIVATE KEY", or "BEGIN RSA/EC PRIVATE KEY")';
  }
}

function parsePublicKey(pem: string): KeyObject | string {
  if (PRIVATE_PEM.test(pem)) return 'publicKey holds a private key: put it in privateKey, or give only its public key';
  try {
    return createPublicKey({ key: pem, format: 'pem' });
  } catch {
    return 'publicKey is not a PEM public key ("-----BEGIN PUBLIC KEY-----")';
  }
}

function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const der = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' });
  return der(a).equals(der(b));
}

function failed(problem: string): KeyMaterial {
  return { ok: false, problems: [problem] };
}
