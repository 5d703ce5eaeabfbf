import { type KurEvent, type KurScheme, kurStream, type RepaymentStatus } from '@jejak/enterprise';
import { type EventStore, foldStream } from '@jejak/event-store';
import type { PersonalDataVault } from '@jejak/personal-data';
import { Get, Inject, Param, Res } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_KUR, READERS } from '../../access/rules';
import { RecordsAccess } from '../../audit/access-log';
import { ApiProblems } from '../../http/openapi';
import { EVENT_STORE, VAULT } from '../../tokens';
import { EnterpriseRoutes, KurRoute, UUID } from '../enterprise.routes';
import { kurNotFound } from '../kur.handlers';

/** A KUR application as the officers of its village see it: the amounts opened with the applicant's key. */
export interface KurView {
  readonly id: string;
  readonly areaCode: string;
  readonly applicantSubjectId: string;
  readonly businessId: string | null;
  readonly bank: string;
  readonly scheme: KurScheme;
  readonly appliedOn: string;
  readonly amountRequested: number | null;
  readonly status: 'applied' | 'approved' | 'refused' | 'disbursed';
  readonly decidedOn: string | null;
  readonly amountApproved: number | null;
  readonly refusalReason: string | null;
  readonly disbursedOn: string | null;
  readonly amountDisbursed: number | null;
  readonly repayment: RepaymentStatus | null;
  readonly revision: number;
}

export class GetKur extends Query<KurView> {
  constructor(readonly kurId: string) {
    super();
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

@QueryHandler(GetKur)
export class GetKurHandler implements IQueryHandler<GetKur> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ kurId }: GetKur): Promise<KurView> {
    const events: KurEvent[] = [];
    const { revision } = await foldStream(
      this.store,
      kurStream(kurId),
      (n: number, e: KurEvent) => {
        events.push(e);
        return n + 1;
      },
      0,
    );
    const applied = events[0];
    if (applied?.type !== 'KurApplied' || revision === undefined) throw kurNotFound();
    const holder = applied.data.applicantSubjectId;
    // "[erased]" (the applicant erased) is shown as no amount.
    const amount = (text: string | undefined) => (text && /^\d+$/.test(text) ? Number(text) : null);
    const view: Mutable<KurView> = {
      id: kurId,
      areaCode: applied.data.areaCode,
      applicantSubjectId: holder,
      businessId: applied.data.businessId,
      bank: applied.data.bank,
      scheme: applied.data.scheme,
      appliedOn: applied.data.appliedOn,
      amountRequested: amount((await this.vault.reveal(holder, applied.data.sealed as Record<string, string>)).amountRequested),
      status: 'applied',
      decidedOn: null,
      amountApproved: null,
      refusalReason: null,
      disbursedOn: null,
      amountDisbursed: null,
      repayment: null,
      revision: Number(revision),
    };
    for (const e of events.slice(1)) {
      if (e.type === 'KurRepaymentRecorded') {
        view.repayment = e.data.status;
        continue;
      }
      if (e.type === 'KurApplied') continue;
      const opened = await this.vault.reveal(holder, e.data.sealed as Record<string, string>);
      if (e.type === 'KurApproved')
        Object.assign(view, { status: 'approved', decidedOn: e.data.on, amountApproved: amount(opened.amountApproved) });
      if (e.type === 'KurRefused') Object.assign(view, { status: 'refused', decidedOn: e.data.on, refusalReason: opened.reason ?? null });
      if (e.type === 'KurDisbursed')
        Object.assign(view, { status: 'disbursed', disbursedOn: e.data.on, amountDisbursed: amount(opened.amount), repayment: 'current' });
    }
    return view;
  }
}

@KurRoute()
export class GetKurRoute extends EnterpriseRoutes {
  @Get(':id')
  @Allow(READERS, IN_KUR)
  @RecordsAccess('kur')
  @ApiOkResponse({
    description:
      "The application with ETag: bank, scheme, its decision, disbursement and repayment, the amounts opened with the applicant's key",
  })
  @ApiProblems(400, 404)
  async get(@Param('id', UUID) id: string, @Res({ passthrough: true }) response: Response): Promise<KurView> {
    const view = await this.queries.execute(new GetKur(id));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
