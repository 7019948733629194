import type { CliIO, Output } from '../io.js';

/** What every command handler receives from the program builder. */
export interface CommandEnv {
  io: CliIO;
  out: Output;
}
