export { AUDIT_MIGRATIONS, Sealer, chainHead, chainer, lastSeal, logTable, migrateAudit, mirror, startIntegrity } from './chain';
export type { Integrity, SealData, SealPolicy } from './chain';
export { loadSealKey, publicSealKey, sealSignatureValid, signSeal } from './seal-key';
export type { SealKey } from './seal-key';
export { verifyLog } from './verify';
export { verifyIntegrity, verifyStoreLog } from './verify-store';
export type { BreakKind, BrokenLink, VerifyProgress, VerifyResult } from './verify';
export { BUNDLE_FORMAT, exportBundle, verifyBundle } from './bundle';
export type { BundleBody, BundleVerdict } from './bundle';
