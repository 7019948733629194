import cliProgress from 'cli-progress';
import type { ProgressEvent } from '@unlearn/core';
import type { Output } from './io.js';

/** A progress bar on stderr, drawn only for people: stderr is a terminal and --json is off. */
export class ProgressBar {
  private bar: cliProgress.SingleBar | undefined;
  private total = 0;

  constructor(private readonly out: Output) {}

  start(label: string, total?: number): void {
    this.stop();
    if (!this.out.interactive) return;
    this.bar = new cliProgress.SingleBar(
      {
        stream: this.out.io.stderr as unknown as NodeJS.WritableStream,
        format: '{phase} [{bar}] {value}/{total} {duration_formatted}',
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.total = total ?? 1;
    this.bar.start(this.total, 0, { phase: label });
  }

  update(event: ProgressEvent): void {
    if (!this.bar) return;
    const total = event.total ?? Math.max(this.total, event.step);
    if (total !== this.total) {
      this.total = total;
      this.bar.setTotal(total);
    }
    this.bar.update(event.step, { phase: event.phase });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
