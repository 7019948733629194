import { UnlearnError } from '@unlearn/core';

/**
 * Checks a `[model][example]` matrix of scores (the attacks' logit-scaled confidences): at least
 * one model, every model scoring the same examples, every value finite. Returns the example count.
 */
export function checkConfidenceMatrix(rows: readonly ArrayLike<number>[], where: string): number {
  if (rows.length === 0) throw new UnlearnError('EMPTY_DATASET', `${where}: no reference models`);
  const n = rows[0]!.length;
  rows.forEach((row, k) => {
    if (row.length !== n) throw new UnlearnError('SHAPE_MISMATCH', `${where}: model ${k} has ${row.length} values, model 0 has ${n}`);
    for (let i = 0; i < n; i++) if (!Number.isFinite(row[i]!)) throw new UnlearnError('NON_FINITE', `${where}: model ${k}, example ${i} is ${row[i]}`);
  });
  return n;
}
