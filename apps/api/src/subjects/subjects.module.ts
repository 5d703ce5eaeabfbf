import { Module } from '@nestjs/common';

import { AccessReportRoute, ProvideAccessReportHandler } from './access-report/access-report';
import { CorrectSubjectHandler, CorrectSubjectRoute } from './correct-subject/correct-subject';
import { EraseSubjectRoute } from './erase-subject/erase-subject';
import { GetSubjectHandler, GetSubjectRoute } from './get-subject/get-subject';
import { LookupByNikHandler, LookupByNikRoute } from './lookup-by-nik/lookup-by-nik';
import { PlaceLegalHoldRoute } from './place-legal-hold/place-legal-hold';
import { RegisterSubjectHandler, RegisterSubjectRoute } from './register-subject/register-subject';
import { ReleaseLegalHoldRoute } from './release-legal-hold/release-legal-hold';
import { GetSubjectHistoryHandler, SubjectHistoryRoute } from './subject-history/subject-history';
import { DecideOnSubjectHandler } from './subjects.handlers';

/**
 * Data subjects: the people whose personal data Jejak holds, sealed per person. One folder per use case
 * (route, DTO, own handler); legal holds and erasure share DecideOnSubject (subjects.handlers.ts).
 */
@Module({
  controllers: [
    RegisterSubjectRoute,
    LookupByNikRoute,
    GetSubjectRoute,
    SubjectHistoryRoute,
    CorrectSubjectRoute,
    PlaceLegalHoldRoute,
    ReleaseLegalHoldRoute,
    EraseSubjectRoute,
    AccessReportRoute,
  ],
  providers: [
    RegisterSubjectHandler,
    CorrectSubjectHandler,
    DecideOnSubjectHandler,
    GetSubjectHandler,
    LookupByNikHandler,
    GetSubjectHistoryHandler,
    ProvideAccessReportHandler,
  ],
})
export class SubjectsModule {}
