#!/usr/bin/env python3
"""Golden fixture for the SCRUB parity test (packages/scrub/test/golden.test.ts).

A float64 PyTorch reference of SCRUB's update as docs/algorithms/scrub.md specifies it (The math
in short), on the fixture MLP of scripts/golden/README.md (input 6 -> Dense(5, relu) -> Dense(3),
tfjs layout): a frozen teacher (the original weights) and a student that starts from them; for
epoch = 1..epochs, while epoch <= maxSteps one pass over the forget set minimising -KL, then one
pass over the retain set minimising alpha*KL + gamma*CE, with ONE torch.optim.SGD (momentum,
coupled weight decay) shared by both phases and the learning rate decayed by lrDecayRate once for
every m in lrDecayEpochs with epoch > m; with clipGradNorm > 0 every step's gradient is first
rescaled by torch.nn.utils.clip_grad_norm_ (as the JiT repository's full-class port). KL is RepDistiller's DistillKL: sum over the batch and
classes of p_t * (log p_t - log_softmax(s / T)), / batch size, * T^2. No shuffling: batches in order.

Usage:
  /usr/bin/python3 scripts/golden/make_scrub_fixture.py          # writes the fixture
  /usr/bin/python3 scripts/golden/make_scrub_fixture.py --check  # float32-vs-float64 report, writes nothing
"""

import json
import math
import os
import sys

os.environ["OPENBLAS_CORETYPE"] = "Prescott"  # same pin as make_fixtures.py: identical bytes on any x86-64

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = "scripts/golden/make_scrub_fixture.py"
OUT = os.path.join(REPO, "packages/scrub/test/fixtures/scrub-mlp.json")
NAMES = ["dense1/kernel", "dense1/bias", "dense2/kernel", "dense2/bias"]


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def weights(seed):
    rng = np.random.RandomState(seed)
    g = lambda shape, fi, fo: f32(rng.uniform(-math.sqrt(6 / (fi + fo)), math.sqrt(6 / (fi + fo)), size=shape))
    return [g((6, 5), 6, 5), f32(rng.uniform(-0.1, 0.1, size=(5,))), g((5, 3), 5, 3), f32(rng.uniform(-0.1, 0.1, size=(3,)))]


def forward(params, x):
    k1, b1, k2, b2 = params
    return torch.relu(x @ k1 + b1) @ k2 + b2


def distill_kl(student_logits, teacher_logits, T):
    log_s = F.log_softmax(student_logits / T, dim=1)
    p_t = F.softmax(teacher_logits / T, dim=1)
    return F.kl_div(log_s, p_t, reduction="sum") * (T ** 2) / student_logits.shape[0]


def run(case, dtype):
    t = lambda a: torch.tensor(np.asarray(a), dtype=dtype)
    student = [t(w).requires_grad_(True) for w in case["weights"]]
    teacher = [t(w) for w in case["weights"]]
    xf, xr, yr = t(case["forgetX"]), t(case["retainX"]), torch.tensor(case["retainY"])
    opt = torch.optim.SGD(student, lr=case["learningRate"], momentum=case["momentum"], weight_decay=case["weightDecay"])
    T, alpha, gamma = case["temperature"], case["alpha"], case["gamma"]
    losses, clipped = [], 0
    for epoch in range(1, case["epochs"] + 1):
        steps = sum(1 for m in case["lrDecayEpochs"] if epoch > m)
        for group in opt.param_groups:
            group["lr"] = case["learningRate"] * case["lrDecayRate"] ** steps
        phases = (["max"] if epoch <= case["maxSteps"] else []) + ["min"]
        for phase in phases:
            x, bs = (xf, case["forgetBatchSize"]) if phase == "max" else (xr, case["batchSize"])
            for s in range(0, x.shape[0], bs):
                xb = x[s:s + bs]
                with torch.no_grad():
                    lt = forward(teacher, xb)
                ls = forward(student, xb)
                if phase == "max":
                    loss = -distill_kl(ls, lt, T)
                else:
                    loss = alpha * distill_kl(ls, lt, T) + gamma * F.cross_entropy(ls, yr[s:s + bs])
                opt.zero_grad()
                loss.backward()
                if case["clipGradNorm"] > 0:
                    norm = torch.nn.utils.clip_grad_norm_(student, case["clipGradNorm"])
                    clipped += int(norm > case["clipGradNorm"])
                opt.step()
                losses.append({"epoch": epoch, "phase": phase, "loss": float(loss)})
    return [w.detach() for w in student], losses, clipped


