import { verifyIntegrity } from '@jejak/audit';
import { eventMacKey } from '@jejak/event-store';
import { Get, Headers, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { VerifyAnswer } from '../audit.dto';
import { AuditRoute, AuditRoutes } from '../audit.routes';

@AuditRoute()
export class VerifyChainRoute extends AuditRoutes {
  @Get('verify')
  // The whole log's integrity: no event content in the answer, so any auditor.
  @Allow(['auditor'])
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiOkResponse({
    description:
      'intact, or the first broken link (kind: modified, removed, inserted, reordered, bad_signature; position, stream, revision), and each read model compared with the log (readModels); with Accept: application/x-ndjson, progress lines first, the result last',
  })
  async verify(@Headers('accept') accept: string | undefined, @Res() response: Response): Promise<void> {
    const key = { fingerprint: this.key.fingerprint, publicKey: this.key.publicKeyBase64 };
    if (accept?.includes('application/x-ndjson')) {
      response.status(200).type('application/x-ndjson');
      let last = 0;
      const result = await verifyIntegrity(
        this.store,
        this.db,
        this.key.publicKey,
        (p) => {
          if (Date.now() - last < 500) return;
          last = Date.now();
          response.write(`${JSON.stringify({ progress: p })}\n`);
        },
        eventMacKey(this.config.masterKey),
      );
      const readModels = await this.readModels();
      this.metrics.recordVerification(result.intact, new Date());
      response.end(`${JSON.stringify({ result: { ...result, key, readModels } })}\n`);
      return;
    }
    const result = await verifyIntegrity(this.store, this.db, this.key.publicKey, undefined, eventMacKey(this.config.masterKey));
    this.metrics.recordVerification(result.intact, new Date());
    response.status(200).json({ ...result, key, readModels: await this.readModels() } satisfies VerifyAnswer);
  }
}
