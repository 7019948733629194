#!/usr/bin/env python3
"""Golden fixture for the TS parity test of UNSIR (packages/unsir).

A float64 PyTorch reference of UNSIR as docs/algorithms/unsir.md specifies it, on the fixture MLP
of make_fixtures.py (whose helpers it reuses). The random draws are inputs here, injected into
the TS run: each forgotten class's starting noise and the rows of the retain sample. No shuffling:

  1. per forgotten class c (ascending), from the given noise N: `noiseSteps` Adam steps on
     -CE(f(N), c) + lambda * sum(N^2) / rows, the model fixed;
  2. impair: one Adam pass (fresh state) over `copies` copies of each class's noise (labelled c,
     class by class, copy by copy), then the retain sample (ascending rows), in batches;
  3. repair: one Adam pass (fresh state) over the retain sample alone.

Adam follows tfjs's update, which is PyTorch's with epsilon 1e-7 (tfjs's default for float32
backends): m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
theta -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + 1e-7), b1 0.9, b2 0.999, with the
constants as tfjs holds them in float32 (see Adam below).

Usage:
  /usr/bin/python3 scripts/golden/make_unsir_fixture.py          # write the fixture
  /usr/bin/python3 scripts/golden/make_unsir_fixture.py --check  # float32-vs-float64 report
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (pins OpenBLAS before numpy and torch load)

import numpy as np  # noqa: E402
import torch  # noqa: E402

SCRIPT = "scripts/golden/make_unsir_fixture.py"
OUT = "packages/unsir/test/fixtures/unsir-mlp.json"
EPS = float(np.float32(1e-7))


def f32(v):
    return float(np.float32(v))


class Adam:
    """tfjs's Adam, in float64 arithmetic but with the constants tfjs holds in float32.

    tfjs multiplies float32 tensors by beta1 = 0.9 and 1 - beta1 (and beta2 = 0.999, 1 - beta2,
    the learning rate and epsilon), so each becomes the nearest float32; its bias corrections
    use accBeta = beta^t, a float32 variable multiplied by float32(beta) each step, and
    1 - accBeta in float32. 1 - float32(0.999) = 0.000999987 makes the second-moment correction
    1.3e-5 larger than the exact one, a step 6.4e-6 larger in early steps; the reference uses
    the same constants so that the comparison measures the arithmetic only.
    """

    def __init__(self, params, lr):
        self.params, self.lr = params, f32(lr)
        self.acc1, self.acc2 = np.float32(0.9), np.float32(0.999)
        self.m = [torch.zeros_like(p) for p in params]
        self.v = [torch.zeros_like(p) for p in params]

    def step(self, grads):
        c1, c2 = float(np.float32(1) - self.acc1), float(np.float32(1) - self.acc2)
        with torch.no_grad():
            for p, g, m, v in zip(self.params, grads, self.m, self.v):
                m.mul_(f32(0.9)).add_(f32(1 - 0.9) * g)
                v.mul_(f32(0.999)).add_(f32(1 - 0.999) * g * g)
                p -= self.lr * (m / c1) / ((v / c2).sqrt() + EPS)
        self.acc1 = np.float32(self.acc1 * np.float32(0.9))
        self.acc2 = np.float32(self.acc2 * np.float32(0.999))


def ce(logits, y):
    return torch.nn.functional.cross_entropy(logits, torch.tensor(y, dtype=torch.long))


def data():
    """15 samples, 5 per class (class mean plus N(0, 1) noise), classes in the order 0, 1, 2, 0, ..."""
    rng = np.random.RandomState(21)
    means = rng.normal(0, 1.5, size=(3, 6))
    y = np.array([0, 1, 2] * 5)
    return mf.f32(means[y] + rng.normal(0, 1, size=(15, 6))), y


def run(case, weights, x, y, dtype):
    rec = mf.Recorder()
    params = mf.to_params(weights, dtype)
    forget = sorted(set(case["forgetClasses"]))
    retain_rows = [i for i in range(len(y)) if y[i] not in forget]
    rx, ry = torch.tensor(x[retain_rows], dtype=dtype), y[retain_rows]
    sample = sorted(case["retainRows"])
    sx, sy = rx[sample], ry[sample]
    noises, report = [], []
    for k, c in enumerate(forget):
        n = torch.tensor(np.array(case["initialNoise"][k]["values"]).reshape(case["initialNoise"][k]["shape"]), dtype=dtype, requires_grad=True)
        opt = Adam([n], case["noiseLearningRate"])
        rows = n.shape[0]

        def objective():
            return -ce(mf.forward("mlp", params, n, rec), [c] * rows) + case["noiseRegularization"] * (n ** 2).sum() / rows

        first = None
        for _ in range(case["noiseSteps"]):
            loss = objective()
            first = float(loss) if first is None else first
            (g,) = torch.autograd.grad(loss, [n])
            opt.step([g])
        report.append({"class": c, "lossBefore": first, "lossAfter": float(objective())})
        noises.append((c, n.detach()))
    ix = torch.cat([n for _, n in noises for _ in range(case["noiseCopies"])] + [sx])
    iy = [c for c, n in noises for _ in range(case["noiseCopies"]) for _ in range(n.shape[0])] + list(sy)
    for phase, (px, py) in (("impair", (ix, iy)), ("repair", (sx, list(sy)))):
        opt = Adam(params, case[f"{phase}LearningRate"])
        bs = case[f"{phase}BatchSize"]
        for s, e in mf.batches(len(py), bs):
            loss = ce(mf.forward("mlp", params, px[s:e], rec), py[s:e])
            opt.step(torch.autograd.grad(loss, params))
    return params, report, rec.min_abs_preact


def noise_json(rng, rows, k):
    return [mf.tensor_json(mf.f32(rng.normal(0, 1, size=(rows, 6)))) for _ in range(k)]


def cases():
    rng = np.random.RandomState(5)
    common = {"noiseBatch": 4, "noiseSteps": 3, "noiseLearningRate": 0.1, "noiseRegularization": 0.1,
              "noiseCopies": 2, "impairLearningRate": 0.01, "impairBatchSize": 4,
              "repairLearningRate": 0.01, "repairBatchSize": 4}
    return [
        # Forget class 2; the retain set is the 10 rows of classes 0 and 1, of which the sample
        # keeps 6 (rows of the retain set, which interleaves the classes 0, 1, 0, 1, ...).
        {"name": "one class", "forgetClasses": [2], "retainRows": [7, 0, 3, 4, 9, 6],
         "initialNoise": noise_json(rng, 4, 1), **common},
        # Forget classes 1 and 2 (noise learned per class, ascending); the retain set is class 0.
        {"name": "two classes", "forgetClasses": [1, 2], "retainRows": [0, 2, 4],
         "initialNoise": noise_json(rng, 4, 2), **common, "noiseCopies": 1, "impairBatchSize": 3},
    ]


def main():
    weights = mf.make_weights("mlp", 9)
    x, y = data()
    names = [n for n, _ in weights]
    out = {
        "source": f"{SCRIPT}, torch {torch.__version__}, float64",
        "model": "mlp",
        "inputShape": mf.INPUT_SHAPE["mlp"],
        "weights": mf.weights_json(names, [w for _, w in weights]),
        "data": {"x": mf.tensor_json(x), "y": [int(v) for v in y]},
        "cases": [],
    }
    for case in cases():
        p64, r64, m = run(case, weights, x, y, torch.float64)
        p32, r32, _ = run(case, weights, x, y, torch.float32)
        err = max(float((a.double() - b).norm() / b.norm()) for a, b in zip(p32, p64))
        lerr = max(abs(a[k] - b[k]) / abs(b[k]) for a, b in zip(r32, r64) for k in ("lossBefore", "lossAfter"))
        change = float(torch.cat([(p - torch.tensor(w0)).reshape(-1) for p, (_, w0) in zip(p64, weights)]).norm()
                       / torch.cat([torch.tensor(w0).reshape(-1) for _, w0 in weights]).norm())
        print(f"{case['name']}: float32 vs float64 weights max relative L2 error {err:.2e}, noise losses {lerr:.2e}, "
              f"min |ReLU pre-activation| {m:.2e}, relative weight change {change:.3e}, noise {r64}")
        out["cases"].append({**case, "expected": {"weights": mf.weights_json(names, p64), "noise": r64}})
    if "--check" not in sys.argv[1:]:
        mf.write(OUT, out)


if __name__ == "__main__":
    main()
