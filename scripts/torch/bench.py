#!/usr/bin/env python3
"""PyTorch (CPU, float32) reference timings, run side by side with the tfjs benchmarks.

Usage:
  /usr/bin/python3 scripts/torch/bench.py            # prints one JSON object to stdout

The package benchmarks read that object; the repository benchmark (npm run bench) instead asks
serve.py, which imports this module, for one round at a time, alternating with tfjs.

Threading: the script sets OPENBLAS_NUM_THREADS=1 in os.environ *before* importing torch
(so OpenBLAS does not spawn its own pool on top of torch's) and then calls
torch.set_num_threads(2), i.e. two intra-op threads, matching the 2-core benchmark machine.
An OPENBLAS_NUM_THREADS already set in the environment is overridden. The machine is shared,
so the numbers are noisy: each figure is the median over several timed repeats after warm-up.

What is timed (random data, MNIST-shaped inputs in [0, 1], labels 0..9):
  jit_step_{cnn,mlp}_ms     one full JiT step (spec section 1.3) on a batch of 64 with N = 25:
                            forward with grad, 25 noisy forwards without grad, loss,
                            backward, plain SGD step.
  ssd_importance_cnn_ms     SSD (Fisher) importance over 1,000 samples, batch 64 (16 batches):
                            per batch zero grads, mean CE, backward, accumulate grad^2; / M.
  lf_importance_cnn_ms      LF-SSD importance likewise with mean ||f(x)||^2 and |grad|.
  train_{cnn,mlp}_samples_per_s
                            training throughput, batch 64, SGD lr 0.01, softmax cross-entropy.

Models (tfjs equivalents are built by the TS benchmarks; PyTorch flattens NCHW here, which
changes the dense layer's weight order but not the cost):
  CNN: 28x28x1 -> conv3x3x16 (valid) relu -> maxpool2 -> conv3x3x32 (valid) relu -> maxpool2
       -> flatten (5*5*32 = 800) -> dense128 relu -> dense10
  MLP: 784 -> 256 relu -> 128 relu -> 10
"""

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # must happen before torch (and its BLAS) is loaded

import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

THREADS = 2
torch.set_num_threads(THREADS)
torch.manual_seed(0)
DTYPE = torch.float32

BATCH = 64
N_NOISE = 25
SIGMA = 0.1
JIT_LR = 1e-3
N_IMPORTANCE = 1000
N_PREDICT = 10000
TRAIN_LR = 0.01


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(800, 128), nn.ReLU(), nn.Linear(128, 10),
    ).to(DTYPE).eval()


def mlp():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10),
    ).to(DTYPE).eval()


def images(n):
    return torch.rand(n, 1, 28, 28, dtype=DTYPE)


def labels(n):
    return torch.randint(0, 10, (n,))


def timeit(fn, warmup, repeats, budget_s):
    """Median wall time (s) of fn() over up to `repeats` runs after `warmup` runs,
    stopping early once `budget_s` seconds of timed runs have been spent (at least 3 runs)."""
    for _ in range(warmup):
        fn()
    times = []
    spent = 0.0
    while len(times) < repeats and (len(times) < 3 or spent < budget_s):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        times.append(dt)
        spent += dt
    return statistics.median(times), len(times)


# ---- JiT ------------------------------------------------------------------------------

def jit_step(model, x, sigma=SIGMA, lr=JIT_LR, n=N_NOISE):
    params = [p for p in model.parameters()]
    for p in params:
        p.grad = None
    out = model(x)
    mn, mx = x.min(), x.max()
    total = torch.zeros((), dtype=x.dtype)
    for _ in range(n):
        xn = torch.clamp(x + sigma * torch.randn_like(x), mn, mx)
        with torch.no_grad():
            outn = model(xn)
        a = (x - xn).flatten(1).norm(dim=1)
        b = (out - outn).norm(dim=1)
        total = total + torch.where(a > 0, b / a.clamp_min(1e-30), torch.zeros_like(b)).sum()
    loss = total / n
    loss.backward()
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p -= lr * p.grad
    return float(loss)


# ---- SSD / LF-SSD importances -------------------------------------------------------

def importance(model, x, y, kind, bs=BATCH):
    params = list(model.parameters())
    acc = [torch.zeros_like(p) for p in params]
    m = 0
    for s in range(0, x.shape[0], bs):
        for p in params:
            p.grad = None
        out = model(x[s:s + bs])
        if kind == "fisher":
            loss = F.cross_entropy(out, y[s:s + bs])
        else:
            loss = out.pow(2).sum(dim=1).mean()
        loss.backward()
        with torch.no_grad():
            for a, p in zip(acc, params):
                a += p.grad.pow(2) if kind == "fisher" else p.grad.abs()
        m += 1
    return [a / m for a in acc]


# ---- training throughput ----------------------------------------------------------------

def train_samples_per_s(model, steps=20):
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=TRAIN_LR)
    xs, ys = images(BATCH * steps), labels(BATCH * steps)

    def run():
        for i in range(steps):
            xb, yb = xs[i * BATCH:(i + 1) * BATCH], ys[i * BATCH:(i + 1) * BATCH]
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(xb), yb).backward()
            opt.step()

    t, reps = timeit(run, warmup=1, repeats=10, budget_s=8.0)
    model.eval()
    return BATCH * steps / t, reps


# ---- evaluation: predictions ------------------------------------------------------------

def predict(model, x, bs=256):
    with torch.no_grad():
        for i in range(0, x.shape[0], bs):
            F.softmax(model(x[i:i + bs]), dim=1)


def main():
    t_start = time.perf_counter()
    results, repeats = {}, {}

    for name, make in (("cnn", cnn), ("mlp", mlp)):
        model, x = make(), images(BATCH)
        t, r = timeit(lambda: jit_step(model, x), warmup=3, repeats=25, budget_s=8.0)
        results[f"jit_step_{name}_ms"] = round(t * 1e3, 3)
        repeats[f"jit_step_{name}_ms"] = r

    model = cnn()
    x, y = images(N_IMPORTANCE), labels(N_IMPORTANCE)
    for key, kind in (("ssd_importance_cnn_ms", "fisher"), ("lf_importance_cnn_ms", "lossfree")):
        t, r = timeit(lambda: importance(model, x, y, kind), warmup=2, repeats=15, budget_s=6.0)
        results[key] = round(t * 1e3, 3)
        repeats[key] = r

    model.eval()
    x = images(N_PREDICT)
    t, r = timeit(lambda: predict(model, x), warmup=1, repeats=7, budget_s=8.0)
    results["predict_cnn_ms"] = round(t * 1e3, 3)
    repeats["predict_cnn_ms"] = r

    for name, make in (("cnn", cnn), ("mlp", mlp)):
        sps, r = train_samples_per_s(make())
        results[f"train_{name}_samples_per_s"] = round(sps, 1)
        repeats[f"train_{name}_samples_per_s"] = r

    print(json.dumps({
        "torch": torch.__version__,
        "threads": {"torch_intra_op": torch.get_num_threads(),
                    "OPENBLAS_NUM_THREADS": int(os.environ["OPENBLAS_NUM_THREADS"])},
        "dtype": "float32",
        "config": {"batch": BATCH, "jit_n_samples": N_NOISE, "jit_sigma": SIGMA,
                   "importance_samples": N_IMPORTANCE, "predict_samples": N_PREDICT, "train_lr": TRAIN_LR,
                   "timing": "median of repeats after warm-up", "repeats": repeats},
        "results": results,
        "total_s": round(time.perf_counter() - t_start, 1),
    }))


if __name__ == "__main__":
    main()
