import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeLifetime, loadMailTemplates, MAIL_KINDS } from '../../src/mail/mail-templates';

const LINK = 'https://app.example/verify-email?token=abc_DEF-123';

describe('the mail templates', () => {
  const templates = loadMailTemplates();

  it('renders every kind with a subject, the link in both bodies, and nothing left unfilled', () => {
    for (const kind of MAIL_KINDS) {
      const mail = templates.render(kind, 'ada@example.com', { email: 'ada@example.com', link: LINK, expiresIn: '24 hours', username: 'ada' });
      expect({ kind, to: mail.to, subjectFilled: mail.subject.length > 0 }).toEqual({ kind, to: 'ada@example.com', subjectFilled: true });
      expect(mail.text).toContain(LINK);
      expect(mail.html).toContain(`href="${LINK}"`);
      for (const body of [mail.subject, mail.text, mail.html]) expect(body).not.toMatch(/\{\{|\}\}/);
    }
  });

  it('escapes values in the HTML body and leaves the text body as written', () => {
    const mail = templates.render('verify-email', 'ada@example.com', {
      email: 'ada@example.com',
      link: LINK,
      expiresIn: '24 hours',
      username: '<script>alert(1)</script>',
    });
    expect(mail.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('Hello <script>alert(1)</script>,');
  });

  it('refuses to load a text template without its Subject line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mail-templates-'));
    const source = join(__dirname, '../../src/mail/templates');
    for (const kind of MAIL_KINDS) {
      for (const extension of ['txt', 'html']) writeFileSync(join(dir, `${kind}.${extension}`), readFileSync(join(source, `${kind}.${extension}`)));
    }
    writeFileSync(join(dir, 'password-reset.txt'), 'Reset your password: {{link}}\n');
    expect(() => loadMailTemplates(dir)).toThrow('mail template password-reset.txt must start with a "Subject: ..." line and a blank line');
  });

  it('says how long a link lives in words', () => {
    expect([86_400_000, 1_800_000, 604_800_000, 3_600_000, 60_000, 90_000].map(describeLifetime)).toEqual([
      '24 hours',
      '30 minutes',
      '7 days',
      '1 hour',
      '1 minute',
      '2 minutes',
    ]);
  });
});
