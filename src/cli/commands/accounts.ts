import type { Command } from 'commander';
import { SCOPES } from '../../domain/accounts.ts';
import { InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import { AccountService, type User } from '../../services/accounts.service.ts';
import type { CommandContext } from '../main.ts';

/** The first line of standard input: a password is never a command-line argument (ps, history). */
async function readPassword(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (password === '') throw new InvalidInputError('Give the password on standard input (one line)');
  return password;
}

/**
 * `paperscope user create|list` and `paperscope token create|list|revoke`: accounts and API
 * tokens from the machine itself — the way in when registration is closed, and the way the
 * CLI and the browser extension get a token for `/api`.
 */
export function registerAccountCommands(program: Command, context: CommandContext): void {
  const accounts = (): AccountService => {
    const registration = context.config().registration;
    return new AccountService(context.openStore(), registration ? { registration } : {});
  };
  const userByEmail = (service: AccountService, email: string): User => {
    const user = service.findUserByEmail(email);
    if (!user) throw new NotFoundError(`No account for ${email}`);
    return user;
  };

  const user = program.command('user').description('accounts on this instance');
  user
    .command('create')
    .description('make an account (password on standard input); the first account is the admin')
    .argument('<email>')
    .option('--admin', 'make this account an admin')
    .option('--name <name>', 'the name shown for it')
    .action(async (email: string, opts: { admin?: boolean; name?: string }) => {
      const password = await readPassword(context.io.stdin);
      const created = await accounts().createUser({
        email,
        password,
        ...(opts.name === undefined ? {} : { name: opts.name }),
        ...(opts.admin ? { admin: true } : {}),
      });
      context.io.out(`Created ${created.isAdmin ? 'admin ' : ''}account ${created.id} for ${created.email}`);
    });
  user
    .command('list')
    .description('everyone with an account')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const users = accounts().listUsers();
      context.io.out(
        opts.json
          ? JSON.stringify(users, null, 2)
          : users.map((u) => `${u.id}\t${u.email}\t${u.name}${u.isAdmin ? '\tadmin' : ''}`).join('\n') ||
              '(no accounts yet)',
      );
    });

  const token = program
    .command('token')
    .description('API tokens (for the CLI, scripts and the browser extension)');
  token
    .command('create')
    .description('make an API token; it is printed once and kept only as a hash')
    .requiredOption('--user <email>', 'whose token')
    .requiredOption('--scopes <scopes>', `comma-separated: ${SCOPES.join(', ')}`)
    .option('--name <name>', 'what it is for', 'cli')
    .option('--json', 'print JSON')
    .action(async (opts: { user: string; scopes: string; name: string; json?: boolean }) => {
      const service = accounts();
      const created = await service.createToken(userByEmail(service, opts.user), opts.name, opts.scopes);
      if (opts.json) context.io.out(JSON.stringify({ token: created.token, ...created.info }, null, 2));
      else {
        context.io.out(created.token);
        context.io.err(
          `Token ${created.info.id} "${created.info.name}" (${created.info.scopes.join(', ')}): copy it now, it is not shown again.`,
        );
      }
    });
  token
    .command('list')
    .description("someone's tokens (never their secrets)")
    .requiredOption('--user <email>', 'whose tokens')
    .option('--json', 'print JSON')
    .action((opts: { user: string; json?: boolean }) => {
      const service = accounts();
      const tokens = service.listTokens(userByEmail(service, opts.user).id);
      context.io.out(
        opts.json
          ? JSON.stringify(tokens, null, 2)
          : tokens
              .map(
                (t) =>
                  `${t.id}\t${t.prefix}…\t${t.name}\t${t.scopes.join(',')}\t${t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}`}`,
              )
              .join('\n') || '(no tokens)',
      );
    });
  token
    .command('revoke')
    .description('revoke a token by its id')
    .requiredOption('--user <email>', 'whose token')
    .argument('<id>', 'the token id (see token list)')
    .action(async (id: string, opts: { user: string }) => {
      const service = accounts();
      if (!/^\d+$/.test(id)) throw new InvalidInputError(`A token id is a number, not "${id}"`);
      await service.revokeToken(userByEmail(service, opts.user).id, Number(id));
      context.io.out(`Revoked token ${id}`);
    });
}
