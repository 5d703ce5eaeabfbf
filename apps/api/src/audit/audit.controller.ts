import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { verifyLog, type SealKey, type VerifyResult } from '@jejak/audit';
import type { SqlClient } from '@jejak/event-store';
import { ApiAuthenticated } from '../http/openapi';
import { SEAL_KEY, SQL_CLIENT } from '../tokens';

export type VerifyAnswer = VerifyResult & { readonly key: { readonly fingerprint: string; readonly publicKey: string } };

/**
 * Audit: proof that the log is unaltered. Verification recomputes both chains and every seal from the
 * stored events; it names the first broken link (never any event content) or how far the log is intact
 * and sealed. It covers the whole log, so any auditor may run it whatever their scope.
 */
@ApiAuthenticated()
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(SEAL_KEY) private readonly key: SealKey,
  ) {}

  @Get('verify')
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiOkResponse({
    description:
      'intact, or the first broken link (kind: modified, removed, inserted, reordered, bad_signature; position, stream, revision); with Accept: application/x-ndjson, progress lines first, the result last',
  })
  async verify(@Headers('accept') accept: string | undefined, @Res() response: Response): Promise<void> {
    const key = { fingerprint: this.key.fingerprint, publicKey: this.key.publicKeyBase64 };
    if (accept?.includes('application/x-ndjson')) {
      response.status(200).type('application/x-ndjson');
      let last = 0;
      const result = await verifyLog(this.db, this.key.publicKey, (p) => {
        if (Date.now() - last < 500) return;
        last = Date.now();
        response.write(`${JSON.stringify({ progress: p })}\n`);
      });
      response.end(`${JSON.stringify({ result: { ...result, key } })}\n`);
      return;
    }
    const result = await verifyLog(this.db, this.key.publicKey);
    response.status(200).json({ ...result, key } satisfies VerifyAnswer);
  }
}
