import { isUnlearnError, type UnlearnErrorCode } from '@unlearn/core';

/** Exit statuses scripts can branch on; documented in the README. */
export const ExitCode = {
  OK: 0,
  UNEXPECTED: 1,
  USAGE: 2,
  BAD_INPUT: 3,
  ABORTED: 4,
  REFUSED: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type CliErrorKind = 'usage' | 'bad-input' | 'aborted' | 'refused';

const KIND_EXIT: Record<CliErrorKind, ExitCode> = {
  usage: ExitCode.USAGE,
  'bad-input': ExitCode.BAD_INPUT,
  aborted: ExitCode.ABORTED,
  refused: ExitCode.REFUSED,
};

/** A failure the CLI reports on purpose, with the exit status it maps to. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly kind: CliErrorKind;
  /** A stable machine-readable code for --json output. */
  readonly code: string;
  /** The command already printed its result (e.g. verify's checks); print only the exit status. */
  reported = false;

  constructor(kind: CliErrorKind, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.code = code;
  }
}

export const usageError = (message: string) => new CliError('usage', 'USAGE', message);
export const badInput = (code: string, message: string, cause?: unknown) =>
  new CliError('bad-input', code, message, cause === undefined ? undefined : { cause });

const CORE_EXIT: Partial<Record<UnlearnErrorCode, ExitCode>> = {
  ABORTED: ExitCode.ABORTED,
  UTILITY_COLLAPSE: ExitCode.REFUSED,
  UNKNOWN_METHOD: ExitCode.USAGE,
  INVALID_OPTION: ExitCode.USAGE,
  DUPLICATE_METHOD: ExitCode.USAGE,
  BACKEND_UNAVAILABLE: ExitCode.USAGE,
  EMPTY_DATASET: ExitCode.BAD_INPUT,
  SHAPE_MISMATCH: ExitCode.BAD_INPUT,
  MISSING_LABELS: ExitCode.BAD_INPUT,
  LABEL_OUT_OF_RANGE: ExitCode.BAD_INPUT,
  MISSING_DATA: ExitCode.BAD_INPUT,
  NO_TRAINABLE_WEIGHTS: ExitCode.BAD_INPUT,
  UNSUPPORTED_MODEL: ExitCode.BAD_INPUT,
  UNSUPPORTED_REQUEST: ExitCode.BAD_INPUT,
  CORRUPT_FILE: ExitCode.BAD_INPUT,
  MISMATCH: ExitCode.BAD_INPUT,
  // NaN or Infinity in what was given: the data, the model's weights, an importance cache.
  NON_FINITE: ExitCode.BAD_INPUT,
  // The method's own update became NaN: the input was fine and nothing was kept, as when a guard
  // refuses; a script retries with gentler options on 5 either way.
  DIVERGED: ExitCode.REFUSED,
};

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return KIND_EXIT[error.kind];
  if (isUnlearnError(error)) return CORE_EXIT[error.code] ?? ExitCode.UNEXPECTED;
  return ExitCode.UNEXPECTED;
}

export function errorCodeOf(error: unknown): string {
  if (error instanceof CliError || isUnlearnError(error)) return error.code;
  return 'UNEXPECTED';
}
