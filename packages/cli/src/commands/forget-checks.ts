import { isUnlearnError, type Unlearner, type UnlearnErrorCode } from '@unlearn/core';
import type { LoadedSplit } from '../data.js';
import { badInput, CliError } from '../exit-codes.js';

/** The flags `forget` reads when checking a request. */
export interface RequestFlags {
  retain?: string;
  train?: string;
  importances?: string;
}

/** The flags that give each split of a request: its inputs and its labels. */
export const SPLIT_FLAGS = {
  forget: { x: '--forget', y: '--labels' },
  retain: { x: '--retain', y: '--retain-labels' },
  train: { x: '--train', y: '--train-labels' },
  validation: { x: '--validation', y: '--validation-labels' },
} as const;

/** What to pass for a split: its inputs, and its labels when the method needs them. */
const passSplit = (split: 'retain' | 'train', labels: boolean | undefined) =>
  `${SPLIT_FLAGS[split].x} <file>${labels ? ` ${SPLIT_FLAGS[split].y} <file>` : ''}`;

/** Says which flag supplies what the method needs, before any data is read. */
export function checkNeeds(unlearner: Unlearner, flags: RequestFlags): void {
  const { needs, name } = unlearner;
  if (needs.retain && !flags.retain) {
    throw badInput('MISSING_DATA', `${name} needs the retain set: pass ${passSplit('retain', needs.labels)}`);
  }
  if (needs.train && !flags.train && !(needs.acceptsImportances && flags.importances)) {
    const alt = needs.acceptsImportances ? ', or --importances <dir> computed earlier with `unlearn importances`' : '';
    throw badInput('MISSING_DATA', `${name} needs the full training set: pass ${passSplit('train', needs.labels)}${alt}`);
  }
}

/** MISSING_LABELS, naming the labels flag, for a split the method needs labelled but was given without. */
export function checkLabelsGiven(unlearner: Unlearner, splits: Partial<Record<'forget' | 'retain' | 'train', LoadedSplit>>): void {
  if (!unlearner.needs.labels) return;
  for (const name of ['forget', 'retain', 'train'] as const) {
    const split = splits[name];
    if (split && !split.data.y) {
      throw badInput(
        'MISSING_LABELS',
        `${unlearner.name} needs labels for ${split.x.path}: pass ${SPLIT_FLAGS[name].y} <file>${split.x.format === 'image-folder' ? ' (or arrange the images in class subfolders 0/, 1/, ...)' : ''}`,
      );
    }
  }
}

// The validation set defaults to --eval-data, the held-out data most runs give anyway.
const HELD_OUT = '--eval-data <file> --eval-labels <file>';
/** The flag that supplies what a core error says is missing, by code and then split. */
function flagFor(code: UnlearnErrorCode, split: string): string | undefined {
  if (code !== 'MISSING_LABELS' && code !== 'MISSING_DATA') return undefined;
  if (split === 'validation') return HELD_OUT;
  if (split === 'forget') return code === 'MISSING_LABELS' ? `${SPLIT_FLAGS.forget.y} <file>` : undefined;
  if (split !== 'retain' && split !== 'train') return undefined;
  return `${code === 'MISSING_LABELS' ? SPLIT_FLAGS[split].y : SPLIT_FLAGS[split].x} <file>`;
}

/**
 * Core's needs checks, with the flag to pass, for methods whose needs change with options. Reads
 * the error's code and split, never its message, so core may reword a message freely.
 */
export function translateCoreError(error: unknown): unknown {
  if (!isUnlearnError(error) || error.split === undefined) return error;
  const flag = flagFor(error.code, error.split);
  return flag ? new CliError('bad-input', error.code, `${error.message}: pass ${flag}`, { cause: error }) : error;
}
