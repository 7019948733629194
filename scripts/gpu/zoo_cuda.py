#!/usr/bin/env python3
"""PyTorch on CUDA for the model-zoo rows that scripts/gpu/zoo-check.ts times on WebGPU.

Run on the GPU machine by scripts/gpu-check.sh zoo; writes $OUT/zoo-cuda.json. The workloads are
those of scripts/torch/serve.py (the models of scripts/torch/zoo.py, JiT and importance from
scripts/torch/bench.py), moved to the GPU, each timed after a warm-up with
torch.cuda.synchronize() before the clock stops.
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "torch"))
import bench  # noqa: E402  (threads for the CPU side; the work below runs on the GPU)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from zoo import mobilenet_v2, param_count, resnet18  # noqa: E402

ROUNDS = 3
dev = torch.device("cuda")


def timed(fn):
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    fn()
    torch.cuda.synchronize()
    return time.perf_counter() - t0


def cifar(n):
    return torch.rand(n, 3, 32, 32, device=dev), torch.randint(0, 10, (n,), device=dev)


def rows_for(name, make):
    out = []
    model = make().to(dev)
    x, y = cifar(64)
    opt = torch.optim.SGD(model.parameters(), lr=bench.TRAIN_LR)

    def train():
        model.train()
        for _ in range(5):
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y).backward()
            opt.step()

    train()
    rounds = [5 * 64 / timed(train) for _ in range(ROUNDS)]
    out.append({"model": name, "workload": "training, batch 64, SGD", "unit": "samples/s", "value": sorted(rounds)[1], "rounds": rounds})

    model.eval()
    step = lambda: bench.jit_step(model, x)  # noqa: E731
    step()
    rounds = [timed(step) * 1e3 for _ in range(ROUNDS)]
    out.append({"model": name, "workload": "JiT step, N=25, batch 64", "unit": "ms", "value": sorted(rounds)[1], "rounds": rounds})

    xi, yi = cifar(1000)
    imp = lambda: bench.importance(model, xi, yi, "fisher")  # noqa: E731
    imp()
    rounds = [timed(imp) * 1e3 for _ in range(ROUNDS)]
    out.append({"model": name, "workload": "SSD importance, 1,000 samples, batch 64", "unit": "ms", "value": sorted(rounds)[1], "rounds": rounds})
    return out, param_count(model)


def main():
    result = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0), "rows": [], "params": {}}
    for name, make in (("resnet18", lambda: resnet18(width=64)), ("mobilenetv2", lambda: mobilenet_v2(width_mult=1.0))):
        rows, params = rows_for(name, make)
        result["rows"] += rows
        result["params"][name] = params
        for r in rows:
            print(f"cuda {name} {r['workload']}: {r['value']:.1f} {r['unit']}", flush=True)
    with open(os.path.join(os.environ.get("OUT", "."), "zoo-cuda.json"), "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
