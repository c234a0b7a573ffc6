import { BadUserInputError } from '@graphql-auth-service/subgraph/errors';
import { normalizeEmail } from '../../src/users/email-address';

function refusalOf(input: string): BadUserInputError {
  try {
    normalizeEmail(input);
  } catch (error) {
    if (error instanceof BadUserInputError) return error;
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

describe('normalizeEmail', () => {
  it.each<[string, string, string]>([
    ['a plain address', 'alice@example.org', 'alice@example.org'],
    ['upper case anywhere, local part included', 'Alice.Smith@Example.ORG', 'alice.smith@example.org'],
    ['surrounding spaces and line breaks', ' \t bob@example.org\r\n', 'bob@example.org'],
    ['plus tags, kept as part of the address', 'Bob+Newsletter@example.org', 'bob+newsletter@example.org'],
    ['punctuation in the local part', "o'brien_x-y.z!#$%&*/=?^`{|}~@example.org", "o'brien_x-y.z!#$%&*/=?^`{|}~@example.org"],
    ['hyphens and digits inside domain labels', 'x@mail-1.sub-domain.example9.org', 'x@mail-1.sub-domain.example9.org'],
    ['an internationalised domain, kept as typed', 'Zoë@Bücher.Example', 'zoë@bücher.example'],
    ['an internationalised domain in Punycode', 'x@xn--bcher-kva.example', 'x@xn--bcher-kva.example'],
    ['a domain in another script, with combining marks', 'user@भारत.भारत', 'user@भारत.भारत'],
    ['a decomposed accent, composed by NFC', 'ze\u0301@cafe\u0301.example', 'zé@café.example'],
    ['a non-Latin upper case', 'ΑΛΙΚΗ@ΠΑΡΆΔΕΙΓΜΑ.ΔΟΚΙΜΉ', 'αλικη@παράδειγμα.δοκιμή'],
  ])('accepts %s', (_name, input, normalized) => {
    expect(normalizeEmail(input)).toBe(normalized);
  });

  it('accepts the longest address, local part and label there may be', () => {
    const local = 'l'.repeat(64);
    const label = 'd'.repeat(63);
    const longest = `${local}@${label}.${label}.${'e'.repeat(254 - 64 - 1 - 63 - 1 - 63 - 1)}`;
    expect(longest).toHaveLength(254);
    expect(normalizeEmail(longest)).toBe(longest);
  });

  it('counts characters, not bytes: 64 accented letters make a local part', () => {
    expect(normalizeEmail(`${'é'.repeat(64)}@example.org`)).toBe(`${'é'.repeat(64)}@example.org`);
  });

  it('gives every spelling of one address one form, and leaves that form as it is', () => {
    const spellings = ['Zoë@Example.org', 'zoe\u0308@example.org', '  ZOË@EXAMPLE.ORG', 'zoË@example.ORG '];
    const forms = spellings.map(normalizeEmail);
    expect(new Set(forms)).toEqual(new Set(['zoë@example.org']));
    expect(normalizeEmail(forms[0])).toBe(forms[0]);
  });

  it.each<[string, string, RegExp]>([
    ['no @', 'alice.example.org', /exactly one @/],
    ['two @', 'alice@home@example.org', /exactly one @/],
    ['an empty string', '', /exactly one @/],
    ['only spaces', '   ', /exactly one @/],
    ['an empty local part', '@example.org', /1 to 64 characters before the @/],
    ['a local part of 65 characters', `${'l'.repeat(65)}@example.org`, /1 to 64 characters before the @/],
    ['255 characters', `${'l'.repeat(64)}@${'d'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(62)}`, /at most 254 characters/],
    ['a space inside', 'alice smith@example.org', /spaces/],
    ['a no-break space inside', 'alice\u00a0smith@example.org', /spaces/],
    ['a line break inside', 'alice@example.org\nBcc: eve@example.org', /spaces/],
    ['a tab inside', 'alice\t@example.org', /spaces/],
    ['a control character', 'alice\u0007@example.org', /control characters/],
    ['a right-to-left override', 'alice\u202egro.elpmaxe@example.org', /control characters/],
    ['a zero-width space', 'ali\u200bce@example.org', /control characters/],
    ['no domain', 'alice@', /domain/],
    ['a domain of one label', 'alice@localhost', /domain/],
    ['an empty label', 'alice@example..org', /domain/],
    ['a leading dot in the domain', 'alice@.example.org', /domain/],
    ['a trailing dot in the domain', 'alice@example.org.', /domain/],
    ['a label starting with a hyphen', 'alice@-example.org', /domain/],
    ['a label ending with a hyphen', 'alice@example-.org', /domain/],
    ['a label of 64 characters', `alice@${'d'.repeat(64)}.org`, /domain/],
    ['an underscore in the domain', 'alice@mail_server.example.org', /domain/],
    ['a domain literal', 'alice@[192.0.2.1]', /domain/],
    ['a port', 'alice@example.org:25', /domain/],
    ['a symbol in the domain', 'alice@exa$mple.org', /domain/],
  ])('refuses %s with BAD_USER_INPUT on the email field', (_name, input, message) => {
    const refusal = refusalOf(input);
    expect(refusal.message).toMatch(message);
    expect(refusal.details).toEqual({ field: 'email' });
    expect(refusal.code).toBe('BAD_USER_INPUT');
  });
});
