import { Module } from '@nestjs/common';

import { PreventionsController } from './preventions.controller';
import { PREVENTION_HANDLERS } from './preventions.handlers';

/** Prevention of non-procedural placement: stopping illegal recruitment. */
@Module({ controllers: [PreventionsController], providers: [...PREVENTION_HANDLERS] })
export class PreventionsModule {}
