#!/usr/bin/env python3
"""Golden fixtures for the TS parity tests of JiT, SSD and LF-SSD.

Reference implementations in PyTorch of JiT, SSD and LF-SSD as the docs specify them
(docs/algorithms/jit.md, ssd.md and lf-ssd.md). Every tensor written to JSON is in
TensorFlow.js layout:

  * Dense kernel [in, out], bias [out];
  * Conv2D kernel [kh, kw, cin, cout], inputs NHWC, flatten after conv in (h, w, c) order.

The parameters are kept in that layout as torch leaf tensors and the forward
pass converts on the fly (x @ K for dense; permutes around conv2d), so the
gradients come out in tfjs layout too.

Usage:
  /usr/bin/python3 scripts/golden/make_fixtures.py          # write the JSON fixtures
  /usr/bin/python3 scripts/golden/make_fixtures.py --check  # float32-vs-float64 report, writes nothing

All inputs (weights, data, noise) are drawn from fixed seeds and rounded to float32
representable values before use, so a float32 consumer starts from exactly the same numbers;
the expected outputs are computed in float64. The output is byte-identical on rerun, also
across CPUs, since the OpenBLAS kernel is pinned below (OPENBLAS_CORETYPE=Prescott).
"""

import json
import math
import os
import sys

# Debian's torch uses a dynamic-arch OpenBLAS that picks its kernels from the CPU (or from
# OPENBLAS_CORETYPE), and the kernels differ in the last bits of float64 results. Pin the
# generic SSE3 kernel, the one the committed fixtures were made with, so that every machine
# writes the same bytes. This overrides any OPENBLAS_CORETYPE already set, and must run
# before numpy and torch (and so OpenBLAS) are loaded.
os.environ["OPENBLAS_CORETYPE"] = "Prescott"

import numpy as np
import torch

torch.set_num_threads(1)  # determinism of reductions

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = "scripts/golden/make_fixtures.py"


# --------------------------------------------------------------------------------------
# data / weight generation (numpy, float64 values that are exactly float32-representable)

def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def glorot(rng, shape, fan_in, fan_out):
    lim = math.sqrt(6.0 / (fan_in + fan_out))
    return f32(rng.uniform(-lim, lim, size=shape))


def make_weights(model, seed):
    rng = np.random.RandomState(seed)
    if model == "mlp":
        return [
            ("dense1/kernel", glorot(rng, (6, 5), 6, 5)),
            ("dense1/bias", f32(rng.uniform(-0.1, 0.1, size=(5,)))),
            ("dense2/kernel", glorot(rng, (5, 3), 5, 3)),
            ("dense2/bias", f32(rng.uniform(-0.1, 0.1, size=(3,)))),
        ]
    if model == "cnn":
        return [
            ("conv/kernel", glorot(rng, (3, 3, 1, 2), 9 * 1, 9 * 2)),
            ("conv/bias", f32(rng.uniform(-0.1, 0.1, size=(2,)))),
            ("dense/kernel", glorot(rng, (32, 3), 32, 3)),
            ("dense/bias", f32(rng.uniform(-0.1, 0.1, size=(3,)))),
        ]
    raise ValueError(model)


INPUT_SHAPE = {"mlp": [6], "cnn": [6, 6, 1]}


# --------------------------------------------------------------------------------------
# model (functional, tfjs layout)

class Recorder:
    """Tracks the smallest |pre-activation| seen at a ReLU (conditioning check)."""

    def __init__(self):
        self.min_abs_preact = float("inf")

    def relu(self, z):
        with torch.no_grad():
            m = float(z.abs().min())
        self.min_abs_preact = min(self.min_abs_preact, m)
        return torch.relu(z)


def forward(model, params, x, rec):
    """x in tfjs layout ([n, 6] or NHWC [n, 6, 6, 1]); returns logits [n, 3]."""
    if model == "mlp":
        k1, b1, k2, b2 = params
        h = rec.relu(x @ k1 + b1)
        return h @ k2 + b2
    if model == "cnn":
        kc, bc, kd, bd = params
        xc = x.permute(0, 3, 1, 2)                      # NHWC -> NCHW
        wc = kc.permute(3, 2, 0, 1)                     # [kh,kw,cin,cout] -> [cout,cin,kh,kw]
        z = torch.nn.functional.conv2d(xc, wc, bc)      # valid, stride 1
        h = rec.relu(z).permute(0, 2, 3, 1)             # back to NHWC
        h = h.reshape(h.shape[0], -1)                   # flatten in (h, w, c) order
        return h @ kd + bd
    raise ValueError(model)


