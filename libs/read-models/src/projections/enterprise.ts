/**
 * The economic unit for the figures and lists: one document per business, business group and
 * consultation, built from their events. A business counts on the day it started and the day it closed,
 * and each month it reported (its turnover as last corrected, the people it employed); a group on the day
 * it was formed and the day it became a cooperative; a consultation on the day it was held.
 */
import type { BusinessEvent, ConsultationEvent, GroupEvent, Volume } from '@jejak/enterprise';
import type { JsonValue } from '@jejak/event-store';

import type { ProgramFact } from '../metrics';
import { type DocumentProjection, subjectIds } from '../projection';

export interface EnterpriseSummary {
  readonly id: string;
  readonly kind: 'business' | 'group' | 'consultation';
  readonly areaCode: string;
  readonly name: string | null;
  /** Started (a business), formed (a group), held (a consultation). */
  readonly day: string;
  readonly sector: string | null;
  readonly status: string;
  readonly closedOn: string | null;
  readonly volumes: Readonly<Record<string, Volume>>;
  readonly legalStatus: string | null;
  readonly cooperativeOn: string | null;
  readonly agency: string | null;
  /** A consultation's topic and the businesses it concerned. */
  readonly topic: string | null;
  readonly businesses: readonly string[];
  /** Owners of a business, present members of a group. */
  readonly people: readonly string[];
  readonly revision: string;
}

type Doc = EnterpriseSummary & JsonValue;

const blank = {
  name: null,
  sector: null,
  status: 'active',
  closedOn: null,
  volumes: {},
  legalStatus: null,
  cooperativeOn: null,
  agency: null,
  topic: null,
  businesses: [],
  people: [],
} as const;

export function enterpriseProjection(): DocumentProjection<Doc> {
  return {
    name: 'enterprise',
    version: 2,
    filter: { streamPrefixes: ['business-', 'group-', 'consultation-'] },
    keyOf: (event) => event.streamId,
    evolve: (document, event) => {
      const revision = event.revision.toString();
      const doc = document as EnterpriseSummary | null;
      const e = { type: event.type, data: event.data } as BusinessEvent | GroupEvent | ConsultationEvent;
      switch (e.type) {
        case 'BusinessRegistered':
          return {
            ...blank,
            id: e.data.businessId,
            kind: 'business',
            areaCode: e.data.areaCode,
            name: e.data.name,
            day: e.data.startedOn,
            sector: e.data.sector,
            people: e.data.owners,
            revision,
          } as Doc;
        case 'BusinessStatusChanged':
          return doc && ({ ...doc, status: e.data.to, closedOn: e.data.to === 'closed' ? e.data.on : doc.closedOn, revision } as Doc);
        case 'BusinessVolumeReported':
          return (
            doc &&
            ({
              ...doc,
              volumes: { ...doc.volumes, [e.data.month]: { turnover: e.data.turnover, employed: e.data.employed } },
              revision,
            } as Doc)
          );
        case 'BusinessVolumeCorrected':
          return doc && ({ ...doc, volumes: { ...doc.volumes, [e.data.month]: e.data.to }, revision } as Doc);
        case 'BusinessGroupFormed':
          return {
            ...blank,
            id: e.data.groupId,
            kind: 'group',
            areaCode: e.data.areaCode,
            name: e.data.name,
            day: e.data.formedOn,
            legalStatus: e.data.legalStatus,
            cooperativeOn: e.data.legalStatus === 'cooperative' ? e.data.formedOn : null,
            revision,
          } as Doc;
        case 'GroupMemberJoined':
          return doc && ({ ...doc, people: [...doc.people, e.data.subjectId], revision } as Doc);
        case 'GroupMemberLeft':
          return doc && ({ ...doc, people: doc.people.filter((p) => p !== e.data.subjectId), revision } as Doc);
        case 'GroupRegisteredAsCooperative':
          return doc && ({ ...doc, legalStatus: 'cooperative', cooperativeOn: e.data.on, revision } as Doc);
        case 'ConsultationRecorded':
          return {
            ...blank,
            id: e.data.consultationId,
            kind: 'consultation',
            areaCode: e.data.areaCode,
            day: e.data.heldOn,
            agency: e.data.agency,
            topic: e.data.topic,
            businesses: e.data.businesses,
            revision,
          } as Doc;
      }
    },
    facts: (d): ProgramFact[] => {
      const area = d.areaCode;
      switch (d.kind) {
        case 'business':
          return [
            { area, day: d.day, metric: 'enterprise.businesses_started', key: d.sector! },
            ...(d.closedOn ? [{ area, day: d.closedOn, metric: 'enterprise.businesses_closed' as const }] : []),
            ...Object.entries(d.volumes).flatMap(([month, v]): ProgramFact[] => [
              { area, day: `${month}-01`, metric: 'enterprise.businesses_reporting' },
              { area, day: `${month}-01`, metric: 'enterprise.turnover', n: v.turnover },
              { area, day: `${month}-01`, metric: 'enterprise.turnover_values', key: String(v.turnover) },
              { area, day: `${month}-01`, metric: 'enterprise.employed', n: v.employed },
            ]),
          ];
        case 'group':
          return [
            { area, day: d.day, metric: 'enterprise.groups_formed' },
            ...(d.cooperativeOn ? [{ area, day: d.cooperativeOn, metric: 'enterprise.cooperatives' as const }] : []),
          ];
        case 'consultation':
          return [{ area, day: d.day, metric: 'enterprise.consultations', key: d.agency! }];
      }
    },
    columns: {
      kind: { type: 'text', of: (d) => d.kind },
      area: { type: 'text', of: (d) => d.areaCode },
      day: { type: 'text', of: (d) => d.day },
      sort_at: { type: 'timestamptz', of: (d) => `${d.day}T00:00:00Z` },
      status: { type: 'text', of: (d) => d.status },
      subjects: { type: 'text[]', of: (d) => subjectIds(...d.people) },
    },
    indexes: { kind_sorted: '(kind, sort_at desc, id desc) include (area, day)' },
  };
}
