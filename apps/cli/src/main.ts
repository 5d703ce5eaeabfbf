import { ConfigError } from '@jejak/config';

import { AUDIT_USAGE, auditCommand } from './audit.command';
import { BACKUP_USAGE, backupCommand, restoreCommand } from './backup.command';
import { PROJECTIONS_USAGE, projectionsCommand } from './projections.command';
import { SEED_USAGE, seedCommand } from './seed.command';
import { TOKEN_USAGE, tokenCommand } from './token.command';
import { USERS_USAGE, usersCommand } from './users.command';

const USAGE = `jejak cli: operator and auditor commands
  token   print a signed token for local use
  users   create-admin: create an administrator
  projections   status, rebuild or verify a read model
  seed    create a synthetic program through a running API
  audit   verify: prove the log unaltered
  backup, restore   a consistent copy of the store while it runs, and bringing it back
${TOKEN_USAGE}
${USERS_USAGE}
${PROJECTIONS_USAGE}
${SEED_USAGE}
${AUDIT_USAGE}
${BACKUP_USAGE}`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'token':
      process.stdout.write(`${await tokenCommand(rest, process.env)}\n`);
      return 0;
    case 'users':
      process.stdout.write(`${await usersCommand(rest, process.env)}\n`);
      return 0;
    case 'projections': {
      const { output, ok } = await projectionsCommand(rest, process.env, (line) => process.stderr.write(`${line}\n`));
      process.stdout.write(`${output}\n`);
      return ok ? 0 : 3;
    }
    case 'audit': {
      const { output, ok } = await auditCommand(rest, process.env, (line) => process.stderr.write(`${line}\n`));
      process.stdout.write(`${output}\n`);
      return ok ? 0 : 3;
    }
    case 'backup':
      process.stdout.write(`${await backupCommand(rest, process.env, (line) => process.stderr.write(`${line}\n`))}\n`);
      return 0;
    case 'restore':
      process.stdout.write(`${await restoreCommand(rest, process.env, (line) => process.stderr.write(`${line}\n`))}\n`);
      return 0;
    case 'seed':
      process.stdout.write(`${await seedCommand(rest, process.env, (line) => process.stderr.write(`${line}\n`))}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`jejak: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    // One line for anything expected (a locked data directory, an existing user); never a stack trace.
    process.stderr.write(`jejak: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(usage ? 2 : 1);
  },
);
