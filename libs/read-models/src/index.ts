export type { ProjectionLag, ProjectionReport, ProjectionStatus } from './engine';
export { ProjectionEngine, ProjectionNotBuilt } from './engine';
export type { Figure } from './figures';
export { FIGURES, figuresMarkdown } from './figures';
export { localDayIn } from './local-day';
export type { Metric, ProgramFact } from './metrics';
export { METRICS } from './metrics';
export { programProjections } from './program';
export type { ColumnType, DocumentProjection } from './projection';
export type { Fact } from './projection';
export { applyBatch, createIndexes, createTable, dropTables, tableName } from './projection';
export type { CaseSummary } from './projections/cases';
export { casesProjection } from './projections/cases';
export { overdueSql, pendingDue, resolutionDays } from './projections/cases';
export type { CommunitySummary } from './projections/communities';
export { communitiesProjection } from './projections/communities';
export type { EnterpriseSummary } from './projections/enterprise';
export { enterpriseProjection } from './projections/enterprise';
export type { InformationSummary } from './projections/information';
export { informationProjection } from './projections/information';
export type { KurSummary } from './projections/kur';
export { kurProjection } from './projections/kur';
export type { PlacementSummary } from './projections/placements';
export { placementsProjection } from './projections/placements';
export type { PreventionSummary } from './projections/preventions';
export { preventionsProjection } from './projections/preventions';
export type { IndicatorRequest, IndicatorRow, IndicatorTables, Level } from './queries/indicators';
export { indicatorRows, indicatorsCsv, LEVELS, median, wholeMonths } from './queries/indicators';
export { ListQuery, namesSubject, parseDoc } from './queries/list-query';
export type {
  CaseFilter,
  CaseListItem,
  CommunityFilter,
  EnterpriseFilter,
  InformationFilter,
  KurFilter,
  KurListItem,
  Page,
  PageFilter,
  PlacementFilter,
  PreventionFilter,
  ReadModelTables,
  WorklistItem,
} from './queries/lists';
export {
  casesPage,
  communitiesPage,
  enterprisePage,
  informationPage,
  kurPage,
  placementsPage,
  preventionsPage,
  worklist,
} from './queries/lists';
export type { ReadModelDifference, ReadModelVerification } from './verify';
export { verifyReadModel } from './verify';
