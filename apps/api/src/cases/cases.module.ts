import { Module } from '@nestjs/common';

import { CasesController } from './cases.controller';
import { CASE_HANDLERS } from './cases.handlers';

/** Case accompaniment: a worker's complaint from intake to closure. */
@Module({ controllers: [CasesController], providers: [...CASE_HANDLERS] })
export class CasesModule {}