def to_params(weights, dtype):
    return [torch.tensor(v, dtype=dtype, requires_grad=True) for _, v in weights]


def batches(n, bs):
    return [(s, min(s + bs, n)) for s in range(0, n, bs)]


# --------------------------------------------------------------------------------------
# JiT (docs/algorithms/jit.md, The math in short; accumulate=True is the reference quirk, False the
# project default)

def safe_norm(v):
    """Row-wise L2 norm whose gradient is 0 (not NaN) where the norm is 0."""
    s = (v * v).reshape(v.shape[0], -1).sum(dim=1)
    pos = s > 0
    return torch.where(pos, torch.sqrt(torch.where(pos, s, torch.ones_like(s))), torch.zeros_like(s))


def jit(model, weights, forget, noise, bs, sigma, lr, accumulate, dtype, rec):
    params = to_params(weights, dtype)
    X_all = torch.tensor(forget, dtype=dtype)
    losses = []
    for (s, e), eps_b in zip(batches(X_all.shape[0], bs), noise):
        if not accumulate:
            for p in params:
                p.grad = None
        X = X_all[s:e]
        out = forward(model, params, X, rec)
        eps_b = torch.tensor(eps_b, dtype=dtype)
        total = torch.zeros((), dtype=dtype)
        for eps in eps_b:                                  # N draws
            mn, mx = X.min(), X.max()
            Xn = torch.clamp(X + sigma * eps, mn, mx)
            with torch.no_grad():
                outn = forward(model, params, Xn, rec)
            a = (X - Xn).reshape(X.shape[0], -1).norm(dim=1)
            b = safe_norm(out - outn)
            apos = a > 0
            terms = torch.where(apos, b / torch.where(apos, a, torch.ones_like(a)), torch.zeros_like(b))
            total = total + terms.sum()
        loss = total / eps_b.shape[0]
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
        losses.append(float(loss))
    return [p.detach() for p in params], losses


# --------------------------------------------------------------------------------------
# SSD / LF-SSD importances and dampening (docs/algorithms/ssd.md and lf-ssd.md, The math in short)

def importance(model, weights, x, y, bs, kind, dtype, rec):
    params = to_params(weights, dtype)
    X_all = torch.tensor(x, dtype=dtype)
    acc = [torch.zeros_like(p) for p in params]
    bl = batches(X_all.shape[0], bs)
    for s, e in bl:
        for p in params:
            p.grad = None
        out = forward(model, params, X_all[s:e], rec)
        if kind == "fisher":
            loss = torch.nn.functional.cross_entropy(out, torch.tensor(y[s:e], dtype=torch.long))
        else:
            loss = (out * out).sum(dim=1).mean()
        loss.backward()
        for a, p in zip(acc, params):
            a += p.grad * p.grad if kind == "fisher" else p.grad.abs()
    return [a / len(bl) for a in acc]


def dampen(weights, imp_d, imp_f, alpha, lam, exponent, cap, dtype):
    out_w, sel_l, n_capped = [], [], 0
    for (_, w), i_d, i_f in zip(weights, imp_d, imp_f):
        w = torch.tensor(w, dtype=dtype)
        sel = i_f > alpha * i_d
        ratio = torch.where(sel, lam * i_d / torch.where(sel, i_f, torch.ones_like(i_f)), torch.ones_like(i_f))
        raw = ratio ** exponent
        beta = torch.minimum(raw, torch.full_like(raw, cap))
        n_capped += int((sel & (raw > cap)).sum())
        out_w.append(torch.where(sel, beta * w, w))
        sel_l.append(sel)
    return out_w, sel_l, n_capped


def auto_alpha(imp_d, imp_f, forget_size, train_size, dtype):
    """Adaptive SSD's parameter-free alpha (Schoepf et al., arXiv 2402.10098).

    The p-th percentile (linear interpolation) of the ratios r_j = I_f[j] / I_D[j], pooled over
    every parameter of every weight tensor. Only the finite ratios count: the inf (I_D = 0 < I_f)
    and nan (I_D = I_f = 0) ones are dropped. p = 100 - ln(1 + 100 |Df| / |D|), with D = Dr u Df.
    Returns (alpha, p, number of finite ratios kept).
    """
    p = 100.0 - math.log(1.0 + 100.0 * forget_size / train_size)
    r = torch.cat([(f.to(dtype) / d.to(dtype)).reshape(-1) for f, d in zip(imp_f, imp_d)])
    r = r[torch.isfinite(r)]
    alpha = float(torch.quantile(r, p / 100.0))
    return alpha, p, int(r.numel())


# --------------------------------------------------------------------------------------
# fixture cases

