import { type Actor, type SeedPlan, type Step, type Unit, unitsOfOfficer } from './plan';

export interface SeedResult {
  readonly scripts: number;
  readonly requests: number;
  /** The global position of the last write, for X-Min-Position. */
  readonly position: string;
  readonly seconds: number;
}

export interface SeedOptions {
  readonly url: string;
  /** Signs a token for an actor id, role and scope. */
  readonly token: (sub: string, role: 'officer' | 'supervisor' | 'admin', scope: string, units?: readonly Unit[]) => Promise<string>;
  /** Items run at once; each item's own steps always run in order. */
  readonly concurrency?: number;
  readonly progress?: (line: string) => void;
}

class SeedFailed extends Error {}

/**
 * Runs a plan against a running API, through the same HTTP commands officers use. Every write carries
 * X-Occurred-At (the simulated time) and an Idempotency-Key derived from the plan, so a retry after a
 * dropped connection never writes twice. Stops at the first refusal, naming the step (never its body,
 * which holds personal data).
 */
export async function runSeed(plan: SeedPlan, options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (actor: Actor, village: string | undefined): Promise<string> => {
    const [sub, role, scope] =
      actor === 'admin'
        ? ['seed-admin', 'admin', 'national']
        : 'officer' in actor
          ? [actor.officer, 'officer', `village:${village ?? actor.officer.split('-')[1]}`]
          : [actor.supervisor, 'supervisor', `province:${actor.supervisor.split('-')[1]}`];
    const units = role === 'officer' ? unitsOfOfficer(sub) : undefined;
    if (!tokens.has(sub)) tokens.set(sub, options.token(sub, role as 'officer' | 'supervisor' | 'admin', scope, units));
    return tokens.get(sub)!;
  };
  let position = 0n;
  let requests = 0;
  const send = async (step: Step, key: string, captured: Map<string, string>): Promise<void> => {
    const path = step.path.replace(/\{(\w+)\}/g, (_m, name: string) => captured.get(name) ?? `{${name}}`);
    const headers: Record<string, string> = {
      authorization: `Bearer ${await tokenFor(step.actor, undefined)}`,
      'content-type': 'application/json',
      'idempotency-key': key,
      ...(step.at ? { 'x-occurred-at': step.at } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${options.url}${path}`, { method: 'POST', headers, body: JSON.stringify(step.body) });
      } catch (error) {
        if (attempt < 5) {
          await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
          continue;
        }
        throw new SeedFailed(`POST ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
      requests++;
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      if (response.status === 503 && attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
        continue;
      }
      if (response.status >= 300) {
        // Field names and rule messages only: problem bodies never echo the values sent.
        const fields = Array.isArray(body.errors)
          ? ` (${(body.errors as { field: string; message: string }[]).map((e) => `${e.field} ${e.message}`).join('; ')})`
          : '';
        throw new SeedFailed(
          `POST ${path} answered ${response.status} ${String(body.code ?? '')}: ${String(body.detail ?? body.title ?? '')}${fields}`,
        );
      }
      if (typeof body.position === 'string' && BigInt(body.position) > position) position = BigInt(body.position);
      if (step.capture) captured.set(step.capture, String(body[step.capture]));
      return;
    }
  };

  for (const [i, step] of plan.agencies.entries())
    await send(step, `seed-agency-${i}-${String(step.body.agencyId ?? step.path.split('/')[2])}`, new Map());

  let next = 0;
  let done = 0;
  let lastReport = Date.now();
  const total = plan.scripts.length;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= total) return;
      const script = plan.scripts[index]!;
      const captured = new Map<string, string>();
      for (const [s, step] of script.steps.entries()) await send(step, `seed-${index}-${s}-${step.at ?? ''}`, captured);
      done++;
      if (Date.now() - lastReport > 2_000) {
        lastReport = Date.now();
        options.progress?.(
          `seed: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} items, ${requests.toLocaleString('en-US')} requests, ${Math.round(requests / ((Date.now() - started) / 1000))}/s`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return { scripts: total, requests, position: position.toString(), seconds: (Date.now() - started) / 1000 };
}