def make_case(name):
    rng = np.random.RandomState(23)
    retain_y = [i % 3 for i in range(10)]
    centres = f32(rng.normal(0, 1.5, size=(3, 6)))
    forget = f32(centres[0] + rng.normal(0, 0.7, size=(6, 6)))
    retain = f32(centres[retain_y] + rng.normal(0, 0.7, size=(10, 6)))
    presets = {
        # The sub-class/random preset's (alpha, gamma), no clipping, a decay inside the run.
        "subclass": {"alpha": 1.0, "gamma": 5.0, "clipGradNorm": 0, "lrDecayEpochs": [2]},
        # The full-class preset's (alpha, gamma) and gradient clipping at norm 1.
        "fullclass": {"alpha": 0.001, "gamma": 0.99, "clipGradNorm": 1.0, "lrDecayEpochs": [5, 8, 9]},
    }
    return {
        "name": name,
        "weights": weights(3),
        "forgetX": forget,
        "retainX": retain,
        "retainY": retain_y,
        "epochs": 3,
        "maxSteps": 2,
        "forgetBatchSize": 4,
        "batchSize": 4,
        "temperature": 4.0,
        # Larger than the reference's 5e-4 so that 13 steps move the weights measurably.
        "learningRate": 0.02,
        "momentum": 0.9,
        "weightDecay": 5e-4,
        "lrDecayRate": 0.1,
        **presets[name],
    }


def tensor(name, a):
    a = np.asarray(a, dtype=np.float64)
    return {"name": name, "shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


OPTIONS = ("epochs", "maxSteps", "forgetBatchSize", "batchSize", "temperature", "alpha", "gamma", "clipGradNorm",
           "learningRate", "momentum", "weightDecay", "lrDecayEpochs", "lrDecayRate")


def main_write():
    case = make_case("subclass")
    cases = []
    for name in ("subclass", "fullclass"):
        c = make_case(name)
        w64, losses, clipped = run(c, torch.float64)
        cases.append({"name": name, "options": {k: c[k] for k in OPTIONS}, "clippedSteps": clipped,
                      "expected": {"weights": [tensor(n, w.numpy()) for n, w in zip(NAMES, w64)], "losses": losses}})
    out = {
        "source": f"{SCRIPT} (torch {torch.__version__}, float64)",
        "model": "mlp",
        "inputShape": [6],
        "weights": [tensor(n, w) for n, w in zip(NAMES, case["weights"])],
        "forget": {"x": tensor("forget", case["forgetX"]), "y": None},
        "retain": {"x": tensor("retain", case["retainX"]), "y": case["retainY"]},
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT, REPO)}")


def main_check():
  for name in ("subclass", "fullclass"):
    case = make_case(name)
    w64, l64, clipped = run(case, torch.float64)
    w32, l32, clipped32 = run(case, torch.float32)
    print(f"{name}: clipped steps {clipped} of {len(l64)} (float32: {clipped32})")
    w0 = [torch.tensor(w) for w in case["weights"]]
    for n, a, b, z in zip(NAMES, w64, w32, w0):
        elem = float(((a - b.double()).abs() / a.abs().clamp(min=1e-12)).max())
        change = float((a - z).norm() / z.norm())
        print(f"{n:14s} max elementwise rel |f32-f64|={elem:.2e} change={change:.3e}")
    print("losses", [(d["phase"], round(d["loss"], 5)) for d in l64])
    # The first max-step starts with student == teacher, where KL is 0 (and so is its gradient):
    # a relative error means nothing there, so losses below 1e-3 are compared absolutely.
    print("losses max rel err (|loss| >= 1e-3)", max(abs(a["loss"] - b["loss"]) / abs(a["loss"]) for a, b in zip(l64, l32) if abs(a["loss"]) >= 1e-3))
    print("losses max abs err (|loss| < 1e-3)", max(abs(a["loss"] - b["loss"]) for a, b in zip(l64, l32) if abs(a["loss"]) < 1e-3))


if __name__ == "__main__":
    main_check() if "--check" in sys.argv[1:] else main_write()
