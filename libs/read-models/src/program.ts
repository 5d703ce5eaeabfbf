import type { DeadlinePolicy } from '@jejak/accompaniment';

import { localDayIn } from './local-day';
import type { DocumentProjection } from './projection';
import { casesProjection } from './projections/cases';
import { communitiesProjection } from './projections/communities';
import { enterpriseProjection } from './projections/enterprise';
import { informationProjection } from './projections/information';
import { kurProjection } from './projections/kur';
import { placementsProjection } from './projections/placements';
import { preventionsProjection } from './projections/preventions';

/** The program's read models, as the API, the projector, the CLI and the benchmarks all run them. */
export function programProjections(settings: { readonly deadlines: DeadlinePolicy; readonly timeZone: string }): DocumentProjection[] {
  const localDay = localDayIn(settings.timeZone);
  return [
    casesProjection(settings.deadlines, localDay, settings.timeZone),
    placementsProjection(),
    preventionsProjection(localDay, settings.timeZone),
    informationProjection(localDay, settings.timeZone),
    communitiesProjection(),
    enterpriseProjection(),
    kurProjection(),
  ] as unknown as DocumentProjection[];
}
