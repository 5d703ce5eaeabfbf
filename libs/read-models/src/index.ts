export { ProjectionEngine } from './engine';
export type { ProjectionStatus } from './engine';
export { applyBatch, createTable, tableName } from './projection';
export type { ColumnType, DocumentProjection } from './projection';
export { casesProjection } from './projections/cases';
export type { CaseSummary } from './projections/cases';
