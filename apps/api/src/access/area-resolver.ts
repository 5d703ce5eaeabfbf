import { Inject, Injectable } from '@nestjs/common';
import { foldStream, type EventStore } from '@jejak/event-store';
import { subjectDecider, subjectStream } from '@jejak/personal-data';
import { placementDecider, placementStream } from '@jejak/placement';
import { caseDecider, caseStream } from '@jejak/accompaniment';
import { preventionDecider, preventionStream } from '@jejak/prevention';
import type { JejakRequest } from '../http/request';
import { EVENT_STORE } from '../tokens';
import type { ScopeRule } from './policy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Finds the administrative code a request is about, for the scope check. */
@Injectable()
export class AreaResolver {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async resolve(rule: ScopeRule, request: JejakRequest): Promise<string | undefined> {
    switch (rule.from) {
      case 'body': {
        const value = (request.body as Record<string, unknown> | undefined)?.[rule.field];
        // Records belong to villages: anything but a 10-digit code is left to validation (400), not 403.
        return typeof value === 'string' && /^\d{10}$/.test(value) ? value : undefined;
      }
      case 'subject': {
        const id = request.params[rule.param];
        if (typeof id !== 'string' || !UUID.test(id)) return undefined;
        const { state } = await foldStream(this.store, subjectStream(id.toLowerCase()), subjectDecider.evolve, subjectDecider.initialState);
        return state.areaCode;
      }
      case 'placement': {
        const id = request.params[rule.param];
        if (typeof id !== 'string' || !UUID.test(id)) return undefined;
        const { state } = await foldStream(this.store, placementStream(id.toLowerCase()), placementDecider.evolve, placementDecider.initialState);
        return state.areaCode;
      }
      case 'case': {
        const id = request.params[rule.param];
        if (typeof id !== 'string' || !UUID.test(id)) return undefined;
        const { state } = await foldStream(this.store, caseStream(id.toLowerCase()), caseDecider.evolve, caseDecider.initialState);
        return state.areaCode;
      }
      case 'prevention': {
        const id = request.params[rule.param];
        if (typeof id !== 'string' || !UUID.test(id)) return undefined;
        const { state } = await foldStream(this.store, preventionStream(id.toLowerCase()), preventionDecider.evolve, preventionDecider.initialState);
        return state.areaCode;
      }
      default: {
        const unknown: never = rule;
        return unknown;
      }
    }
  }
}
