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
  /** NaN or Infinity in what the caller gave: inputs, labels, the model's weights, importances. */
  | 'NON_FINITE'
  /** The method's own update turned weights (or its loss) into NaN or Infinity; the model was left unchanged. */
  | 'DIVERGED'
  | 'NO_TRAINABLE_WEIGHTS'
  | 'UNKNOWN_METHOD'
  | 'DUPLICATE_METHOD'
  | 'INVALID_OPTION'
  | 'UNSUPPORTED_MODEL'
  | 'BACKEND_UNAVAILABLE'
  | 'CORRUPT_FILE'
  | 'MISMATCH'
  | 'UTILITY_COLLAPSE'
  /** The method cannot do what this request asks, e.g. UNSIR (class forgetting only) given a random forget set. */
  | 'UNSUPPORTED_REQUEST';

/**
 * Where in the request a problem is, for callers that point at it (a form field, a file, a row)
 * rather than show the message: `{ split: 'forget', field: 'y', index: 3 }` is row 3 of the forget
 * labels; `{ split: 'model', field: 'weights' }` the input model's weights.
 */
export interface UnlearnErrorLocation {
  split?: string;
  field?: string;
  index?: number;
}

export class UnlearnError extends Error {
  readonly code: UnlearnErrorCode;
  override readonly name = 'UnlearnError';
  readonly split?: string;
  readonly field?: string;
  readonly index?: number;

  constructor(code: UnlearnErrorCode, message: string, options?: { cause?: unknown } & UnlearnErrorLocation) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options?.split !== undefined) this.split = options.split;
    if (options?.field !== undefined) this.field = options.field;
    if (options?.index !== undefined) this.index = options.index;
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
