import { DeciderSpecification, type SpecCommand } from '@jejak/testing';

import { type BusinessCommand, businessDecider, type BusinessEvent } from './business';
import { consultationDecider } from './consultation';
import { type GroupCommand, groupDecider, type GroupEvent } from './group';
import { type KurCommand, kurDecider, type KurEvent } from './kur';

const envelope = { by: 'officer-2', at: new Date('2026-05-10T03:00:00Z'), today: '2026-05-10' };
const A = 'a0000000-0000-4000-8000-00000000000a';
const B = 'b0000000-0000-4000-8000-00000000000b';

describe('business decider', () => {
  const spec = DeciderSpecification.for(businessDecider, envelope);
  const register: SpecCommand<BusinessCommand> = {
    type: 'RegisterBusiness',
    businessId: 'b1',
    areaCode: '3201012001',
    name: 'Keripik Singkong Bu Ani',
    sector: 'food_processing',
    startedOn: '2026-02-01',
    owners: [A],
  };
  const registered: BusinessEvent = {
    type: 'BusinessRegistered',
    data: {
      businessId: 'b1',
      areaCode: '3201012001',
      name: 'Keripik Singkong Bu Ani',
      sector: 'food_processing',
      startedOn: '2026-02-01',
      owners: [A],
      registeredBy: 'officer-2',
    },
  };
  const march: BusinessEvent = { type: 'BusinessVolumeReported', data: { month: '2026-03', turnover: 4_500_000, employed: 2 } };

  it('registers a business with its owners, sector and start', () => spec.given([]).when(register).then([registered]));

  it.each([
    ['no owner', { owners: [] }, 'OWNER_REQUIRED'],
    ['an owner twice', { owners: [A, A] }, 'OWNER_REPEATED'],
    ['a start after today', { startedOn: '2026-06-01' }, 'DATE_IN_FUTURE'],
  ])('refuses %s', (_name, change, code) =>
    spec
      .given([])
      .when({ ...register, ...change } as SpecCommand<BusinessCommand>)
      .thenThrows(code),
  );

  it('registers a business once', () => spec.given([registered]).when(register).thenThrows('BUSINESS_ALREADY_REGISTERED', 'conflict'));

  it('reports a month that is over', () =>
    spec.given([registered]).when({ type: 'ReportVolume', month: '2026-03', turnover: 4_500_000, employed: 2 }).then([march]));

  it.each([
    ['this month, not over yet', '2026-05', 'MONTH_NOT_OVER'],
    ['a month before the business started', '2026-01', 'MONTH_BEFORE_START'],
  ])('refuses a report of %s', (_name, month, code) =>
    spec.given([registered]).when({ type: 'ReportVolume', month, turnover: 1, employed: 1 }).thenThrows(code),
  );

  it('reports a month once: a second figure is a correction', () =>
    spec
      .given([registered, march])
      .when({ type: 'ReportVolume', month: '2026-03', turnover: 1, employed: 1 })
      .thenThrows('VOLUME_ALREADY_REPORTED'));

  it('corrects a month as an event that keeps what it was', () =>
    spec
      .given([registered, march])
      .when({ type: 'CorrectVolume', month: '2026-03', turnover: 5_000_000, employed: 2, reason: 'one invoice missed' })
      .then([
        {
          type: 'BusinessVolumeCorrected',
          data: {
            month: '2026-03',
            from: { turnover: 4_500_000, employed: 2 },
            to: { turnover: 5_000_000, employed: 2 },
            reason: 'one invoice missed',
          },
        },
      ]));

  it('decides nothing for a correction to the same figures, and refuses one of a month not reported', () => {
    spec
      .given([registered, march])
      .when({ type: 'CorrectVolume', month: '2026-03', turnover: 4_500_000, employed: 2, reason: 'x' })
      .thenNothingHappens();
    spec
      .given([registered])
      .when({ type: 'CorrectVolume', month: '2026-04', turnover: 1, employed: 1, reason: 'x' })
      .thenThrows('VOLUME_NOT_REPORTED');
  });

  it('pauses, resumes and closes a business; a closed one stays closed', () => {
    const paused = spec
      .given([registered])
      .followedBy({ type: 'ChangeBusinessStatus', status: 'paused', on: '2026-04-01', reason: 'harvest' });
    expect(paused.at(-1)).toEqual({
      type: 'BusinessStatusChanged',
      data: { from: 'active', to: 'paused', on: '2026-04-01', reason: 'harvest' },
    });
    const closed = spec
      .given(paused)
      .followedBy({ type: 'ChangeBusinessStatus', status: 'closed', on: '2026-04-20', reason: 'owner abroad' });
    spec
      .given(closed)
      .when({ type: 'ChangeBusinessStatus', status: 'active', on: '2026-05-01', reason: 'x' })
      .thenThrows('BUSINESS_CLOSED');
  });

  it('refuses a step on a business not on record', () =>
    spec
      .given([])
      .when({ type: 'ReportVolume', month: '2026-03', turnover: 1, employed: 1 })
      .thenThrows('BUSINESS_NOT_FOUND', 'not_found'));
});

