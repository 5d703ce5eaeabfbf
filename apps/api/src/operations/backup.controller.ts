import type { JejakConfig } from '@jejak/config';
import { PGliteSqlClient, type SqlClient } from '@jejak/event-store';
import { JejakError, type RequestContext } from '@jejak/kernel';
import { backupEmbedded } from '@jejak/personal-data';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Forbidden } from '../access/access.guard';
import { Allow } from '../access/rules';
import { Clock } from '../http/clock';
import { Ctx } from '../http/context';
import { ApiAuthenticated } from '../http/openapi';
import { CONFIG, SQL_CLIENT } from '../tokens';

export class BackupNotEmbedded extends JejakError {
  readonly code = 'BACKUP_NOT_EMBEDDED';
  readonly kind = 'conflict' as const;
}

/**
 * Operations an administrator runs against the live process. `npm run cli -- backup` calls this one while
 * the API holds the embedded data directory (only one process may open it).
 */
@ApiTags('operations')
@ApiAuthenticated()
@Controller('admin')
export class BackupController {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(CONFIG) private readonly config: JejakConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * A consistent copy of the embedded store (its database and the subject keyring, at one moment) while
   * the API runs; writes wait for the copy's moment only, not for the download. The master key and the
   * seal key are not in it: keep them apart. The whole program's data, so a national administrator only.
   */
  @Get('backup')
  @Allow(['admin'])
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'the backup file, as `npm run cli -- restore` takes it' })
  @ApiConflictResponse({ description: 'BACKUP_NOT_EMBEDDED: with PostgreSQL, `npm run cli -- backup` takes the backup with pg_dump' })
  async backup(@Ctx() context: RequestContext, @Res() response: Response): Promise<void> {
    if (!context.actor!.scopes.some((s) => s.level === 'national'))
      throw new Forbidden('OUT_OF_SCOPE', 'A backup holds the whole program: it needs a national scope');
    if (!(this.db instanceof PGliteSqlClient))
      throw new BackupNotEmbedded('With PostgreSQL, take the backup with `npm run cli -- backup` (pg_dump of one snapshot)');
    const now = this.clock.now();
    const archive = await backupEmbedded(this.db, this.config.keyringFile, now);
    response
      .status(200)
      .setHeader('Content-Type', 'application/octet-stream')
      .setHeader('Content-Disposition', `attachment; filename="jejak-${now.toISOString().replace(/[:.]/g, '-')}.backup"`)
      .setHeader('Content-Length', String(archive.length))
      .end(archive);
  }
}
