import { Module } from '@nestjs/common';

import { SubjectsController } from './subjects.controller';
import { SUBJECT_HANDLERS } from './subjects.handlers';

/** Data subjects: the people whose personal data Jejak holds, sealed per person. */
@Module({ controllers: [SubjectsController], providers: [...SUBJECT_HANDLERS] })
export class SubjectsModule {}