describe('business group decider', () => {
  const spec = DeciderSpecification.for(groupDecider, envelope);
  const form: SpecCommand<GroupCommand> = {
    type: 'FormGroup',
    groupId: 'g1',
    areaCode: '3201012001',
    name: 'Kelompok Usaha Maju',
    formedOn: '2026-01-10',
    legalStatus: 'informal',
    registrationNumber: null,
  };
  const formed: GroupEvent = {
    type: 'BusinessGroupFormed',
    data: {
      groupId: 'g1',
      areaCode: '3201012001',
      name: 'Kelompok Usaha Maju',
      formedOn: '2026-01-10',
      legalStatus: 'informal',
      registrationNumber: null,
      formedBy: 'officer-2',
    },
  };

  it('forms an informal group', () => spec.given([]).when(form).then([formed]));

  it.each([
    ['a cooperative without its registration number', { legalStatus: 'cooperative' }, 'REGISTRATION_NUMBER_REQUIRED'],
    ['an informal group with a registration number', { registrationNumber: 'AHU-0001' }, 'REGISTRATION_NUMBER_NOT_ALLOWED'],
    ['a formation after today', { formedOn: '2026-06-01' }, 'DATE_IN_FUTURE'],
  ])('refuses %s', (_name, change, code) =>
    spec
      .given([])
      .when({ ...form, ...change } as SpecCommand<GroupCommand>)
      .thenThrows(code),
  );

  it('admits and lets go of members, each once', () => {
    const joined = spec.given([formed]).followedBy({ type: 'AdmitGroupMember', subjectId: A, on: '2026-02-01' });
    spec.given(joined).when({ type: 'AdmitGroupMember', subjectId: A, on: '2026-02-02' }).thenThrows('ALREADY_MEMBER');
    spec
      .given(joined)
      .when({ type: 'RecordGroupMemberLeaving', subjectId: A, on: '2026-03-01' })
      .then([{ type: 'GroupMemberLeft', data: { subjectId: A, leftOn: '2026-03-01' } }]);
    spec.given(joined).when({ type: 'RecordGroupMemberLeaving', subjectId: B, on: '2026-03-01' }).thenThrows('NOT_A_MEMBER');
    spec.given([formed]).when({ type: 'AdmitGroupMember', subjectId: B, on: '2026-01-01' }).thenThrows('DATE_BEFORE_FORMATION');
  });

  it('registers an informal group as a cooperative, once', () => {
    const registered = spec
      .given([formed])
      .followedBy({ type: 'RegisterAsCooperative', registrationNumber: 'AHU-0001234', on: '2026-04-01' });
    expect(spec.given(registered).state()).toMatchObject({ legalStatus: 'cooperative', registrationNumber: 'AHU-0001234' });
    spec
      .given(registered)
      .when({ type: 'RegisterAsCooperative', registrationNumber: 'AHU-9', on: '2026-04-02' })
      .thenThrows('ALREADY_COOPERATIVE');
  });
});

