import nodemailer from 'nodemailer';
import type { MailTransport } from './digest.service.ts';

/**
 * An SMTP transport from a URL: `smtp://user:pass@host:587` (STARTTLS when offered),
 * `smtps://host:465`; options as query parameters (`?ignoreTLS=true` for a local relay).
 */
export function smtpTransport(url: string): MailTransport & { close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    sendMail: (message) => transport.sendMail(message),
    close: () => transport.close(),
  };
}
