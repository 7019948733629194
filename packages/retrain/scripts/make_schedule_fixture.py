#!/usr/bin/env python3
"""Learning rates per batch from PyTorch's own schedulers, for test/schedule.test.ts.

Run: /usr/bin/python3 packages/retrain/scripts/make_schedule_fixture.py
Writes packages/retrain/test/fixtures/schedules.json. Needs torch; CI only reads the JSON.

multistep: the loop of R2 `fit_one_cycle` (src/utils.py): MultiStepLR(gamma 0.2) and WarmUpLR
(pytorch-cifar100's class, total_iters = one epoch), train_scheduler.step(epoch) at the start of
every epoch > 1, warmup_scheduler.step() after every batch while epoch <= 1. onecycle:
torch.optim.lr_scheduler.OneCycleLR with its defaults (cos, pct_start 0.3, div 25, final div 1e4),
stepped after every batch. The recorded rate is the one each batch's optimizer.step() used.
"""
import json
import os
import warnings

import torch
from torch.optim.lr_scheduler import _LRScheduler

warnings.filterwarnings("ignore")


class WarmUpLR(_LRScheduler):
    def __init__(self, optimizer, total_iters, last_epoch=-1):
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base_lr * self.last_epoch / (self.total_iters + 1e-8) for base_lr in self.base_lrs]


def optimizer(lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr, momentum=0.9, weight_decay=5e-4)


def multistep(epochs, batches, milestones, lr):
    opt = optimizer(lr)
    train_scheduler = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=milestones, gamma=0.2)
    warmup_scheduler = WarmUpLR(opt, batches)
    rates = []
    for epoch in range(epochs):
        if epoch > 1:
            train_scheduler.step(epoch)
        row = []
        for _ in range(batches):
            row.append(opt.param_groups[0]["lr"])
            opt.step()
            if epoch <= 1:
                warmup_scheduler.step()
        rates.append(row)
    return rates


def onecycle(epochs, batches, lr):
    opt = optimizer(lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, epochs=epochs, steps_per_epoch=batches)
    rates = []
    for _ in range(epochs):
        row = []
        for _ in range(batches):
            row.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        rates.append(row)
    return rates


cases = [
    {"name": "reference multistep", "schedule": {"kind": "multistep", "milestones": [3, 5], "gamma": 0.2, "warmupEpochs": 1},
     "learningRate": 0.01, "epochs": 7, "batchesPerEpoch": 4, "rates": multistep(7, 4, [3, 5], 0.01)},
    {"name": "reference multistep, milestone inside the warm-up", "schedule": {"kind": "multistep", "milestones": [1, 2], "gamma": 0.2, "warmupEpochs": 1},
     "learningRate": 0.1, "epochs": 4, "batchesPerEpoch": 3, "rates": multistep(4, 3, [1, 2], 0.1)},
    {"name": "onecycle", "schedule": {"kind": "onecycle"}, "learningRate": 0.1, "epochs": 4, "batchesPerEpoch": 5,
     "rates": onecycle(4, 5, 0.1)},
]
out = {
    "source": "PyTorch " + torch.__version__ + " schedulers, made by packages/retrain/scripts/make_schedule_fixture.py",
    "cases": cases,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "schedules.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(path))
