import { exportBundle, recordAccess, subjectIdsOfStream } from '@jejak/audit';
import { eventMetadata } from '@jejak/event-store';
import { NotFound, type RequestContext } from '@jejak/kernel';
import { Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { OutOfScope } from '../audit.dto';
import { AuditRoute, AuditRoutes } from '../audit.routes';
import { areaOfStream, covers } from '../replay';

@AuditRoute()
export class CaseFileRoute extends AuditRoutes {
  /**
   * A signed case file of one stream, to take away: its events as stored, their links and the seals over
   * them, which `npm run cli -- audit verify-bundle` checks with no database. What is chained is sealed
   * first (when this process runs the sealer), so the whole stream is covered. The download is a read of
   * every person the stream names, and is logged as one (kind `export`).
   */
  @Get('streams/:stream/case-file')
  // A case file to take away: the territory is checked against the stream's area, the download logged.
  @Allow(['auditor'])
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'the case file (JSON), as an attachment named after the stream' })
  @ApiProblems(403, 404)
  async caseFile(@Param('stream') streamId: string, @Ctx() context: RequestContext, @Res() response: Response): Promise<void> {
    if (!/^[a-z][a-z0-9-]{0,199}$/.test(streamId)) throw new NotFound('STREAM_NOT_FOUND', 'No such stream');
    const area = await areaOfStream(this.store, streamId);
    if ((await this.storedStream(streamId)).length === 0) throw new NotFound('STREAM_NOT_FOUND', 'No such stream');
    if (!covers(context.actor!, area)) throw new OutOfScope('The stream belongs to an area outside your territorial scope');
    await this.integrity.sealNow();
    const bundle = await exportBundle(this.store, this.db, streamId, this.key);
    await recordAccess(
      this.store,
      {
        actorId: context.actor!.id,
        role: context.actor!.role,
        kind: 'export',
        recordId: streamId,
        route: 'GET /audit/streams/:stream/case-file',
        correlationId: context.correlationId,
        at: context.now,
      },
      await subjectIdsOfStream(this.store, streamId),
      eventMetadata(context),
    );
    response.status(200).type('application/json');
    response.setHeader('Content-Disposition', `attachment; filename="case-file-${streamId}.json"`);
    response.send(bundle.text);
  }
}
