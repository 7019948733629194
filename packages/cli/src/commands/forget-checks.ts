import { isUnlearnError, type Unlearner, type UnlearnErrorCode } from '@unlearn/core';
import type { LoadedSplit } from '../data.js';
import { badInput, CliError } from '../exit-codes.js';

/** The flags `forget` reads when checking a request. */
export interface RequestFlags {
  retain?: string;
  train?: string;
  importances?: string;
}

/** Says which flag supplies what the method needs, before any data is read. */
export function checkNeeds(unlearner: Unlearner, flags: RequestFlags): void {
  const { needs, name } = unlearner;
  if (needs.retain && !flags.retain) {
    throw badInput('MISSING_DATA', `${name} needs the retain set: pass --retain <file>${needs.labels ? ' --retain-labels <file>' : ''}`);
  }
  if (needs.train && !flags.train && !(needs.acceptsImportances && flags.importances)) {
    const alt = needs.acceptsImportances ? ', or --importances <dir> computed earlier with `unlearn importances`' : '';
    throw badInput('MISSING_DATA', `${name} needs the full training set: pass --train <file>${needs.labels ? ' --train-labels <file>' : ''}${alt}`);
  }
}

export function checkLabelsGiven(unlearner: Unlearner, splits: { flag: string; split: LoadedSplit | undefined }[]): void {
  if (!unlearner.needs.labels) return;
  for (const { flag, split } of splits) {
    if (split && !split.data.y) {
      throw badInput(
        'MISSING_LABELS',
        `${unlearner.name} needs labels for ${split.x.path}: pass ${flag} <file>${split.x.format === 'image-folder' ? ' (or arrange the images in class subfolders 0/, 1/, ...)' : ''}`,
      );
    }
  }
}

const HELD_OUT = '--eval-data <file> --eval-labels <file>';
/** The flag that supplies what a core error says is missing, by code and then split. */
const FLAG_FOR: Partial<Record<UnlearnErrorCode, Record<string, string>>> = {
  MISSING_LABELS: { forget: '--labels <file>', retain: '--retain-labels <file>', train: '--train-labels <file>', validation: HELD_OUT },
  MISSING_DATA: { retain: '--retain <file>', train: '--train <file>', validation: HELD_OUT },
};

/**
 * Core's needs checks, with the flag to pass, for methods whose needs change with options. Reads
 * the error's code and split, never its message, so core may reword a message freely.
 */
export function translateCoreError(error: unknown): unknown {
  if (!isUnlearnError(error) || error.split === undefined) return error;
  const flags = FLAG_FOR[error.code];
  const flag = flags && Object.hasOwn(flags, error.split) ? flags[error.split] : undefined;
  return flag ? new CliError('bad-input', error.code, `${error.message}: pass ${flag}`, { cause: error }) : error;
}
