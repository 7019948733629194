/** A stream the CLI writes to; `isTTY` decides whether progress bars are drawn. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width, used by progress bars. */
  columns?: number;
}

/** Everything the program touches outside itself, injectable so tests run commands in-process. */
export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Folder that relative paths, plugin discovery and unlearn.config.json start from. */
  cwd: string;
  /** Aborts long work (the binary wires SIGINT to it). */
  signal?: AbortSignal;
  /** Called once with the final exit status. */
  exit?: (code: number) => void;
}

export function defaultIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/** Per-invocation output helpers: human text, or exactly one JSON object with --json. */
export class Output {
  json = false;
  constructor(readonly io: CliIO) {}

  /** Human-readable result lines (suppressed with --json). */
  line(text = ''): void {
    if (!this.json) this.io.stdout.write(`${text}\n`);
  }

  /** Status messages on stderr (suppressed with --json so stdout/stderr stay machine-friendly). */
  status(text: string): void {
    if (!this.json) this.io.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`warning: ${text}\n`);
  }

  result(value: unknown): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  get interactive(): boolean {
    return !this.json && Boolean(this.io.stderr.isTTY);
  }
}
