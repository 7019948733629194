import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TorchResultKey } from './torch.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../../scripts/torch/serve.py', import.meta.url));

export type ZooTwin = 'resnet18' | 'mobilenetv2';

/** Keys scripts/torch/serve.py times one round of (its docstring says what each one is). */
export type TorchRoundKey =
  | TorchResultKey
  | `train_${ZooTwin}_samples_per_s`
  | `jit_step_${ZooTwin}_ms`
  | `ssd_importance_${ZooTwin}_ms`;

export interface TorchRoundConfig {
  /** Each twin's size and the batch of its training, JiT and importance workloads. */
  zoo: { resnet18: { width: number; batch: number }; mobilenetv2: { width_mult: number; batch: number } };
  /** Samples of the zoo importance workloads. */
  importance_samples: number;
  /** SGD steps per round of a zoo training workload. */
  zoo_train_steps: number;
}

export interface TorchRounds {
  torch: string;
  threads: Record<string, number>;
  /** Trainable parameters of each zoo twin as configured, to check against the tfjs builders. */
  params: Record<ZooTwin, number>;
  /** Runs a workload once, untimed. */
  warmup(key: TorchRoundKey): Promise<void>;
  /** One timed round: ms, or samples/s for training keys. */
  round(key: TorchRoundKey): Promise<number>;
  close(): void;
}

/**
 * A long-lived PyTorch process that runs one round of a workload per request, so that a
 * benchmark can alternate tfjs and PyTorch rounds (ABAB) instead of timing all of one and then
 * all of the other: on a shared machine, load that comes and goes then falls on both sides.
 * The process is idle, blocked on its input, while tfjs runs.
 */
export async function startTorchRounds(config: TorchRoundConfig): Promise<TorchRounds | { unavailable: string }> {
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { unavailable: 'PyTorch not available (apt-get install python3-torch)' };
  // stderr inherited: a Python traceback reaches the terminal as it happens.
  const child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let busy = Promise.resolve();
  const ask = (request: object): Promise<Record<string, unknown>> => {
    const answer = busy.then(async () => {
      child.stdin.write(`${JSON.stringify(request)}\n`);
      const next = await lines.next();
      if (next.done) throw new Error('the PyTorch process exited');
      const reply = JSON.parse(next.value) as Record<string, unknown>;
      if (typeof reply.error === 'string') throw new Error(`PyTorch: ${reply.error}`);
      return reply;
    });
    // One request at a time: the protocol pairs each line out with the next line in.
    busy = answer.then(
      () => undefined,
      () => undefined,
    );
    return answer;
  };
  try {
    const info = await ask({ op: 'configure', ...config });
    return {
      torch: info.torch as string,
      threads: info.threads as Record<string, number>,
      params: info.params as Record<ZooTwin, number>,
      warmup: async (key) => void (await ask({ op: 'warmup', key })),
      round: async (key) => (await ask({ op: 'round', key })).value as number,
      close: () => {
        child.stdin.end(`${JSON.stringify({ op: 'quit' })}\n`);
      },
    };
  } catch (error) {
    child.kill();
    return { unavailable: `serve.py failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
