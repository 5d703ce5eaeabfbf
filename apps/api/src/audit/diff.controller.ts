import { caseDecider, type CaseEvent, caseStream } from '@jejak/accompaniment';
import type { EventStore } from '@jejak/event-store';
import { NotFound } from '@jejak/kernel';
import { placementDecider, type PlacementEvent, placementStream } from '@jejak/placement';
import { preventionDecider, type PreventionEvent, preventionStream } from '@jejak/prevention';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

import { Allow, IN_CASE, IN_PLACEMENT, IN_PREVENTION, READERS } from '../access/rules';
import { ApiAuthenticated, ApiProblems } from '../http/openapi';
import { ValidationFailed } from '../http/problem';
import { UuidPipe } from '../http/uuid.pipe';
import { EVENT_STORE } from '../tokens';
import { RecordsAccess } from './access-log';
import { diffStream, type FieldChange } from './replay';

const UUID = new UuidPipe();

export class DiffQuery {
  @ApiProperty({ description: 'the revision to compare from (its state is the starting point)' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  from!: number;

  @ApiProperty({ description: 'the revision to compare to' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  to!: number;
}

type Diff = { id: string; from: number; to: number; changes: FieldChange[] };

/**
 * `GET /<resource>/<id>/diff?from=&to=`: the fields each event after `from` up to `to` changed in the
 * record's folded state, with the actor who changed them. Sealed and personal fields show that they
 * changed, never their values.
 */
@ApiTags('audit')
@ApiAuthenticated()
@Controller()
export class DiffController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('cases/:id/diff')
  @Allow(READERS, IN_CASE)
  @RecordsAccess('case')
  @ApiOkResponse({ description: 'changed fields per event, with actors' })
  @ApiProblems(400, 404)
  cases(@Param('id', UUID) id: string, @Query() q: DiffQuery): Promise<Diff> {
    return this.diff(id, caseStream(id), (s, e) => caseDecider.evolve(s, e as CaseEvent), caseDecider.initialState, q, 'CASE_NOT_FOUND');
  }

  @Get('placements/:id/diff')
  @Allow(READERS, IN_PLACEMENT)
  @RecordsAccess('placement')
  @ApiOkResponse({ description: 'changed fields per event, with actors' })
  @ApiProblems(400, 404)
  placements(@Param('id', UUID) id: string, @Query() q: DiffQuery): Promise<Diff> {
    return this.diff(
      id,
      placementStream(id),
      (s, e) => placementDecider.evolve(s, e as PlacementEvent),
      placementDecider.initialState,
      q,
      'PLACEMENT_NOT_FOUND',
    );
  }

  @Get('preventions/:id/diff')
  @Allow(READERS, IN_PREVENTION)
  @RecordsAccess('prevention')
  @ApiOkResponse({ description: 'changed fields per event, with actors' })
  @ApiProblems(400, 404)
  preventions(@Param('id', UUID) id: string, @Query() q: DiffQuery): Promise<Diff> {
    return this.diff(
      id,
      preventionStream(id),
      (s, e) => preventionDecider.evolve(s, e as PreventionEvent),
      preventionDecider.initialState,
      q,
      'PREVENTION_NOT_FOUND',
    );
  }

  private async diff<S>(
    id: string,
    streamId: string,
    evolve: (s: S, e: { type: string; data: unknown }) => S,
    initial: S,
    q: DiffQuery,
    notFound: `${string}_NOT_FOUND`,
  ): Promise<Diff> {
    if (q.from > q.to) throw new ValidationFailed([{ field: 'from', message: 'must not be after to' }]);
    try {
      return { id, ...(await diffStream(this.store, streamId, evolve as never, initial, BigInt(q.from), BigInt(q.to))) };
    } catch (error) {
      if ((error as { code?: string }).code === 'STREAM_NOT_FOUND') throw new NotFound(notFound, 'No such record');
      throw error;
    }
  }
}
