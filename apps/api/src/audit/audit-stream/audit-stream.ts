import { NotFound, type RequestContext } from '@jejak/kernel';
import { Get, Param } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow } from '../../access/rules';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { RecordsAccess } from '../access-log';
import { AuditEvent, OutOfScope } from '../audit.dto';
import { AuditRoute, AuditRoutes } from '../audit.routes';
import { areaOfStream, covers } from '../replay';

@AuditRoute()
export class AuditStreamRoute extends AuditRoutes {
  /** Every event of a stream as stored (sealed values stay sealed), with actors, correlation and causation ids and link hashes. */
  @Get('streams/:stream')
  // Raw streams and cross-stream queries: auditors; the territory is checked against each stream's area.
  @Allow(['auditor'])
  @RecordsAccess('stream')
  @ApiOkResponse({
    description:
      'the stream as stored, in revision order: metadata (actor, role, correlation and causation ids, occurredAt) and link hash per event',
  })
  @ApiProblems(403, 404)
  async stream(
    @Param('stream') streamId: string,
    @Ctx() context: RequestContext,
  ): Promise<{ streamId: string; area: string | null; items: AuditEvent[] }> {
    if (!/^[a-z][a-z0-9-]{0,199}$/.test(streamId)) throw new NotFound('STREAM_NOT_FOUND', 'No such stream');
    const area = await areaOfStream(this.store, streamId);
    const items = await this.storedStream(streamId);
    if (items.length === 0) throw new NotFound('STREAM_NOT_FOUND', 'No such stream');
    if (!covers(context.actor!, area)) throw new OutOfScope('The stream belongs to an area outside your territorial scope');
    return { streamId, area, items };
  }
}
