import { collectIfAny, type EventStore } from '@jejak/event-store';
import { type RequestContext, scopeCovers } from '@jejak/kernel';
import { LINK_MANAGERS, linkFailureStream, type LinkStepFailure } from '@jejak/process-managers';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { Allow } from '../access/rules';
import { Ctx } from '../http/context';
import { ApiAuthenticated } from '../http/openapi';
import { EVENT_STORE } from '../tokens';

export interface LinkFailureView extends LinkStepFailure {
  readonly recordedAt: string;
}

@ApiTags('links')
@ApiAuthenticated()
@Controller('links')
export class LinksController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * What the process managers could not do (a placement named by an outcome that does not exist, a
   * person whose NIK or birth date is missing), for the records of the caller's territory, oldest first.
   * The managers recorded each one and went on; an officer corrects the record and acts again.
   */
  @Get('failures')
  // What the process managers could not do: each answer filtered to the caller's territory.
  @Allow(['supervisor', 'auditor', 'admin'])
  @ApiOkResponse({ description: 'steps the process managers could not take, with the record that caused each and why' })
  async failures(@Ctx() context: RequestContext): Promise<{ items: LinkFailureView[] }> {
    const items: LinkFailureView[] = [];
    for (const name of LINK_MANAGERS) {
      for (const event of await collectIfAny(this.store.readStream(linkFailureStream(name)))) {
        const failure = event.data as unknown as LinkStepFailure;
        const visible = context.actor!.scopes.some(
          (s) => s.level === 'national' || (failure.areaCode !== null && scopeCovers(s, failure.areaCode)),
        );
        if (visible) items.push({ ...failure, recordedAt: event.recordedAt.toISOString() });
      }
    }
    return { items: items.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)) };
  }
}
