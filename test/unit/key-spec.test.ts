import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseKeySpecs, type KeySpecsResult } from '../../src/tokens/key-spec';
import { keyFolder, makeKeys, materialFragments, pemKeyPair } from '../support/key-fixtures';

const keys = makeKeys();
const folder = keyFolder();
afterAll(() => folder.remove());

const SECRET = 'correct-horse-battery-staple-0123456789';
const readFile = (path: string): string => readFileSync(path, 'utf8');
const parse = (specs: unknown): KeySpecsResult => parseKeySpecs(JSON.stringify(specs), readFile);

function parsedOk(specs: unknown): Extract<KeySpecsResult, { ok: true }> {
  const result = parse(specs);
  if (!result.ok) throw new Error(`expected the specs to parse, got:\n${result.problems.join('\n')}`);
  return result;
}

function problemsOf(result: KeySpecsResult): readonly string[] {
  if (result.ok) throw new Error('expected problems, the specs parsed');
  return result.problems;
}

const spki = (key: KeyObject | undefined): string | undefined =>
  key?.export({ type: 'spki', format: 'der' }).toString('base64');

const asymmetric = [
  { alg: 'RS256', pair: keys.rsa, type: 'rsa' },
  { alg: 'ES256', pair: keys.p256, type: 'ec' },
  { alg: 'EdDSA', pair: keys.ed25519, type: 'ed25519' },
] as const;

describe('key specs that parse', () => {
  it.each(asymmetric)('$alg from a private key in PEM text: it signs, its public half verifies', ({ alg, pair, type }) => {
    const { active, keys: all, verifyOnly } = parsedOk([{ kid: 'k1', alg, active: true, privateKey: pair.privatePem }]);
    expect(active).toMatchObject({ kid: 'k1', algorithm: alg });
    expect(active.signingKey.type).toBe('private');
    expect(active.verificationKey.type).toBe('public');
    expect(active.verificationKey.asymmetricKeyType).toBe(type);
    expect(spki(active.verificationKey)).toBe(spki(pair.publicKey));
    expect(all).toEqual([active]);
    expect(verifyOnly).toEqual([]);
  });

  it.each(asymmetric)('$alg from privateKeyFile and publicKeyFile (a matching pair)', ({ alg, pair }) => {
    const privateKeyFile = folder.write(`${alg}.key`, pair.privatePem);
    const publicKeyFile = folder.write(`${alg}.pub`, pair.publicPem);
    const { active } = parsedOk([{ kid: `${alg}-file`, alg, active: true, privateKeyFile, publicKeyFile }]);
    expect(spki(active.verificationKey)).toBe(spki(pair.publicKey));
    expect(active.signingKey.asymmetricKeyType).toBe(pair.privateKey.asymmetricKeyType);
  });

  it.each(asymmetric)('$alg verify-only from publicKey text and from publicKeyFile', ({ alg, pair }) => {
    const publicKeyFile = folder.write(`${alg}-only.pub`, pair.publicPem);
    const { verifyOnly } = parsedOk([
      { kid: 'signer', alg: 'HS256', active: true, secret: SECRET },
      { kid: 'inline', alg, publicKey: pair.publicPem },
      { kid: 'from-file', alg, publicKeyFile },
    ]);
    expect(verifyOnly.map((key) => key.kid)).toEqual(['inline', 'from-file']);
    for (const key of verifyOnly) {
      expect(key.signingKey).toBeUndefined();
      expect(spki(key.verificationKey)).toBe(spki(pair.publicKey));
    }
  });

  it('HS256 from secret, and from secretFile without the trailing newline an editor leaves', () => {
    const secretFile = folder.write('hs.secret', `${SECRET}\n`);
    const { active, verifyOnly } = parsedOk([
      { kid: 'inline', alg: 'HS256', active: true, secret: SECRET },
      { kid: 'file', alg: 'HS256', secretFile },
    ]);
    expect(active.signingKey.type).toBe('secret');
    expect(active.signingKey).toBe(active.verificationKey);
    expect(verifyOnly[0].verificationKey.equals(active.verificationKey)).toBe(true);
  });

  it('counts an HS256 secret in UTF-8 bytes: 16 × "é" is 32 bytes', () => {
    const { active } = parsedOk([{ kid: 'k', alg: 'HS256', active: true, secret: 'é'.repeat(16) }]);
    expect(active.signingKey.symmetricKeySize).toBe(32);
  });

  it('takes the traditional PEM forms too: PKCS#1 RSA and SEC1 EC private keys', () => {
    const pkcs1 = keys.rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const sec1 = keys.p256.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const { keys: parsed } = parsedOk([
      { kid: 'rsa', alg: 'RS256', active: true, privateKey: pkcs1 },
      { kid: 'ec', alg: 'ES256', privateKey: sec1 },
    ]);
    expect(parsed.map((key) => key.signingKey?.type)).toEqual(['private', 'private']);
  });

  it('keeps the order given, names the one active key, and the rest verify only', () => {
    const result = parsedOk([
      { kid: 'old', alg: 'HS256', secret: SECRET },
      { kid: 'current', alg: 'ES256', active: true, privateKey: keys.p256.privatePem },
      { kid: 'next', alg: 'EdDSA', active: false, privateKey: keys.ed25519.privatePem },
    ]);
    expect(result.keys.map((key) => key.kid)).toEqual(['old', 'current', 'next']);
    expect(result.active.kid).toBe('current');
    expect(result.verifyOnly.map((key) => key.kid)).toEqual(['old', 'next']);
  });
});

