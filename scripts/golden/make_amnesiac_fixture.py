#!/usr/bin/env python3
"""Golden fixture for @unlearn/amnesiac (docs/algorithms/amnesiac.md, The math in short).

The random wrong labels are an INPUT of the fixture (tfjs's generator cannot be reproduced
here); the TS test injects them. Training set = relabelled forget rows first, then the retain
rows, in order (shuffle off), batches of 4; expected weights after each case's epochs, in float64.

  /usr/bin/python3 scripts/golden/make_amnesiac_fixture.py
"""

import numpy as np
import torch

from random_label_reference import blobs, f32, make_optimizer, mlp_weights, tensor_json, to_params, train_pass, weights_json, write

OUT = "packages/amnesiac/test/fixtures/amnesiac-mlp.json"
CASES = [
    {"optimizer": "adam", "learningRate": 0.01, "momentum": 0.0, "weightDecay": 0.0, "epochs": 2},
    {"optimizer": "sgd", "learningRate": 0.05, "momentum": 0.9, "weightDecay": 5e-4, "epochs": 2},
]


def main():
    weights = mlp_weights(11)
    fx, fy = blobs(12, [0, 0, 0, 1, 2, 0])
    rx, ry = blobs(13, [1, 2, 0, 1, 2, 1, 2, 0, 1, 2])
    rng = np.random.RandomState(14)
    wrong = np.array([(int(t) + 1 + rng.randint(2)) % 3 for t in fy])
    assert all(w != t for w, t in zip(wrong, fy))
    x = torch.tensor(np.concatenate([fx, rx]), dtype=torch.float64)
    y = torch.tensor(np.concatenate([wrong, ry]), dtype=torch.int64)
    cases = []
    for spec in CASES:
        params = to_params(weights)
        opt = make_optimizer(spec)
        losses = [train_pass(params, opt, x, y, 4, spec["weightDecay"]) for _ in range(spec["epochs"])]
        cases.append({**spec, "expected": {"weights": weights_json(params), "epochLosses": losses}})
    write(OUT, {
        "source": f"scripts/golden/make_amnesiac_fixture.py, torch {torch.__version__}, float64",
        "model": "mlp",
        "inputShape": [6],
        "weights": weights_json(weights),
        "forget": {"x": tensor_json(fx), "y": tensor_json(fy)},
        "retain": {"x": tensor_json(rx), "y": tensor_json(ry)},
        "wrongLabels": tensor_json(wrong),
        "batchSize": 4,
        "cases": cases,
    })


if __name__ == "__main__":
    main()
