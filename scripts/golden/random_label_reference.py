"""Shared float64 pieces of the Amnesiac and SalUn reference scripts (make_amnesiac_fixture.py,
make_salun_fixture.py): the fixture MLP in tfjs layout, its data, the mean cross-entropy and
the two optimizers written out step by step, as tfjs applies them:

  * SGD with momentum (PyTorch convention, which tfjs's momentum optimizer shares):
    buf = mu * buf + g (buf starts at 0, so the first step uses g), theta -= lr * buf;
  * Adam: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
    theta -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps), with eps = 1e-7, tfjs's
    default. torch.optim.Adam puts eps in the same place, (sqrt(v) / sqrt(1 - b2^t)) + eps, so it
    gives the same step for the same eps; only its default differs (1e-8).

Weight decay is coupled (g + wd * theta), as torch's weight_decay and the project's trainer.
Inputs are drawn in float64 and rounded to float32-representable values; everything after is
float64.
"""

import json
import math
import os

os.environ["OPENBLAS_CORETYPE"] = "Prescott"  # same bytes on every x86-64 CPU (see README)

import numpy as np
import torch

torch.set_num_threads(1)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NAMES = ["dense1/kernel", "dense1/bias", "dense2/kernel", "dense2/bias"]


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def mlp_weights(seed):
    rng = np.random.RandomState(seed)

    def glorot(shape):
        lim = math.sqrt(6.0 / (shape[0] + shape[1]))
        return f32(rng.uniform(-lim, lim, size=shape))

    return [glorot((6, 5)), f32(rng.uniform(-0.1, 0.1, size=(5,))), glorot((5, 3)), f32(rng.uniform(-0.1, 0.1, size=(3,)))]


def blobs(seed, labels):
    """Inputs around a per-class mean (N(0, 1.5^2) per coordinate) plus N(0, 1) noise."""
    rng = np.random.RandomState(seed)
    means = rng.normal(0, 1.5, size=(3, 6))
    x = np.stack([means[c] + rng.normal(0, 1, size=6) for c in labels])
    return f32(x), np.asarray(labels, dtype=np.int64)


def logits(params, x):
    h = torch.relu(x @ params[0] + params[1])
    return h @ params[2] + params[3]


def mean_ce(params, x, y):
    return torch.nn.functional.cross_entropy(logits(params, x), y, reduction="mean")


def grads_of(loss, params):
    return [g.detach() for g in torch.autograd.grad(loss, params)]


class Sgd:
    def __init__(self, lr, momentum):
        self.lr, self.mu, self.buf = lr, momentum, None

    def step(self, params, grads):
        if self.mu > 0:
            self.buf = grads if self.buf is None else [self.mu * b + g for b, g in zip(self.buf, grads)]
            grads = self.buf
        with torch.no_grad():
            for p, g in zip(params, grads):
                p -= self.lr * g


class Adam:
    def __init__(self, lr, b1=0.9, b2=0.999, eps=1e-7):
        self.lr, self.b1, self.b2, self.eps, self.t, self.m, self.v = lr, b1, b2, eps, 0, None, None

    def step(self, params, grads):
        self.t += 1
        if self.m is None:
            self.m = [torch.zeros_like(g) for g in grads]
            self.v = [torch.zeros_like(g) for g in grads]
        self.m = [self.b1 * m + (1 - self.b1) * g for m, g in zip(self.m, grads)]
        self.v = [self.b2 * v + (1 - self.b2) * g * g for v, g in zip(self.v, grads)]
        with torch.no_grad():
            for p, m, v in zip(params, self.m, self.v):
                p -= self.lr * (m / (1 - self.b1 ** self.t)) / (torch.sqrt(v / (1 - self.b2 ** self.t)) + self.eps)


def make_optimizer(spec):
    return Adam(spec["learningRate"]) if spec["optimizer"] == "adam" else Sgd(spec["learningRate"], spec["momentum"])


def train_pass(params, opt, x, y, bs, wd=0.0, mask=None):
    """One pass in order (no shuffling), batches of bs with a partial last one. Returns the
    sample-weighted mean of the batch losses, each taken before its step."""
    total, n = 0.0, x.shape[0]
    for s in range(0, n, bs):
        xb, yb = x[s:s + bs], y[s:s + bs]
        loss = mean_ce(params, xb, yb)
        grads = grads_of(loss, params)
        grads = [g + wd * p.detach() for g, p in zip(grads, params)]
        if mask is not None:
            grads = [g * m for g, m in zip(grads, mask)]
        opt.step(params, grads)
        total += loss.item() * xb.shape[0]
    return total / n


def to_params(weights):
    return [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in weights]


def tensor_json(a, name=None):
    a = np.asarray(a)
    out = {"shape": list(a.shape), "values": [float(v) if a.dtype.kind == "f" else int(v) for v in a.reshape(-1)]}
    return {"name": name, **out} if name else out


def weights_json(ws):
    return [tensor_json(w.detach().numpy() if torch.is_tensor(w) else w, n) for n, w in zip(NAMES, ws)]


def write(relpath, obj):
    path = os.path.join(REPO, relpath)
    with open(path, "w") as fh:
        fh.write(json.dumps(obj, indent=1) + "\n")
    print("wrote", relpath)
