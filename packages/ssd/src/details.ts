import type { AsDetails } from '@unlearn/core';
import type { AutoAlpha } from './auto-alpha.js';
import type { VariableSelection } from './dampen.js';
import type { GuardReport } from './guard.js';
import type { ImportanceKind } from './importance.js';

/** Threads of each importance pass, with a note where fewer were used than asked for. */
export type DampeningThreads = {
  /** A count, or 'shared by the auto-mode search' when the search computed the forget importances once. */
  forget: number | 'shared by the auto-mode search';
  forgetNote?: string;
  /** Absent when the training importances came from `request.importances`. */
  train?: number;
  trainNote?: string;
};

/** What an SSD run reports as `result.details` (LF-SSD's too: `LfSsdDetails`). */
export type SsdDetails = AsDetails<{
  importance: ImportanceKind;
  /** Where the training-set importances came from: `request.importances` ('cache') or a pass over `request.train`. */
  importanceSource: 'cache' | 'train';
  /** The resolved options, as they are written to records. */
  options: Record<string, unknown>;
  /** The α used (`alpha: 'auto'` resolved). */
  alpha: number;
  /** With `alpha: 'auto'` only: how α was chosen. */
  autoAlpha?: AutoAlpha;
  /** Parameters selected, and so dampened. */
  selected: number;
  /** Trainable parameters of the model. */
  parameters: number;
  /** selected / parameters. */
  fraction: number;
  /** Selected parameters whose factor hit the cap (with cap 1: left unchanged although selected). */
  capped: number;
  perVariable: VariableSelection[];
  threads: DampeningThreads;
  /** With the `guard` option only: the kept classes' accuracy before and after. */
  guard?: GuardReport;
  warnings: string[];
}>;

/** What an LF-SSD run reports: the same facts as SSD's, with `importance: 'loss-free'`. */
export type LfSsdDetails = SsdDetails;
