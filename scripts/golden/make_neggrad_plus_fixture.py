#!/usr/bin/env python3
"""Golden fixture for the TS parity test of NegGrad+ (packages/neggrad-plus).

A float64 PyTorch reference of NegGrad+ as docs/algorithms/neggrad-plus.md specifies it, on the
fixture MLP of make_fixtures.py (whose helpers it reuses: weights, forward pass, JSON writer):

  loss = beta * CE(retain batch) - (1 - beta) * CE(forget batch) + beta * (lam / 2) * ||theta - theta0||^2

one retain batch and one forget batch per step, retain batches in order (no shuffling), the
forget set cycled in order, then the optimizer step with the coupled weight decay
g + wd * theta, as @unlearn/retrain's trainer applies it. SGD momentum follows PyTorch
(buf = m * buf + g; theta -= lr * buf), which is also what tfjs's momentum optimizer does.
Plain NegGrad (beta = 0) passes over the forget set alone.

Usage:
  /usr/bin/python3 scripts/golden/make_neggrad_plus_fixture.py          # write the fixture
  /usr/bin/python3 scripts/golden/make_neggrad_plus_fixture.py --check  # float32-vs-float64 report
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (pins OpenBLAS before numpy and torch load)

import numpy as np  # noqa: E402
import torch  # noqa: E402

SCRIPT = "scripts/golden/make_neggrad_plus_fixture.py"
OUT = "packages/neggrad-plus/test/fixtures/neggrad-plus-mlp.json"


def data():
    """12 retain and 5 forget samples of the 3 classes: class mean plus N(0, 1) noise."""
    rng = np.random.RandomState(11)
    means = rng.normal(0, 1.5, size=(3, 6))
    ry = np.array([0, 1, 2] * 4)
    fy = np.array([0, 0, 1, 2, 0])
    rx = mf.f32(means[ry] + rng.normal(0, 1, size=(12, 6)))
    fx = mf.f32(means[fy] + rng.normal(0, 1, size=(5, 6)))
    return (rx, ry), (fx, fy)


def ce(logits, y):
    return torch.nn.functional.cross_entropy(logits, torch.tensor(y, dtype=torch.long))


def run(case, weights, retain, forget, dtype):
    rec = mf.Recorder()
    params = mf.to_params(weights, dtype)
    start = [p.detach().clone() for p in params]
    buf = [None] * len(params)
    w = case["forgetWeight"]
    beta = 1 - w
    rx, ry = torch.tensor(retain[0], dtype=dtype), retain[1]
    fx, fy = torch.tensor(forget[0], dtype=dtype), forget[1]
    plain = w == 1
    data_x, data_y = (fx, fy) if plain else (rx, ry)
    fb = mf.batches(len(fy), case["forgetBatchSize"])
    losses = []
    k = 0
    for _ in range(case["epochs"]):
        for s, e in mf.batches(len(data_y), case["batchSize"]):
            if plain:
                loss = -ce(mf.forward("mlp", params, data_x[s:e], rec), data_y[s:e])
            else:
                a, b = fb[k % len(fb)]
                k += 1
                loss = beta * ce(mf.forward("mlp", params, data_x[s:e], rec), data_y[s:e]) - w * ce(mf.forward("mlp", params, fx[a:b], rec), fy[a:b])
                if case["anchorDecay"] > 0:
                    sq = sum(((p - p0) ** 2).sum() for p, p0 in zip(params, start))
                    loss = loss + beta * case["anchorDecay"] / 2 * sq
            losses.append(float(loss))
            grads = torch.autograd.grad(loss, params)
            with torch.no_grad():
                for i, (p, g) in enumerate(zip(params, grads)):
                    g = g + case["weightDecay"] * p
                    if case["momentum"] > 0:
                        buf[i] = g.clone() if buf[i] is None else case["momentum"] * buf[i] + g
                        g = buf[i]
                    p -= case["learningRate"] * g
    return params, losses, rec.min_abs_preact


CASES = [
    # NegGrad+ with SGD momentum, the anchor and weight decay: 3 retain batches per epoch paired
    # with forget batches 0, 1, 2, then 0, 1, 2 again (5 forget samples in batches of 2, 2, 1).
    {"name": "plus", "forgetWeight": 0.3, "epochs": 2, "batchSize": 4, "forgetBatchSize": 2,
     "learningRate": 0.05, "momentum": 0.9, "weightDecay": 0.01, "anchorDecay": 0.1},
    # Forget batches of 4 (4, 1) against 3 retain batches: the cycle wraps mid-epoch.
    {"name": "wrap", "forgetWeight": 0.05, "epochs": 1, "batchSize": 4, "forgetBatchSize": 4,
     "learningRate": 0.1, "momentum": 0, "weightDecay": 0, "anchorDecay": 0},
    # Plain NegGrad: ascent on the forget set alone.
    {"name": "plain", "forgetWeight": 1, "epochs": 2, "batchSize": 2, "forgetBatchSize": 2,
     "learningRate": 0.05, "momentum": 0, "weightDecay": 0, "anchorDecay": 0},
]


def main():
    weights = mf.make_weights("mlp", 7)
    retain, forget = data()
    names = [n for n, _ in weights]
    out = {
        "source": f"{SCRIPT}, torch {torch.__version__}, float64",
        "model": "mlp",
        "inputShape": mf.INPUT_SHAPE["mlp"],
        "weights": mf.weights_json(names, [w for _, w in weights]),
        "retain": {"x": mf.tensor_json(retain[0]), "y": [int(v) for v in retain[1]]},
        "forget": {"x": mf.tensor_json(forget[0]), "y": [int(v) for v in forget[1]]},
        "cases": [],
    }
    for case in CASES:
        p64, l64, m = run(case, weights, retain, forget, torch.float64)
        p32, l32, _ = run(case, weights, retain, forget, torch.float32)
        err = max(float((a.double() - b).norm() / b.norm()) for a, b in zip(p32, p64))
        change = float(torch.cat([(p - torch.tensor(w0)).reshape(-1) for p, (_, w0) in zip(p64, weights)]).norm()
                       / torch.cat([torch.tensor(w0).reshape(-1) for _, w0 in weights]).norm())
        print(f"{case['name']}: float32 vs float64 max relative L2 error {err:.2e}, min |ReLU pre-activation| {m:.2e}, relative weight change {change:.3e}")
        if "--check" in sys.argv[1:]:
            continue
        out["cases"].append({**case, "expected": {"weights": mf.weights_json(names, p64), "losses": l64}})
    if "--check" not in sys.argv[1:]:
        mf.write(OUT, out)


if __name__ == "__main__":
    main()
