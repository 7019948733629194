#!/usr/bin/env python3
"""Golden fixture for @unlearn/salun (docs/algorithms/salun.md, The math in short).

1. Saliency: g = gradient of the mean cross-entropy over the whole forget set (true labels) at
   the starting weights; mask = 1 on the floor(fraction * 53) weights with the largest |g|,
   ranked over all four variables together. The margin between the last weight in and the first
   weight out is written too, so a float32 consumer can see it picks the same set.
2. Training, per epoch, with that epoch's injected random wrong labels (an INPUT: tfjs's generator
   cannot be reproduced here), shuffling off, batches of 4, every gradient m * (g + wd * theta):
   * `alternate`: every forget batch (relabelled), then every retain batch;
   * `concat`: one pass over relabelled forget rows followed by the retain rows.

  /usr/bin/python3 scripts/golden/make_salun_fixture.py
"""

import numpy as np
import torch

from random_label_reference import blobs, grads_of, make_optimizer, mean_ce, mlp_weights, tensor_json, to_params, train_pass, weights_json, write

OUT = "packages/salun/test/fixtures/salun-mlp.json"
FRACTION = 0.5
CASES = [
    {"order": "alternate", "optimizer": "sgd", "learningRate": 0.1, "momentum": 0.9, "weightDecay": 5e-4, "epochs": 2},
    {"order": "concat", "optimizer": "adam", "learningRate": 0.01, "momentum": 0.0, "weightDecay": 5e-4, "epochs": 2},
]


def saliency(weights, fx, fy):
    params = to_params(weights)
    g = grads_of(mean_ce(params, torch.tensor(fx), torch.tensor(fy)), params)
    flat = torch.cat([t.reshape(-1) for t in g]).abs().numpy()
    k = int(len(flat) * FRACTION)
    order = np.argsort(-flat, kind="stable")
    bits = np.zeros(len(flat))
    bits[order[:k]] = 1
    margin = (flat[order[k - 1]] - flat[order[k]]) / flat[order[k - 1]]
    masks, at = [], 0
    for w in weights:
        masks.append(bits[at:at + w.size].reshape(w.shape))
        at += w.size
    return [t.numpy() for t in g], masks, k, float(flat[order[k - 1]]), float(margin)


def main():
    weights = mlp_weights(21)
    fx, fy = blobs(22, [0, 0, 0, 1, 2, 0])
    rx, ry = blobs(23, [1, 2, 0, 1, 2, 1, 2, 0, 1, 2])
    rng = np.random.RandomState(24)
    wrong = [np.array([(int(t) + 1 + rng.randint(2)) % 3 for t in fy]) for _ in range(2)]
    grads, masks, k, threshold, margin = saliency(weights, fx, fy)
    assert margin > 1e-3, margin
    mask_t = [torch.tensor(m) for m in masks]
    fxt, rxt, ryt = torch.tensor(fx), torch.tensor(rx), torch.tensor(ry)
    cases = []
    for spec in CASES:
        params = to_params(weights)
        opt = make_optimizer(spec)
        losses = []
        for e in range(spec["epochs"]):
            wy = torch.tensor(wrong[e])
            if spec["order"] == "alternate":
                lf = train_pass(params, opt, fxt, wy, 4, spec["weightDecay"], mask_t)
                lr_ = train_pass(params, opt, rxt, ryt, 4, spec["weightDecay"], mask_t)
                losses.append({"forgetLoss": lf, "retainLoss": lr_})
            else:
                x = torch.cat([fxt, rxt])
                y = torch.cat([wy, ryt])
                losses.append({"loss": train_pass(params, opt, x, y, 4, spec["weightDecay"], mask_t)})
        cases.append({**spec, "expected": {"weights": weights_json(params), "epochLosses": losses}})
    write(OUT, {
        "source": f"scripts/golden/make_salun_fixture.py, torch {torch.__version__}, float64",
        "model": "mlp",
        "inputShape": [6],
        "weights": weights_json(weights),
        "forget": {"x": tensor_json(fx), "y": tensor_json(fy)},
        "retain": {"x": tensor_json(rx), "y": tensor_json(ry)},
        "wrongLabels": [tensor_json(w) for w in wrong],
        "batchSize": 4,
        "fraction": FRACTION,
        "saliency": {
            "gradient": weights_json(grads),
            "mask": [tensor_json(m.astype(np.int64), n) for n, m in zip(["dense1/kernel", "dense1/bias", "dense2/kernel", "dense2/bias"], masks)],
            "selected": k,
            "threshold": threshold,
            "relativeMargin": margin,
        },
        "cases": cases,
    })


if __name__ == "__main__":
    main()