JIT_CFG = dict(n_forget=10, batch=4, sigma=0.3, n_samples=3)
JIT_LR = {"mlp": 0.02, "cnn": 0.05}
SSD_CFG = dict(n_forget=10, n_retain=20, batch=4, noise_scale=1.0)
# Dampening cases per importance kind: the first is written at the top level of the fixture
# (exponent 1 and cap 1, the defaults), the others under "extraCases". The loss-free
# importance (|grad|, not grad^2) has a narrower I_f / I_D spread, hence the smaller alphas.
SSD_CASES = {
    "fisher": [
        dict(alpha=2.0, lam=1.0, exponent=1.0, cap=1.0),
        dict(alpha=1.5, lam=2.0, exponent=1.0, cap=1.0),   # lambda > alpha: cap active for some
        dict(alpha=2.0, lam=1.5, exponent=2.0, cap=0.5),   # non-default exponent, cap below 1
    ],
    "lossfree": [
        dict(alpha=1.2, lam=1.0, exponent=1.0, cap=1.0),
        dict(alpha=1.1, lam=1.5, exponent=1.0, cap=1.0),
        dict(alpha=1.2, lam=1.0, exponent=2.0, cap=0.5),
    ],
}


def jit_data(model, constant=False):
    shape = INPUT_SHAPE[model]
    seed = {"mlp": 101, "cnn": 202}[model] + (1000 if constant else 0)
    rng = np.random.RandomState(seed)
    if constant:
        n, bs = 8, 4
        forget = np.concatenate([np.full([4] + shape, 0.5), np.full([4] + shape, 0.25)])
        forget = f32(forget)
    else:
        n, bs = JIT_CFG["n_forget"], JIT_CFG["batch"]
        forget = f32(rng.uniform(0.0, 1.0, size=[n] + shape))
    noise = []
    for s, e in batches(n, bs):
        noise.append(f32(rng.standard_normal(size=[JIT_CFG["n_samples"], e - s] + shape)))
    return forget, bs, noise


def ssd_data(model):
    shape = INPUT_SHAPE[model]
    rng = np.random.RandomState({"mlp": 303, "cnn": 404}[model])
    nf, nr = SSD_CFG["n_forget"], SSD_CFG["n_retain"]
    # Inputs = class mean + noise, so the (mostly class 0) forget set is typical of class 0.
    mu = rng.standard_normal(size=[3] + shape)
    yf = np.array([0, 0, 0, 0, 1, 0, 0, 0, 2, 0], dtype=np.int64)[:nf]
    yr = np.array([(i % 3) for i in range(nr)], dtype=np.int64)
    xf = f32(mu[yf] + SSD_CFG["noise_scale"] * rng.standard_normal(size=[nf] + shape))
    xr = f32(mu[yr] + SSD_CFG["noise_scale"] * rng.standard_normal(size=[nr] + shape))
    # D = Dr u Df in a fixed shuffled order
    xd = np.concatenate([xf, xr])
    yd = np.concatenate([yf, yr])
    perm = rng.permutation(nf + nr)
    return xf, yf, xd[perm], yd[perm]


def run_jit(model, dtype, constant=False):
    weights = make_weights(model, {"mlp": 11, "cnn": 22}[model])
    forget, bs, noise = jit_data(model, constant)
    rec = Recorder()
    res = {}
    for key, acc in (("perBatch", False), ("accumulated", True)):
        w, losses = jit(model, weights, forget, noise, bs, JIT_CFG["sigma"], JIT_LR[model], acc, dtype, rec)
        res[key] = (w, losses)
    return weights, forget, bs, noise, res, rec


def run_ssd(model, kind, dtype):
    weights = make_weights(model, {"mlp": 33, "cnn": 44}[model])
    xf, yf, xd, yd = ssd_data(model)
    rec = Recorder()
    bs = SSD_CFG["batch"]
    imp_f = importance(model, weights, xf, yf, bs, kind, dtype, rec)
    imp_d = importance(model, weights, xd, yd, bs, kind, dtype, rec)
    cases = []
    for c in SSD_CASES[kind]:
        w, sel, n_capped = dampen(weights, imp_d, imp_f, c["alpha"], c["lam"], c["exponent"], c["cap"], dtype)
        cases.append((c, w, sel, n_capped))
    # Adaptive SSD: alpha from the importances, then lambda 1, exponent 1, cap 1.
    a, p, n_finite = auto_alpha(imp_d, imp_f, len(xf), len(xd), dtype)
    c = dict(alpha=a, lam=1.0, exponent=1.0, cap=1.0, percentile=p, finite=n_finite,
             forget_size=len(xf), train_size=len(xd))
    w, sel, n_capped = dampen(weights, imp_d, imp_f, c["alpha"], c["lam"], c["exponent"], c["cap"], dtype)
    auto = (c, w, sel, n_capped)
    return weights, (xf, yf, xd, yd), imp_f, imp_d, cases, auto, rec


