import type { Command } from 'commander';
import { Paperscope } from '../../app/paperscope.ts';
import { smtpTransport } from '../../digest/mailer.ts';
import { InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import type { CommandContext } from '../main.ts';

/** `paperscope digest`: send the digests that are due, or show someone's next one. */
export function registerDigestCommand(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('digest')
    .description('daily digests: --send the ones due (to PAPERSCOPE_SMTP_URL), or --preview USER')
    .option('--send', 'compose the digests that are due into the outbox and send everything pending')
    .option('--now <date>', 'act as if it were this time (ISO 8601), for catching up or testing')
    .option('--preview <user>', 'show the next digest of this user (email or id) without sending it')
    .option('--html', 'with --preview: print the HTML part instead of the text')
    .option('--outbox', 'list the latest outbox entries')
    .action(
      async (opts: { send?: boolean; now?: string; preview?: string; html?: boolean; outbox?: boolean }) => {
        if (!opts.send && !opts.preview && !opts.outbox)
          throw new InvalidInputError('Give --send, --preview USER or --outbox.');
        const config = context.config();
        let now: (() => Date) | undefined;
        if (opts.now) {
          const at = new Date(opts.now);
          if (Number.isNaN(at.getTime())) throw new InvalidInputError(`--now: "${opts.now}" is not a date.`);
          now = () => at;
        }
        const paperscope = Paperscope.open(config, now ? { now } : {});
        try {
          if (opts.preview) {
            const user = findUser(paperscope, opts.preview);
            const preview = await paperscope.digests.preview(user);
            if (preview.items.length === 0)
              io.out(`Nothing new for ${preview.recipient.email}: no digest would be sent.`);
            else if (opts.html) io.out(preview.composed.html);
            else io.out(`Subject: ${preview.composed.subject}\n\n${preview.composed.text}`);
            return;
          }
          if (opts.outbox) {
            for (const e of paperscope.digests.outbox({ limit: 50 })) {
              io.out(
                `${e.id}\t${e.day}\t${e.recipient}\t${e.status}\t${e.attempts} attempts${e.lastError ? `\t${e.lastError}` : ''}`,
              );
            }
            return;
          }
          if (!config.smtpUrl)
            throw new InvalidInputError('Set PAPERSCOPE_SMTP_URL (smtp://host:port) to send digests.');
          const transport = smtpTransport(config.smtpUrl);
          try {
            const result = await paperscope.digests.run(transport, {
              onSent: (e) => io.err(`  sent ${e.day} digest to ${e.recipient}`),
            });
            io.out(
              `digests: ${result.composed} composed, ${result.sent} sent, ${result.failed} failed, ${result.empty} with nothing new`,
            );
            if (result.failed > 0) context.setExit(1);
          } finally {
            transport.close();
          }
        } finally {
          paperscope.close();
        }
      },
    );

  program
    .command('follow')
    .description('follow an author, a search, a category or a library tag for a user (as the web page does)')
    .requiredOption('--user <user>', 'email or id')
    .argument('[kind]', 'author, search, category or tag')
    .argument('[value]', 'a name, a query, cs.LG, a tag')
    .option('--remove', 'stop following it')
    .action(
      async (
        kind: string | undefined,
        value: string | undefined,
        opts: { user: string; remove?: boolean },
      ) => {
        const paperscope = Paperscope.open(context.config());
        try {
          const user = findUser(paperscope, opts.user);
          if (kind && value !== undefined) {
            if (opts.remove) {
              const removed = await paperscope.follows.unfollow(user, { kind, value });
              io.out(
                removed ? `No longer following ${kind} ${value}.` : `Was not following ${kind} ${value}.`,
              );
            } else {
              const follow = await paperscope.follows.follow(user, kind, value);
              io.out(`Following ${follow.kind} ${follow.label}.`);
            }
          } else if (kind) {
            throw new InvalidInputError('Give both a kind and a value.');
          }
          for (const f of paperscope.follows.list(user)) io.out(`${f.kind}\t${f.label}`);
        } finally {
          paperscope.close();
        }
      },
    );
}

function findUser(paperscope: Paperscope, ref: string): number {
  const row = paperscope.store.readDb
    .prepare('SELECT id FROM users WHERE id = ? OR email = ? COLLATE NOCASE')
    .pluck()
    .get(/^\d+$/.test(ref) ? Number(ref) : -1, ref) as number | undefined;
  if (row === undefined) throw new NotFoundError(`No user "${ref}".`);
  return row;
}
