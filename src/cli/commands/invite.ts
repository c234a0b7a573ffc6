import type { Command } from './command';

export const inviteCommand: Command = {
  name: 'invite',
  synopsis: '<email> [--authority A]...',
  summary: 'mail an invitation to sign up with this address (SIGNUP_POLICY invite or open)',
  details: [
    'The mail goes out through SMTP_URL, from MAIL_FROM, linking to APP_URL/accept-invitation.',
    'The command waits for the mail server: it fails (exit 1) when the mail could not be sent.',
    '--authority A   grant authority A to the account made from it (repeat for more)',
  ],
  options: ['authority'],
  operands: { min: 1, max: 1 },
  async run({ invite }, args) {
    const email = await invite(args.operands[0], args.authorities);
    return { json: { invited: email, authorities: args.authorities }, text: `invitation mailed to ${email}\n` };
  },
};
