import type { PersonalDataVault } from '@jejak/personal-data';
import { Body, Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

import { Allow } from '../../access/rules';
import { CommandRoute } from '../../http/command-route';
import { ApiProblems } from '../../http/openapi';
import { VAULT } from '../../tokens';
import { SubjectRoutes, SubjectsRoute } from '../subjects.routes';

export class NikLookupDto {
  @ApiProperty({ example: '3201014501900001' })
  @Matches(/^\d{16}$/, { message: 'must be 16 digits' })
  nik!: string;
}

export class LookupByNik extends Query<string | undefined> {
  constructor(readonly nik: string) {
    super();
  }
}

@QueryHandler(LookupByNik)
export class LookupByNikHandler implements IQueryHandler<LookupByNik> {
  constructor(@Inject(VAULT) private readonly vault: PersonalDataVault) {}

  execute({ nik }: LookupByNik): Promise<string | undefined> {
    return this.vault.find('nik', nik);
  }
}

@SubjectsRoute()
export class LookupByNikRoute extends SubjectRoutes {
  /** By POST, so that the NIK never appears in a URL (and so in no proxy or access log). */
  @CommandRoute('lookup')
  // Duplicate check by NIK: any officer or supervisor may learn that a person is already registered.
  @Allow(['officer', 'supervisor'])
  @ApiOkResponse({ description: '`{ items: [{ id }] }`: the subject registered with this NIK, if any' })
  @ApiProblems(400)
  async lookup(@Body() body: NikLookupDto): Promise<{ items: { id: string }[]; nextCursor: null }> {
    const id = await this.queries.execute(new LookupByNik(body.nik));
    return { items: id ? [{ id }] : [], nextCursor: null };
  }
}
