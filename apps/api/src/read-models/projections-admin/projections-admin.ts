import type { ProjectionReport } from '@jejak/read-models';
import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { Allow } from '../../access/rules';
import { ApiAuthenticated, ApiProblems } from '../../http/openapi';
import { ProcessManagers } from '../../links/process-managers.service';
import { ReadModels } from '../read-models.service';

@ApiTags('admin')
@ApiAuthenticated()
@Controller('admin/projections')
export class ProjectionsAdminController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly managers: ProcessManagers,
  ) {}

  @Get()
  @Allow(['admin'])
  @ApiOkResponse({
    description: 'Each projection and process manager: state, position, lag in events and seconds, last event, rebuild progress, failure',
  })
  async status(): Promise<{ projections: ProjectionReport[]; processManagers: ReturnType<ProcessManagers['statuses']> }> {
    return { projections: await this.readModels.report(), processManagers: this.managers.statuses() };
  }

  @Post(':name/rebuild')
  @Allow(['admin'])
  @HttpCode(202)
  @ApiOkResponse({
    description: 'A new generation is built beside the live one; queries keep answering from the live one until the switch',
  })
  @ApiProblems(404)
  async rebuild(@Param('name') name: string): Promise<{ name: string; generation: number }> {
    return { name, generation: await this.readModels.rebuild(name) };
  }
}
