import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The SMTP envelope: who it was really sent to. */
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
  /** The raw message as it arrived. */
  raw: string;
}

export interface MailServer {
  /** For nodemailer: plain SMTP on loopback, no TLS. */
  url: string;
  /** Messages the server accepted (answered 250 after DATA). */
  received: ReceivedMail[];
  /**
   * Accept `accepted` more messages, then take in the next one without ever answering it,
   * as a server that hangs (or a sender that dies mid-transaction) would. Resolves when that
   * unanswered message has fully arrived.
   */
  holdAfter(accepted: number): Promise<ReceivedMail>;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (smtp-server), reading every message with mailparser. */
export async function startMailServer(
  options: { refuse?: (recipient: string) => boolean } = {},
): Promise<MailServer> {
  const received: ReceivedMail[] = [];
  let hold: { after: number; resolve: (mail: ReceivedMail) => void } | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) {
        const error = Object.assign(new Error(`No such mailbox: ${address.address}`), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then((parsed) => {
          const mail: ReceivedMail = {
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            parsed,
            raw,
          };
          if (hold && received.length >= hold.after) {
            const { resolve } = hold;
            hold = undefined;
            resolve(mail);
            return; // never answered
          }
          received.push(mail);
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}/?ignoreTLS=true`,
    received,
    holdAfter: (after) =>
      new Promise((resolve) => {
        hold = { after, resolve };
      }),
    async waitFor(count, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`SMTP: ${received.length} of ${count} messages arrived`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of (server as unknown as { connections: Set<{ close(): void }> }).connections ??
          []) {
          connection.close();
        }
        server.close(() => resolve());
      }),
  };
}
