/**
 * Every failure the toolkit reports on purpose is an `UnlearnError` with a stable `code`,
 * so CLIs and callers can branch on the kind of problem without parsing messages.
 */
export type UnlearnErrorCode =
  | 'ABORTED'
  | 'EMPTY_DATASET'
  | 'SHAPE_MISMATCH'
  | 'MISSING_LABELS'
  | 'LABEL_OUT_OF_RANGE'
  | 'MISSING_DATA'
  | 'NON_FINITE'
  | 'NO_TRAINABLE_WEIGHTS'
  | 'UNKNOWN_METHOD'
  | 'DUPLICATE_METHOD'
  | 'INVALID_OPTION'
  | 'UNSUPPORTED_MODEL'
  | 'BACKEND_UNAVAILABLE'
  | 'CORRUPT_FILE'
  | 'MISMATCH'
  | 'UTILITY_COLLAPSE';

export class UnlearnError extends Error {
  readonly code: UnlearnErrorCode;
  override readonly name = 'UnlearnError';

  constructor(code: UnlearnErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isUnlearnError(error: unknown, code?: UnlearnErrorCode): error is UnlearnError {
  return error instanceof UnlearnError && (code === undefined || error.code === code);
}

export function abortError(reason?: unknown): UnlearnError {
  const detail = reason instanceof Error ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : '';
  return new UnlearnError('ABORTED', `The unlearning run was aborted${detail}`, { cause: reason });
}

export function invalidOption(method: string, option: string, requirement: string, value: unknown): UnlearnError {
  return new UnlearnError(
    'INVALID_OPTION',
    `${method}: option "${option}" must be ${requirement} (got ${JSON.stringify(value)})`,
  );
}
