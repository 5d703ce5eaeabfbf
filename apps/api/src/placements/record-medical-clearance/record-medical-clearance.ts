import type { RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { Body, Inject, Param, Res } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { VAULT } from '../../tokens';
import { DocumentStepDto } from '../placements.dto';
import { PlacementSteps, Written } from '../placements.handlers';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

export class RecordMedicalClearance extends Command<Written> {
  constructor(
    readonly placementId: string,
    readonly documentId: string,
    readonly on: string | undefined,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/** Opens the sealed health result of the certificate for the guard; the result itself is never written in clear. */
@CommandHandler(RecordMedicalClearance)
export class RecordMedicalClearanceHandler implements ICommandHandler<RecordMedicalClearance> {
  constructor(
    private readonly steps: PlacementSteps,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  execute({ placementId, documentId, on, context, ifMatch }: RecordMedicalClearance): Promise<Written> {
    return this.steps.run(
      placementId,
      async (state) => {
        const sealed = state.documents[documentId]?.sealed.healthResult;
        const fit = sealed !== undefined && (await this.vault.reveal(state.subjectId!, { healthResult: sealed })).healthResult === 'fit';
        return { type: 'RecordMedicalClearance', documentId, fit };
      },
      on,
      context,
      ifMatch,
    );
  }
}

@PlacementsRoute()
export class RecordMedicalClearanceRoute extends PlacementRoutes {
  @CommandRoute(':id/medical-clearance')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  async medical(
    @Param('id', UUID) id: string,
    @Body() body: DocumentStepDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.respond(
      response,
      await this.commands.execute(new RecordMedicalClearance(id, body.documentId.toLowerCase(), body.on, context, ifMatch)),
    );
  }
}