describe('key spec problems', () => {
  const missingFile = `${folder.path}/missing.pem`;
  const encryptedPem = createPrivateKey(keys.rsa.privatePem)
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'a passphrase' })
    .toString();
  const encryptedSec1 = keys.p256.privateKey
    .export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'a passphrase' })
    .toString();
  const otherP256 = pemKeyPair('p256').publicPem;
  const damagedPem = keys.rsa.privatePem.replace(/[A-Za-z]{8}/, 'AAAAAAAA');
  const signer = { kid: 'signer', alg: 'HS256', active: true, secret: SECRET };

  const cases: readonly { name: string; specs: unknown; problem: RegExp }[] = [
    {
      name: 'RSA key for ES256',
      specs: [{ kid: 'k', alg: 'ES256', active: true, privateKey: keys.rsa.privatePem }],
      problem: /^JWT_KEYS\[0\] \(kid "k"\): ES256 needs an EC key on P-256 \(prime256v1\), got an RSA key of 2048 bits/,
    },
    {
      name: 'EC key for RS256',
      specs: [{ kid: 'k', alg: 'RS256', active: true, privateKey: keys.p256.privatePem }],
      problem: /^JWT_KEYS\[0\] \(kid "k"\): RS256 needs an RSA key, got an EC key on prime256v1$/,
    },
    {
      name: 'RSA key for EdDSA',
      specs: [{ kid: 'k', alg: 'EdDSA', active: true, privateKey: keys.rsa.privatePem }],
      problem: /EdDSA needs an Ed25519 key, got an RSA key of 2048 bits$/,
    },
    {
      name: 'Ed25519 key for RS256',
      specs: [{ kid: 'k', alg: 'RS256', active: true, privateKey: keys.ed25519.privatePem }],
      problem: /RS256 needs an RSA key, got an Ed25519 key$/,
    },
    {
      name: 'Ed448 key for EdDSA',
      specs: [{ kid: 'k', alg: 'EdDSA', active: true, privateKey: keys.ed448.privatePem }],
      problem: /EdDSA needs an Ed25519 key, got an Ed448 key$/,
    },
    {
      name: 'a 1024-bit RSA key',
      specs: [{ kid: 'k', alg: 'RS256', active: true, privateKey: keys.rsa1024.privatePem }],
      problem: /^JWT_KEYS\[0\] \(kid "k"\): RS256 needs an RSA key of at least 2048 bits, got 1024 bits$/,
    },
    {
      name: 'a P-384 key for ES256',
      specs: [{ kid: 'k', alg: 'ES256', active: true, privateKey: keys.p384.privatePem }],
      problem: /ES256 needs an EC key on P-256 \(prime256v1\), got an EC key on secp384r1$/,
    },
    {
      name: 'a verify-only P-384 public key for ES256',
      specs: [signer, { kid: 'k', alg: 'ES256', publicKey: keys.p384.publicPem }],
      problem: /^JWT_KEYS\[1\] \(kid "k"\): ES256 needs an EC key on P-256/,
    },
    {
      name: 'a 31-byte secret',
      specs: [{ kid: 'k', alg: 'HS256', active: true, secret: 'x'.repeat(31) }],
      problem: /^JWT_KEYS\[0\] \(kid "k"\): HS256 needs a secret of at least 32 bytes, got 31 bytes$/,
    },
    {
      name: 'a PEM key for HS256',
      specs: [{ kid: 'k', alg: 'HS256', active: true, privateKey: keys.rsa.privatePem }],
      problem: /HS256 takes secret or secretFile, not privateKey$/,
    },
    {
      name: 'a secret for RS256',
      specs: [{ kid: 'k', alg: 'RS256', active: true, secret: SECRET }],
      problem: /RS256 takes privateKey\(File\) and\/or publicKey\(File\), not secret$/,
    },
    {
      name: 'two active keys',
      specs: [signer, { kid: 'b', alg: 'ES256', active: true, privateKey: keys.p256.privatePem }],
      problem: /^JWT_KEYS: 2 keys are active \(JWT_KEYS\[0\] \(kid "signer"\), JWT_KEYS\[1\] \(kid "b"\)\): mark exactly one/,
    },
    {
      name: 'no active key',
      specs: [{ kid: 'a', alg: 'HS256', secret: SECRET }],
      problem: /^JWT_KEYS: no key is active: mark exactly one key "active": true/,
    },
    {
      name: 'an active key without its private key',
      specs: [{ kid: 'k', alg: 'RS256', active: true, publicKey: keys.rsa.publicPem }],
      problem: /^JWT_KEYS\[0\] \(kid "k"\): is active but has no privateKey or privateKeyFile/,
    },
    {
      name: 'a duplicate kid',
      specs: [signer, { kid: 'signer', alg: 'ES256', publicKey: keys.p256.publicPem }],
      problem: /^JWT_KEYS\[1\] \(kid "signer"\): kid is also used by JWT_KEYS\[0\] \(kid "signer"\)/,
    },
    {
      name: 'a missing kid',
      specs: [{ alg: 'HS256', active: true, secret: SECRET }],
      problem: /^JWT_KEYS\[0\]: kid is missing/,
    },
    {
      name: 'an empty kid',
      specs: [{ kid: '', alg: 'HS256', active: true, secret: SECRET }],
      problem: /^JWT_KEYS\[0\]: kid is empty$/,
    },
    {
      name: 'a 65-character kid',
      specs: [{ kid: 'k'.repeat(65), alg: 'HS256', active: true, secret: SECRET }],
      problem: /^JWT_KEYS\[0\]: kid is 65 characters long: at most 64$/,
    },
    {
      name: 'a kid with a space',
      specs: [{ kid: 'key one', alg: 'HS256', active: true, secret: SECRET }],
      problem: /^JWT_KEYS\[0\]: kid may hold only the characters A-Z a-z 0-9 \. _ -$/,
    },
    {
      name: 'a numeric kid',
      specs: [{ kid: 7, alg: 'HS256', active: true, secret: SECRET }],
      problem: /^JWT_KEYS\[0\]: kid must be a string$/,
    },
    {
      name: 'an unreadable privateKeyFile',
      specs: [{ kid: 'k', alg: 'RS256', active: true, privateKeyFile: missingFile }],
      problem: /^JWT_KEYS\[0\] \(kid "k"\): cannot read privateKeyFile ".*missing\.pem" \(ENOENT\)$/,
    },
    {
      name: 'an unreadable secretFile',
      specs: [{ kid: 'k', alg: 'HS256', active: true, secretFile: missingFile }],
      problem: /cannot read secretFile ".*missing\.pem" \(ENOENT\)$/,
    },
    {
      name: 'a folder as publicKeyFile',
      specs: [signer, { kid: 'k', alg: 'ES256', publicKeyFile: folder.path }],
      problem: /cannot read publicKeyFile ".*" \(EISDIR\)$/,
    },
    {
      name: 'both privateKey and privateKeyFile',
      specs: [{ kid: 'k', alg: 'ES256', active: true, privateKey: keys.p256.privatePem, privateKeyFile: missingFile }],
      problem: /give privateKey or privateKeyFile, not both$/,
    },
    {
      name: 'no key material',
      specs: [{ kid: 'k', alg: 'ES256', active: true }],
      problem: /no key material: give privateKey or privateKeyFile \(to sign\), or publicKey or publicKeyFile \(to verify/,
    },
    {
      name: 'no secret',
      specs: [{ kid: 'k', alg: 'HS256', active: true }],
      problem: /no key material: give secret or secretFile$/,
    },
    {
      name: 'a publicKey that is not the private key\'s',
      specs: [{ kid: 'k', alg: 'ES256', active: true, privateKey: keys.p256.privatePem, publicKey: otherP256 }],
      problem: /publicKey is not the public half of privateKey$/,
    },
    {
      name: 'a private key in publicKey',
      specs: [signer, { kid: 'k', alg: 'ES256', publicKey: keys.p256.privatePem }],
      problem: /publicKey holds a private key/,
    },
    {
      name: 'a public key in privateKey',
      specs: [{ kid: 'k', alg: 'ES256', active: true, privateKey: keys.p256.publicPem }],
      problem: /privateKey holds a public key/,
    },
    {
      name: 'text that is no PEM',
      specs: [{ kid: 'k', alg: 'ES256', active: true, privateKey: SECRET }],
      problem: /privateKey is not a PEM private key/,
    },
    {
      name: 'a damaged PEM',
      specs: [{ kid: 'k', alg: 'RS256', active: true, privateKey: damagedPem }],
      problem: /privateKey is not a PEM private key/,
    },
    {
      name: 'an encrypted private key',
      specs: [{ kid: 'k', alg: 'RS256', active: true, privateKey: encryptedPem }],
      problem: /privateKey is encrypted: give it without a passphrase/,
    },
    {
      name: 'an encrypted SEC1 EC key',
      specs: [{ kid: 'k', alg: 'ES256', active: true, privateKey: encryptedSec1 }],
      problem: /privateKey is encrypted/,
    },
    {
      name: 'an unsupported alg',
      specs: [{ kid: 'k', alg: 'HS512', active: true, secret: SECRET }],
      problem: /^JWT_KEYS\[0\] \(kid "k"\): alg "HS512" is not supported: expected one of HS256, RS256, ES256, EdDSA$/,
    },
    { name: 'alg none', specs: [{ kid: 'k', alg: 'none', active: true }], problem: /alg "none" is not supported/ },
    {
      name: 'a missing alg',
      specs: [{ kid: 'k', active: true, secret: SECRET }],
      problem: /alg is missing: expected one of/,
    },
    {
      name: 'a non-boolean active',
      specs: [{ kid: 'k', alg: 'HS256', active: 'yes', secret: SECRET }],
      problem: /active must be true or false$/,
    },
    {
      name: 'an unknown field',
      specs: [{ kid: 'k', alg: 'RS256', active: true, privatekey: keys.rsa.privatePem }],
      problem: /unknown field "privatekey" \(allowed: kid, alg, active, secret, secretFile, privateKey, privateKeyFile, publicKey/,
    },
    {
      name: 'an entry that is not an object',
      specs: [signer, 'a key'],
      problem: /^JWT_KEYS\[1\]: expected an object with kid, alg and key material$/,
    },
    { name: 'an object instead of an array', specs: signer, problem: /^JWT_KEYS must be a JSON array of keys/ },
    { name: 'an empty array', specs: [], problem: /^JWT_KEYS holds no keys/ },
  ];

  it.each(cases)('reports $name, naming the entry', ({ specs, problem }) => {
    const problems = problemsOf(parse(specs));
    expect(problems).toContainEqual(expect.stringMatching(problem));
  });

  it('never quotes key material in any problem', () => {
    const material = materialFragments(
      SECRET,
      encryptedPem,
      ...Object.values(keys).flatMap((pair) => [pair.privatePem, pair.publicPem]),
    );
    const everyProblem = cases.flatMap(({ specs }) => problemsOf(parse(specs))).join('\n');
    expect(everyProblem).not.toMatch(/[A-Za-z0-9+/=]{40,}/); // no run of base64, as PEM bodies are
    for (const fragment of material) expect(everyProblem).not.toContain(fragment);
  });

  it('reports invalid JSON by place only, never quoting the text around it (a secret, here)', () => {
    const broken = `[{"kid": "k", "alg": "HS256",\n  "secret": ${SECRET}}]`;
    const withPosition = `[{"kid": "k", "alg": "HS256",\n  "secret": "${SECRET}" "active": true}]`;
    const [unquoted] = problemsOf(parseKeySpecs(broken, readFile));
    const [positioned] = problemsOf(parseKeySpecs(withPosition, readFile));
    expect(unquoted).toBe('JWT_KEYS is not valid JSON');
    expect(positioned).toBe('JWT_KEYS is not valid JSON (line 2, column 55)');
    expect(JSON.parse.bind(JSON, broken)).toThrow(SECRET.slice(0, 8)); // what the parser itself would have leaked
  });

  it('reports every problem of every entry at once, under the source name given', () => {
    const result = parseKeySpecs(
      JSON.stringify([
        { kid: 'a b', alg: 'HS256', secret: 'short' },
        { kid: 'ok', alg: 'RS256', publicKey: keys.rsa1024.publicPem },
        { kid: 'ok', alg: 'ES256', active: 1, publicKey: keys.p256.publicPem },
      ]),
      readFile,
      'JWT_KEYS_FILE',
    );
    expect(problemsOf(result)).toEqual([
      'JWT_KEYS_FILE[0]: kid may hold only the characters A-Z a-z 0-9 . _ -',
      'JWT_KEYS_FILE[0]: HS256 needs a secret of at least 32 bytes, got 5 bytes',
      'JWT_KEYS_FILE[1] (kid "ok"): RS256 needs an RSA key of at least 2048 bits, got 1024 bits',
      'JWT_KEYS_FILE[2] (kid "ok"): active must be true or false',
      'JWT_KEYS_FILE[2] (kid "ok"): kid is also used by JWT_KEYS_FILE[1] (kid "ok"); every key needs its own kid',
      'JWT_KEYS_FILE: no key is active: mark exactly one key "active": true (the one that signs new tokens)',
    ]);
  });
});
