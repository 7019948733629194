export { buildProgram, runCli } from './program.js';
export type { CliIO, OutputStream } from './io.js';
export { CliError, ExitCode, exitCodeOf } from './exit-codes.js';
export type { CliErrorKind } from './exit-codes.js';

export { parseNpy } from './npy.js';
export { parseJsonArray } from './json-array.js';
export { readImageFolder, digestImageFolder } from './images.js';
export type { ImageFolder } from './images.js';
export type { NumericArray } from './numeric-array.js';
export { loadSplit, readArray } from './data.js';
export type { InputProvenance, LabelProvenance, LoadedSplit, SplitSpec } from './data.js';
export { applySets, parseSetValue } from './method-options.js';

export { discoverPlugins, projectRoot, PLUGIN_KEYWORD, CONFIG_FILE } from './plugins.js';
export type { PluginCandidate, PluginLoad } from './plugins.js';
export { loadMethods } from './methods.js';
export type { LoadOptions, MethodCatalog, MethodOverride } from './methods.js';

export { RECORD_JSON, RECORD_MD, renderRecordMarkdown } from './record.js';
export type { BeforeAfter, DeletionRecord, ModelRecord, PluginRecord, SplitRecord } from './record.js';
export { recordDigest } from './record-digest.js';
export type { RecordDigest } from './record-digest.js';
export type { RecordSignature } from './record-signature.js';
export { readRecord, verifyRecord } from './verify.js';
export type { VerifyCheck, VerifyResult, VerifyTargets } from './verify.js';