# --------------------------------------------------------------------------------------
# JSON output

def flat(a):
    a = a.detach().cpu().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)
    if a.dtype.kind in "iub":
        return [int(v) for v in a.reshape(-1)]
    return [float(v) for v in a.astype(np.float64).reshape(-1)]


def tensor_json(a):
    a_np = a.detach().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)
    return {"shape": list(a_np.shape), "values": flat(a_np)}


def weights_json(names, tensors):
    out = []
    for name, t in zip(names, tensors):
        d = {"name": name}
        d.update(tensor_json(t))
        out.append(d)
    return out


def dumps(obj, indent=0):
    """JSON with nested objects indented and flat number lists on one line."""
    pad = "  " * indent
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f'{pad}  {json.dumps(k)}: {dumps(v, indent + 1)}' for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return "[" + ", ".join(json.dumps(v) for v in obj) + "]"
        items = [f"{pad}  {dumps(v, indent + 1)}" for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(obj, float):
        assert math.isfinite(obj), obj
        return repr(obj)
    return json.dumps(obj)


def write(relpath, obj):
    path = os.path.join(REPO, relpath)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(dumps(obj) + "\n")
    print(f"wrote {relpath} ({os.path.getsize(path)} bytes)")


def source():
    return f"{SCRIPT}, torch {torch.__version__}, float64"


def jit_fixture(model, constant=False):
    weights, forget, bs, noise, res, _ = run_jit(model, torch.float64, constant)
    names = [n for n, _ in weights]
    obj = {
        "source": source(),
        "model": model,
        "inputShape": INPUT_SHAPE[model],
        "weights": weights_json(names, [w for _, w in weights]),
        "forget": tensor_json(forget),
        "batchSize": bs,
        "sigma": JIT_CFG["sigma"],
        "lr": JIT_LR[model],
        "nSamples": JIT_CFG["n_samples"],
        "noise": [tensor_json(n) for n in noise],
        "expected": {
            key: {"weights": weights_json(names, res[key][0]), "losses": res[key][1]}
            for key in ("perBatch", "accumulated")
        },
    }
    if constant:
        obj["note"] = ("every forget batch is constant (min == max), so X' == X, a_i = 0 for every sample: "
                       "loss 0, gradient 0, weights unchanged, no NaN")
    return obj


def ssd_fixture(model, kind):
    weights, (xf, yf, xd, yd), imp_f, imp_d, cases, auto, _ = run_ssd(model, kind, torch.float64)
    names = [n for n, _ in weights]
    labelled = kind == "fisher"

    def case_json(c, w, sel):
        return {
            "alpha": c["alpha"], "lambda": c["lam"], "exponent": c["exponent"], "cap": c["cap"],
            "expected": {
                "selected": weights_json(names, [s.to(torch.int64) for s in sel]),
                "weights": weights_json(names, w),
            },
        }

    main_c, main_w, main_sel, _ = cases[0]
    auto_c, auto_w, auto_sel, _ = auto
    obj = {
        "source": source(),
        "model": model,
        "inputShape": INPUT_SHAPE[model],
        "weights": weights_json(names, [w for _, w in weights]),
        "forget": {"x": tensor_json(xf), "y": flat(yf) if labelled else None},
        "train": {"x": tensor_json(xd), "y": flat(yd) if labelled else None},
        "batchSize": SSD_CFG["batch"],
        "alpha": main_c["alpha"],
        "lambda": main_c["lam"],
        "exponent": main_c["exponent"],
        "cap": main_c["cap"],
        "expected": {
            "importanceForget": weights_json(names, imp_f),
            "importanceTrain": weights_json(names, imp_d),
            "selected": weights_json(names, [s.to(torch.int64) for s in main_sel]),
            "weights": weights_json(names, main_w),
        },
        # Placed before "extraCases" so that adding it to existing fixtures is a pure insertion.
        "autoAlpha": {
            "forgetSize": auto_c["forget_size"],
            "trainSize": auto_c["train_size"],
            "percentile": auto_c["percentile"],
            "finiteRatios": auto_c["finite"],
            **case_json(auto_c, auto_w, auto_sel),
        },
        "extraCases": [case_json(c, w, s) for c, w, s, _ in cases[1:]],
    }
    return obj


def main_write():
    for model in ("mlp", "cnn"):
        write(f"packages/jit/test/fixtures/jit-{model}.json", jit_fixture(model))
    write("packages/jit/test/fixtures/jit-constant.json", jit_fixture("mlp", constant=True))
    for model in ("mlp", "cnn"):
        write(f"packages/ssd/test/fixtures/ssd-{model}.json", ssd_fixture(model, "fisher"))
        write(f"packages/lf-ssd/test/fixtures/lf-ssd-{model}.json", ssd_fixture(model, "lossfree"))


# --------------------------------------------------------------------------------------
# float32 vs float64 check

def rel(a_list, b_list):
    num = math.sqrt(sum(float(((a.double() - b.double()) ** 2).sum()) for a, b in zip(a_list, b_list)))
    den = math.sqrt(sum(float((b.double() ** 2).sum()) for b in b_list))
    return num / den if den > 0 else num


def main_check():
    print("JiT (relative L2 error float32 vs float64 over all weights; change = ||w1-w0||/||w0||)")
    for model, constant in (("mlp", False), ("cnn", False), ("mlp", True)):
        w0, _, _, _, r64, rec64 = run_jit(model, torch.float64, constant)
        _, _, _, _, r32, _ = run_jit(model, torch.float32, constant)
        w0t = [torch.tensor(w) for _, w in w0]
        tag = f"{model}{'-constant' if constant else ''}"
        for key in ("perBatch", "accumulated"):
            wa, la = r64[key]
            wb, lb = r32[key]
            nan = any(bool(torch.isnan(t).any()) for t in wa)
            print(f"  {tag:13s} {key:11s} rel_err_w={rel(wb, wa):.2e} "
                  f"rel_err_loss={rel([torch.tensor(lb)], [torch.tensor(la)]):.2e} "
                  f"change={rel(wa, w0t):.3e} per-tensor-change=[" +
                  ", ".join(f"{rel([a], [b]):.2e}" for a, b in zip(wa, w0t)) +
                  f"] losses={['%.4f' % v for v in la]} nan={nan}")
        print(f"  {tag:13s} min |relu pre-activation| = {rec64.min_abs_preact:.2e}")
    for kind, label in (("fisher", "SSD"), ("lossfree", "LF-SSD")):
        print(f"{label}")
        for model in ("mlp", "cnn"):
            w0, _, f64, d64, c64, a64, rec64 = run_ssd(model, kind, torch.float64)
            _, _, f32_, d32, c32, a32, _ = run_ssd(model, kind, torch.float32)
            total = sum(int(np.prod(w.shape)) for _, w in w0)
            print(f"  {model}: rel_err I_f={rel(f32_, f64):.2e} I_D={rel(d32, d64):.2e}  "
                  f"min |relu pre-activation|={rec64.min_abs_preact:.2e}")
            ca, cb = a64[0], a32[0]
            print(f"    autoAlpha: |Df|={ca['forget_size']} |D|={ca['train_size']} p={ca['percentile']!r} "
                  f"finite ratios {ca['finite']}/{total} (f32: {cb['finite']}), alpha={ca['alpha']!r} "
                  f"(f32 {cb['alpha']!r}, rel diff {abs(cb['alpha'] - ca['alpha']) / abs(ca['alpha']):.2e})")
            for (c, wa, sa, ncap), (_, wb, sb, _) in zip(c64 + [a64], c32 + [a32]):
                nsel = sum(int(s.sum()) for s in sa)
                same = all(bool((x == y).all()) for x, y in zip(sa, sb))
                # selection margin: min over params of |I_f - alpha I_D| / max(I_f, alpha I_D)
                # (positions where both importances are exactly 0 are skipped: never selected)
                margin = min(float((abs(f - c["alpha"] * d) / torch.maximum(f, c["alpha"] * d))
                                   [torch.maximum(f, d) > 0].min()) for f, d in zip(f64, d64))
                nzero = sum(int((torch.maximum(f, d) == 0).sum()) for f, d in zip(f64, d64))
                w0t = [torch.tensor(w) for _, w in w0]
                tag = "autoAlpha " if "percentile" in c else ""
                print(f"    {tag}alpha={c['alpha']} lambda={c['lam']} exp={c['exponent']} cap={c['cap']}: "
                      f"selected {nsel}/{total} (per tensor {[int(s.sum()) for s in sa]}), capped {ncap}, "
                      f"same selection in f32={same}, selection margin={margin:.2e} (both-zero skipped: {nzero}), "
                      f"rel_err_w={rel(wb, wa):.2e}, change={rel(wa, w0t):.3e}")


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        main_check()
    else:
        main_write()
