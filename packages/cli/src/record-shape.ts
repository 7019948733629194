/**
 * What is wrong with the fields `verify` reads from a deletion record, or undefined when they have
 * the types it expects. A record is a file anyone can edit: without this, a `files` that is not a
 * list or a signature key hash that is not a string stops verify with a TypeError (exit 1) instead
 * of saying the file is corrupt.
 */
export function recordShapeProblem(record: Record<string, unknown>): string | undefined {
  const model = record.model as Record<string, unknown>;
  for (const side of ['before', 'after'] as const) {
    const problem = modelProblem(model[side]);
    if (problem) return `model.${side}${problem}`;
  }
  if (record.digest !== undefined) {
    const problem = stringFields(record.digest, ['algorithm', 'value']);
    if (problem) return `digest${problem}`;
  }
  if (record.signature !== undefined) {
    const problem = stringFields(record.signature, ['algorithm', 'publicKeySha256', 'value']);
    if (problem) return `signature${problem}`;
  }
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `.field is not a string`-style suffix for the first field of `value` that is not a string. */
function stringFields(value: unknown, fields: readonly string[]): string | undefined {
  if (!isObject(value)) return ' is not an object';
  const bad = fields.find((f) => typeof value[f] !== 'string');
  return bad === undefined ? undefined : `.${bad} is not a string`;
}

function modelProblem(value: unknown): string | undefined {
  if (!isObject(value)) return ' is not an object';
  if (typeof value.weightsSha256 !== 'string') return '.weightsSha256 is not a string';
  if (!Array.isArray(value.files)) return '.files is not a list';
  for (const [i, file] of value.files.entries()) {
    const problem = stringFields(file, ['path', 'sha256']);
    if (problem) return `.files[${i}]${problem}`;
  }
  return undefined;
}
