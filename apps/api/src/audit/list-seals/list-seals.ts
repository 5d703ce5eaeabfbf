import { collectIfAny, type JsonValue, SEAL_STREAM } from '@jejak/event-store';
import { Get } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow } from '../../access/rules';
import { AuditRoute, AuditRoutes } from '../audit.routes';

@AuditRoute()
export class ListSealsRoute extends AuditRoutes {
  /** The seals, oldest first, for anchoring outside the system (a notary, a newspaper, another database). */
  @Get('seals')
  @Allow(['auditor'])
  @ApiOkResponse({ description: 'every seal: position, global hash, Ed25519 signature, public key, time; and the key fingerprint' })
  async seals(): Promise<{ fingerprint: string; items: JsonValue[] }> {
    const seals = await collectIfAny(this.store.readStream(SEAL_STREAM));
    return {
      fingerprint: this.key.fingerprint,
      items: seals.map((e) => ({ ...(e.data as object), recordedAt: e.recordedAt.toISOString() }) as JsonValue),
    };
  }
}
