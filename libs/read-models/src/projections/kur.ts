/**
 * People's business credit for the figures: one document per application (its steps and their days, no
 * amount: those are sealed with the applicant's key) and one per amount counted in a village's statistics
 * stream (its day, kind and amount, naming neither the person nor the credit). The sums come from the
 * latter, so an applicant's erasure leaves the village's totals as they were.
 */
import type { KurAmountCounted, KurEvent } from '@jejak/enterprise';
import type { JsonValue } from '@jejak/event-store';

import type { ProgramFact } from '../metrics';
import { type DocumentProjection, subjectIds } from '../projection';

export type KurSummary =
  | {
      readonly kind: 'application';
      readonly id: string;
      readonly areaCode: string;
      readonly applicantSubjectId: string;
      readonly businessId: string | null;
      readonly bank: string;
      readonly scheme: string;
      readonly appliedOn: string;
      readonly approvedOn: string | null;
      readonly refusedOn: string | null;
      readonly disbursedOn: string | null;
      readonly repayment: string | null;
      readonly revision: string;
    }
  | {
      readonly kind: 'amount';
      readonly areaCode: string;
      readonly day: string;
      readonly counted: 'requested' | 'approved' | 'disbursed';
      readonly amount: number;
    };

type Doc = KurSummary & JsonValue;

export function kurProjection(): DocumentProjection<Doc> {
  return {
    name: 'kur',
    version: 2,
    filter: { streamPrefixes: ['kur-', 'kurstats-'] },
    // An application is its stream; each amount counted is a document of its own.
    keyOf: (event) => (event.streamId.startsWith('kurstats-') ? event.id : event.streamId),
    evolve: (document, event) => {
      const e = { type: event.type, data: event.data } as KurEvent | KurAmountCounted;
      const doc = document as Extract<KurSummary, { kind: 'application' }> | null;
      const revision = event.revision.toString();
      switch (e.type) {
        case 'KurAmountCounted':
          return { kind: 'amount', areaCode: e.data.areaCode, day: e.data.day, counted: e.data.kind, amount: e.data.amount } as Doc;
        case 'KurApplied':
          return {
            kind: 'application',
            id: e.data.kurId,
            areaCode: e.data.areaCode,
            applicantSubjectId: e.data.applicantSubjectId,
            businessId: e.data.businessId,
            bank: e.data.bank,
            scheme: e.data.scheme,
            appliedOn: e.data.appliedOn,
            approvedOn: null,
            refusedOn: null,
            disbursedOn: null,
            repayment: null,
            revision,
          } as Doc;
        case 'KurApproved':
          return doc && ({ ...doc, approvedOn: e.data.on, revision } as Doc);
        case 'KurRefused':
          return doc && ({ ...doc, refusedOn: e.data.on, revision } as Doc);
        case 'KurDisbursed':
          return doc && ({ ...doc, disbursedOn: e.data.on, revision } as Doc);
        case 'KurRepaymentRecorded':
          return doc && ({ ...doc, repayment: e.data.status, revision } as Doc);
      }
    },
    facts: (d): ProgramFact[] => {
      const area = d.areaCode;
      if (d.kind === 'amount') return [{ area, day: d.day, metric: `kur.amount_${d.counted}`, n: d.amount }];
      return [
        { area, day: d.appliedOn, metric: 'kur.applied' },
        ...(d.approvedOn ? [{ area, day: d.approvedOn, metric: 'kur.approved' as const }] : []),
        ...(d.refusedOn ? [{ area, day: d.refusedOn, metric: 'kur.refused' as const }] : []),
        ...(d.disbursedOn ? [{ area, day: d.disbursedOn, metric: 'kur.disbursed' as const }] : []),
      ];
    },
    columns: {
      kind: { type: 'text', of: (d) => d.kind },
      area: { type: 'text', of: (d) => d.areaCode },
      // The list of applications (amounts are never in these documents): by the day applied, the applicant.
      day: { type: 'text', of: (d) => (d.kind === 'application' ? d.appliedOn : d.day) },
      sort_at: { type: 'timestamptz', of: (d) => `${d.kind === 'application' ? d.appliedOn : d.day}T00:00:00Z` },
      subjects: { type: 'text[]', of: (d) => (d.kind === 'application' ? subjectIds(d.applicantSubjectId) : []) },
    },
    indexes: { kind_sorted: '(kind, sort_at desc, id desc) include (area, day)' },
  };
}
