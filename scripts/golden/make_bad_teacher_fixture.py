#!/usr/bin/env python3
"""Golden fixture for the Bad Teacher parity test (packages/bad-teacher/test/golden.test.ts).

A float64 PyTorch reference of Bad Teacher's update as docs/algorithms/bad-teacher.md specifies it
(The math in short), on the fixture MLP of scripts/golden/README.md (input 6 -> Dense(5, relu) ->
Dense(3), tfjs layout). The run's random draws are fixture INPUTS that the test injects: the
incompetent teacher's weights and the retain rows the competent teacher supervises. The data is
taken in order (no shuffling): the forget examples first, then the chosen retain rows, as the
reference's UnLearningData concatenation.

Usage:
  python3 scripts/golden/make_bad_teacher_fixture.py          # writes the fixture
  python3 scripts/golden/make_bad_teacher_fixture.py --check  # float32-vs-float64 report, writes nothing
"""

import json
import warnings
import math
import os
import sys

os.environ["OPENBLAS_CORETYPE"] = "Prescott"  # same pin as make_fixtures.py: identical bytes on any x86-64

import numpy as np
import torch

torch.set_num_threads(1)
# kl_div warns that its default reduction will change; the reference relies on today's (elementwise mean).
warnings.filterwarnings("ignore", message="reduction: 'mean' divides")

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = "scripts/golden/make_bad_teacher_fixture.py"
OUT = os.path.join(REPO, "packages/bad-teacher/test/fixtures/bad-teacher-mlp.json")
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


def kl_elementwise_mean(student_logits, teacher_probs, T):
    """F.kl_div(log_softmax(s / T), p_t) with PyTorch's default reduction 'mean': / (batch * classes)."""
    log_s = torch.log_softmax(student_logits / T, dim=1)
    return torch.nn.functional.kl_div(log_s, teacher_probs, reduction="mean")


def run(case, dtype):
    t = lambda a: torch.tensor(np.asarray(a), dtype=dtype)
    student = [t(w).requires_grad_(True) for w in case["student"]]
    competent = [t(w) for w in case["student"]]
    incompetent = [t(w) for w in case["incompetent"]]
    x = torch.cat([t(case["forget"]), t(case["retain"])[case["retainRows"]]], 0)
    flag = torch.cat([torch.ones(len(case["forget"]), dtype=dtype), torch.zeros(len(case["retainRows"]), dtype=dtype)])
    if case["optimizer"] == "adam":
        # tfjs's Adam epsilon is the backend's (1e-7 in float32); PyTorch's default is 1e-8. The
        # reference uses the library's, so both sides run the same optimiser.
        opt = torch.optim.Adam(student, lr=case["learningRate"], eps=1e-7)
    else:
        opt = torch.optim.SGD(student, lr=case["learningRate"])
    T, bs, losses = case["temperature"], case["batchSize"], []
    for _ in range(case["epochs"]):
        for s in range(0, x.shape[0], bs):
            xb, fb = x[s:s + bs], flag[s:s + bs].unsqueeze(1)
            with torch.no_grad():
                pu = torch.softmax(forward(incompetent, xb) / T, dim=1)
                pf = torch.softmax(forward(competent, xb) / T, dim=1)
                target = fb * pu + (1 - fb) * pf
            loss = kl_elementwise_mean(forward(student, xb), target, T)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(float(loss))
    return [w.detach() for w in student], losses


def make_case(optimizer="adam"):
    rng = np.random.RandomState(11)
    forget = f32(rng.normal(0.8, 1.0, size=(6, 6)))
    retain = f32(rng.normal(-0.3, 1.0, size=(10, 6)))
    return {
        "student": weights(1),
        "incompetent": weights(2),
        "forget": forget,
        "retain": retain,
        # A 30% sample of the 10 retain rows, in draw order (what random.sample returns).
        "retainRows": [7, 2, 9],
        "batchSize": 4,
        "epochs": 2,
        # Adam (the reference's optimiser) with a larger rate than its 1e-4 so that six steps move the
        # weights measurably; plain SGD checks the objective without Adam's normalisation.
        "optimizer": optimizer,
        "learningRate": 0.01 if optimizer == "adam" else 0.5,
        "temperature": 1.0,
    }


def tensor(name, a):
    a = np.asarray(a, dtype=np.float64)
    return {"name": name, "shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


def expected(optimizer):
    case = make_case(optimizer)
    w, losses = run(case, torch.float64)
    return {"optimizer": optimizer, "learningRate": case["learningRate"], "weights": [tensor(n, x.numpy()) for n, x in zip(NAMES, w)], "losses": losses}


def main_write():
    case = make_case()
    out = {
        "source": f"{SCRIPT} (torch {torch.__version__}, float64)",
        "model": "mlp",
        "inputShape": [6],
        "weights": [tensor(n, w) for n, w in zip(NAMES, case["student"])],
        "incompetent": [tensor(n, w) for n, w in zip(NAMES, case["incompetent"])],
        "forget": {"x": tensor("forget", case["forget"]), "y": None},
        "retain": {"x": tensor("retain", case["retain"]), "y": None},
        "retainRows": case["retainRows"],
        "batchSize": case["batchSize"],
        "epochs": case["epochs"],
        "temperature": case["temperature"],
        "expected": [expected("adam"), expected("sgd")],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT, REPO)}")


def main_check():
  for optimizer in ("adam", "sgd"):
    print(optimizer)
    case = make_case(optimizer)
    w64, l64 = run(case, torch.float64)
    w32, l32 = run(case, torch.float32)
    w0 = [torch.tensor(w) for w in case["student"]]
    for n, a, b, z in zip(NAMES, w64, w32, w0):
        err = float((a - b.double()).abs().max() / a.abs().max())
        change = float((a - z).norm() / z.norm())
        elem = float(((a - b.double()).abs() / a.abs().clamp(min=1e-12)).max())
        print(f"  {n:14s} max|f32-f64|/max|w|={err:.2e} max elementwise rel={elem:.2e} change={change:.3e}")
    print("  losses f64", l64)
    print("  losses rel err", max(abs(a - b) / abs(a) for a, b in zip(l64, l32)))


if __name__ == "__main__":
    main_check() if "--check" in sys.argv[1:] else main_write()