describe('consultation decider', () => {
  const spec = DeciderSpecification.for(consultationDecider, envelope);
  const record = {
    type: 'RecordConsultation',
    consultationId: 'c1',
    areaCode: '3201012001',
    heldOn: '2026-05-02',
    agency: 'cooperative_office',
    topic: 'credit_access',
    businesses: ['b1'],
  } as const;

  it('records a consultation about businesses', () => {
    const { type: _type, ...data } = record;
    spec
      .given([])
      .when(record)
      .then([{ type: 'ConsultationRecorded', data: { ...data, recordedBy: 'officer-2' } }]);
  });

  it.each([
    ['no business', { businesses: [] }, 'BUSINESS_REQUIRED'],
    ['a business twice', { businesses: ['b1', 'b1'] }, 'BUSINESS_REPEATED'],
    ['a day after today', { heldOn: '2026-05-11' }, 'DATE_IN_FUTURE'],
  ])('refuses %s', (_name, change, code) =>
    spec
      .given([])
      .when({ ...record, ...change })
      .thenThrows(code),
  );
});

describe('KUR decider', () => {
  const spec = DeciderSpecification.for(kurDecider, envelope);
  const apply = {
    type: 'ApplyForKur',
    kurId: 'k1',
    areaCode: '3201012001',
    applicantSubjectId: A,
    businessId: 'b1',
    bank: 'BRI',
    scheme: 'micro',
    on: '2026-04-02',
    sealed: { amountRequested: 'v1:sealed' },
  } as const;
  const applied: KurEvent = {
    type: 'KurApplied',
    data: {
      kurId: 'k1',
      areaCode: '3201012001',
      applicantSubjectId: A,
      businessId: 'b1',
      bank: 'BRI',
      scheme: 'micro',
      appliedOn: '2026-04-02',
      sealed: { amountRequested: 'v1:sealed' },
    },
  };
  const approve = { type: 'ApproveKur', on: '2026-04-10', sealed: { amountApproved: 'v1:a' } } as const;
  const disburse = { type: 'DisburseKur', on: '2026-04-15', sealed: { amount: 'v1:d' } } as const;

  it('records an application with its amount sealed', () => spec.given([]).when(apply).then([applied]));

  it('approves, disburses and follows repayment', () => {
    const history = spec.given([applied]).followedBy(approve, disburse);
    expect(history.slice(1)).toEqual([
      { type: 'KurApproved', data: { on: '2026-04-10', sealed: { amountApproved: 'v1:a' } } },
      { type: 'KurDisbursed', data: { on: '2026-04-15', sealed: { amount: 'v1:d' } } },
    ]);
    spec
      .given(history)
      .when({ type: 'RecordRepayment', status: 'late', on: '2026-05-08' })
      .then([{ type: 'KurRepaymentRecorded', data: { status: 'late', on: '2026-05-08' } }]);
    spec.given(history).when({ type: 'RecordRepayment', status: 'current', on: '2026-05-08' }).thenNothingHappens();
  });

  it.each([
    ['a disbursement before approval', [applied], disburse, 'KUR_NOT_APPROVED'],
    ['a second decision', [applied, { type: 'KurRefused', data: { on: '2026-04-05', sealed: {} } }], approve, 'KUR_ALREADY_DECIDED'],
    ['a repayment before disbursement', [applied], { type: 'RecordRepayment', status: 'late', on: '2026-05-01' }, 'KUR_NOT_DISBURSED'],
    ['a decision before the application', [applied], { ...approve, on: '2026-04-01' }, 'DATE_BEFORE_APPLICATION'],
    ['a decision after today', [applied], { ...approve, on: '2026-06-01' }, 'DATE_IN_FUTURE'],
    ['a second application', [applied], apply, 'KUR_ALREADY_APPLIED'],
  ] as const)('refuses %s', (_name, history, command, code) =>
    spec
      .given([...history] as KurEvent[])
      .when(command as SpecCommand<KurCommand>)
      .thenThrows(code),
  );
});
