import { jsonText, safeText, table } from '../../src/cli/text-format';

describe('CLI output that is safe on a terminal', () => {
  it('escapes control characters, escape sequences and bidi overrides from client-supplied text', () => {
    expect(safeText('curl/8\u001b[2J\u001b]0;owned\u0007')).toBe('curl/8\\u001b[2J\\u001b]0;owned\\u0007');
    expect(safeText('a\nb\r\u009bc\u202ed')).toBe('a\\u000ab\\u000d\\u009bc\\u202ed');
    expect(safeText('Mozilla/5.0 (X11; Linux) – ünïcödé')).toBe('Mozilla/5.0 (X11; Linux) – ünïcödé');
  });

  it('prints JSON that stays parseable to the same value, with C1 controls escaped', () => {
    const value = { userAgent: 'x\u009b31mred\u001b', authorities: ['A'] };
    const text = jsonText(value);
    const controls = [...text].filter((character) => character !== '\n' && (character < ' ' || (character >= '\u007f' && character <= '\u009f')));
    expect(controls).toEqual([]);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('aligns table columns, marks empty cells and never pads the last column', () => {
    expect(table(['ID', 'NAME', 'AGENT'], [['1', 'alice', 'curl'], ['22', '', 'x']])).toBe(
      'ID  NAME   AGENT\n1   alice  curl\n22  -      x\n',
    );
  });
});
