#!/usr/bin/env python3
"""One benchmark round at a time, on request, so that tfjs and PyTorch rounds can alternate.

Usage (scripts/bench/index.ts starts it; one JSON object per line each way):
  /usr/bin/python3 scripts/torch/serve.py
  -> {"op": "configure", "zoo": {"resnet18": {"width": 64, "batch": 64},
                                 "mobilenetv2": {"width_mult": 1.0, "batch": 16}},
      "importance_samples": 1000, "zoo_train_steps": 2}
  <- {"torch": "1.13.0", "threads": {...}, "params": {"resnet18": 11173962, "mobilenetv2": 2236682}}
  -> {"op": "warmup", "key": "jit_step_resnet18_ms"}      <- {"ok": true}
  -> {"op": "round", "key": "jit_step_resnet18_ms"}       <- {"value": 1234.5, "cpu_s": 2.4}
  -> {"op": "quit"}

Keys and what one round times are those of bench.py (whose threading settings apply: it is
imported first, before torch), plus for each zoo model (name resnet18 or mobilenetv2):
  train_<name>_samples_per_s   zoo_train_steps SGD steps (lr 0.01, train mode)
  jit_step_<name>_ms           one JiT step, N = 25, eval mode (as tfjs's JiT)
  ssd_importance_<name>_ms     Fisher importance over importance_samples, eval mode
each on batches of the model's configured "batch" (64 where absent; the tfjs side sets 16 for
MobileNetV2, whose batch-64 workloads fault the wasm heap).
Inputs are 32x32x3, uniform in [0, 1); labels 0..9. A warm-up runs the workload once, untimed,
shortened where a full run would cost a round: importances over their first two batches, JiT
steps with 5 noise draws (as the tfjs side).
"""

import json
import sys
import time

import bench  # noqa: F401  (sets OPENBLAS_NUM_THREADS and torch's threads before torch is used)
import torch
import torch.nn.functional as F

from zoo import mobilenet_v2, param_count, resnet18

BATCH = bench.BATCH


def cifar(n):
    return torch.rand(n, 3, 32, 32, dtype=bench.DTYPE), torch.randint(0, 10, (n,))


def timed_ms(fn):
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1e3


def train_round(model, steps, x, y):
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=bench.TRAIN_LR)

    def run():
        t0 = time.perf_counter()
        for _ in range(steps):
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y).backward()
            opt.step()
        return len(x) * steps / (time.perf_counter() - t0)

    def warm():
        run()

    return run, warm


class Workloads:
    """Round and warm-up functions per key, each set up on first use and kept."""

    def __init__(self, config):
        self.config = config
        self.zoo = {
            "resnet18": lambda: resnet18(width=config["zoo"]["resnet18"]["width"]),
            "mobilenetv2": lambda: mobilenet_v2(width_mult=config["zoo"]["mobilenetv2"]["width_mult"]),
        }
        self.cache = {}

    def params(self):
        return {name: param_count(make()) for name, make in self.zoo.items()}

    def get(self, key):
        if key not in self.cache:
            self.cache[key] = self.make(key)
        return self.cache[key]

    def make(self, key):
        """(round, warm-up): round() returns ms or samples/s."""
        if key.startswith("jit_step_"):
            model_name = key[len("jit_step_"):-len("_ms")]
            model = self.model(model_name).eval()
            x = bench.images(BATCH) if model_name in ("cnn", "mlp") else cifar(self.batch(model_name))[0]
            run = lambda: timed_ms(lambda: bench.jit_step(model, x))  # noqa: E731
            warm = run if model_name in ("cnn", "mlp") else lambda: bench.jit_step(model, x, n=5)  # noqa: E731
            return run, warm
        if key.startswith("ssd_importance_") or key == "lf_importance_cnn_ms":
            model_name = key.split("_")[2]
            model = self.model(model_name).eval()
            n = bench.N_IMPORTANCE if model_name == "cnn" else self.config["importance_samples"]
            x, y = (bench.images(n), bench.labels(n)) if model_name == "cnn" else cifar(n)
            kind = "fisher" if key.startswith("ssd") else "lossfree"
            bs = BATCH if model_name == "cnn" else self.batch(model_name)
            run = lambda: timed_ms(lambda: bench.importance(model, x, y, kind, bs))  # noqa: E731
            warm = lambda: bench.importance(model, x[: 2 * bs], y[: 2 * bs], kind, bs)  # noqa: E731
            return run, warm
        if key == "predict_cnn_ms":
            model, x = bench.cnn(), bench.images(bench.N_PREDICT)
            run = lambda: timed_ms(lambda: bench.predict(model, x))  # noqa: E731
            return run, run
        if key.startswith("train_"):
            model_name = key[len("train_"):-len("_samples_per_s")]
            if model_name in ("cnn", "mlp"):
                return train_round(self.model(model_name), 20, bench.images(BATCH), bench.labels(BATCH))
            return train_round(self.model(model_name), self.config["zoo_train_steps"], *cifar(self.batch(model_name)))
        raise KeyError(f"unknown workload {key}")

    def batch(self, name):
        return self.config["zoo"][name].get("batch", BATCH)

    def model(self, name):
        if name == "cnn":
            return bench.cnn()
        if name == "mlp":
            return bench.mlp()
        return self.zoo[name]()


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    workloads = None
    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        try:
            if op == "configure":
                workloads = Workloads(request)
                reply({"torch": torch.__version__,
                       "threads": {"torch_intra_op": torch.get_num_threads(),
                                   "OPENBLAS_NUM_THREADS": int(bench.os.environ["OPENBLAS_NUM_THREADS"])},
                       "params": workloads.params()})
            elif op == "warmup":
                workloads.get(request["key"])[1]()
                reply({"ok": True})
            elif op == "round":
                cpu0 = time.process_time()
                value = workloads.get(request["key"])[0]()
                reply({"value": value, "cpu_s": time.process_time() - cpu0})
            elif op == "quit":
                return
            else:
                reply({"error": f"unknown op {op}"})
        except Exception as error:  # reported to the caller, which decides; the server keeps serving
            reply({"error": f"{type(error).__name__}: {error}"})


if __name__ == "__main__":
    main()
