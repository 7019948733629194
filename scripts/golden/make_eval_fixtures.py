#!/usr/bin/env python3
"""Golden fixtures for @unlearn/eval's per-example attacks and the NeurIPS 2023 score.

An independent NumPy re-computation of the formulas in docs/evaluation.md (sections
"Per-example membership inference (U-LiRA)" and "The NeurIPS 2023 forgetting score"), written
without looking at the TypeScript and structured differently from it on purpose:

  * logit-scaled confidence: from probabilities as ln(p_y + 1e-45) - ln(sum_{k!=y} p_k + 1e-45),
    and from logits with np.logaddexp.reduce;
  * ROC: rates as means over every distinct threshold, AUC by counting all positive/negative
    pairs (Mann-Whitney), TPR at an FPR by scanning every segment of the curve;
  * LiRA: normal log-densities written out with their 2*pi terms, paired leave-one-out;
  * NeurIPS epsilons: each threshold family as one [models x thresholds] boolean matrix, the
    per-threshold epsilons with np.where / np.nanmax as in the challenge's description, and
    the bucket points from an explicit dict of buckets.

Usage (Debian's python3 with python3-numpy; nothing else):
  /usr/bin/python3 scripts/golden/make_eval_fixtures.py   # writes the 4 JSON files below

Inputs come from fixed NumPy seeds and are written into the fixtures, so the TS tests read the
very same numbers. Only elementwise operations and reductions are used (no BLAS), so the output
is the same bytes on every machine with the same NumPy. Floats are written with Python's repr,
the shortest form that reads back to the same float64; NaN is written as null.
"""

import json
import math
import os

import numpy as np

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = "scripts/golden/make_eval_fixtures.py"
OUT = "packages/eval/test/fixtures"

FLOOR = 1e-45  # added to both probabilities, as the challenge does
DELTA = 1e-5
EPSILON_CAP = 50.0
PER_UNIT = 100
BUFFER = 2.0
PEAKY = 0.01
BUCKET = 0.5
VAR_FLOOR = 1e-6


def plain(v):
    """numpy -> JSON-ready Python values; NaN becomes None."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, np.ndarray):
        return [plain(x) for x in v.tolist()]
    if isinstance(v, (np.floating, float)):
        f = float(v)
        if math.isnan(f):
            return None
        assert math.isfinite(f), f
        return f
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def dumps(obj, indent=0):
    """JSON with nested objects indented and flat lists on one line (as make_fixtures.py)."""
    pad = "  " * indent
    if isinstance(obj, dict):
        items = [f"{pad}  {json.dumps(k)}: {dumps(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}" if items else "{}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return "[" + ", ".join(dumps(v) for v in obj) + "]"
        items = [f"{pad}  {dumps(v, indent + 1)}" for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(obj, float):
        return repr(obj)
    return json.dumps(obj)


def write(name, obj):
    obj = {"source": f"{SCRIPT}, numpy {np.__version__}, float64", **obj}
    path = os.path.join(REPO, OUT, name)
    with open(path, "w") as fh:
        fh.write(dumps(plain(obj)) + "\n")
    print(f"wrote {OUT}/{name} ({os.path.getsize(path)} bytes)")


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


# ------------------------------------------------------------------------------------------
# logit-scaled confidence

def conf_from_probs(p, y):
    p = np.asarray(p, dtype=np.float64)
    rows = np.arange(p.shape[0])
    mask = np.ones_like(p, dtype=bool)
    mask[rows, y] = False
    wrong = np.where(mask, p, 0.0).sum(axis=1)
    return np.log(p[rows, y] + FLOOR) - np.log(wrong + FLOOR)


def conf_from_logits(z, y):
    z = np.asarray(z, dtype=np.float64)
    out = []
    for row, label in zip(z, y):
        others = np.delete(row, label)
        out.append(row[label] - np.logaddexp.reduce(others))
    return np.array(out)


def softmax32(z):
    z = np.asarray(z, dtype=np.float32)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


def confidence_fixture():
    rng = np.random.default_rng(180001)
    cases = []

    def add(name, logits, y):
        logits = f32(logits)
        probs = f32(softmax32(logits))
        y = np.asarray(y, dtype=int)
        cases.append({
            "name": name,
            "classes": int(logits.shape[1]),
            "labels": y,
            "probabilities": probs.reshape(-1),
            "logits": logits.reshape(-1),
            "fromProbabilities": conf_from_probs(probs.reshape(logits.shape), y),
            "fromLogits": conf_from_logits(logits, y),
        })

    add("10 classes, moderate logits", rng.normal(0, 2, (12, 10)), rng.integers(0, 10, 12))
    add("2 classes", rng.normal(0, 3, (8, 2)), rng.integers(0, 2, 8))
    # Margins of 20-60: float32 rounds p_y to 1, the wrong-class mass survives (down to ~1e-26),
    # and at 110 it underflows to 0, where the 1e-45 floor bounds the score.
    big = np.zeros((6, 4))
    for i, margin in enumerate([20.0, 30.0, 40.0, 60.0, 110.0, -110.0]):
        big[i, i % 4] = margin
    add("saturated softmax (p_y rounds to 1 or 0 in float32)", big, [i % 4 for i in range(6)])
    write("logit-confidence.json", {"floor": FLOOR, "cases": cases})


# ------------------------------------------------------------------------------------------
# ROC

def roc_points(scores, labels):
    pos = scores[labels == 1]
    neg = scores[labels == 0]
    fpr, tpr = [0.0], [0.0]
    for t in np.unique(scores)[::-1]:
        fpr.append(np.mean(neg >= t))
        tpr.append(np.mean(pos >= t))
    return np.array(fpr), np.array(tpr)


def auc_pairs(scores, labels):
    pos = scores[labels == 1][:, None]
    neg = scores[labels == 0][None, :]
    return (np.sum(pos > neg) + 0.5 * np.sum(pos == neg)) / (pos.size * neg.size)


def tpr_at(fpr, tpr, alpha, negatives):
    if alpha < 1.0 / negatives:
        return float("nan")
    best = -np.inf
    for i in range(1, len(fpr)):
        x0, x1, y0, y1 = fpr[i - 1], fpr[i], tpr[i - 1], tpr[i]
        if x0 <= alpha <= x1:
            y = max(y0, y1) if x1 == x0 else y0 + (alpha - x0) * (y1 - y0) / (x1 - x0)
            best = max(best, y)
    return best


FPRS = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0]


def roc_case(name, scores, labels):
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=int)
    fpr, tpr = roc_points(scores, labels)
    negatives = int(np.sum(labels == 0))
    return {
        "name": name,
        "scores": scores,
        "labels": labels,
        "fpr": fpr,
        "tpr": tpr,
        "auc": auc_pairs(scores, labels),
        "smallestResolvableFpr": 1.0 / negatives,
        "tprAtFpr": [{"fpr": a, "tpr": tpr_at(fpr, tpr, a, negatives)} for a in FPRS],
    }


def roc_fixture():
    rng = np.random.default_rng(180002)
    cases = []
    labels = np.r_[np.ones(300, int), np.zeros(1200, int)]
    scores = np.r_[rng.normal(1.0, 1.0, 300), rng.normal(0.0, 1.0, 1200)]
    cases.append(roc_case("continuous, 300 positives vs 1200 negatives (0.1% resolvable)", scores, labels))
    labels = np.r_[np.ones(40, int), np.zeros(60, int)]
    scores = np.r_[rng.integers(0, 6, 40) + 1, rng.integers(0, 6, 60)].astype(float)
    cases.append(roc_case("integer scores, many ties (diagonal segments)", scores, labels))
    cases.append(roc_case("tiny by hand", [0.9, 0.8, 0.8, 0.3, 0.5, 0.8, 0.1], [1, 1, 0, 1, 0, 0, 0]))
    cases.append(roc_case("perfectly separated", [3.0, 2.0, 1.0, -1.0, -2.0], [1, 1, 1, 0, 0]))
    cases.append(roc_case("perfectly inverted", [3.0, 2.0, 1.0, -1.0, -2.0], [0, 0, 0, 1, 1]))
    write("roc.json", {"fprs": FPRS, "cases": cases})


# ------------------------------------------------------------------------------------------
# LiRA / U-LiRA

def normal_logpdf(x, mu, var):
    return -0.5 * np.log(2 * np.pi * var) - (x - mu) ** 2 / (2 * var)


def fit(confs, mode):
    """confs: [K, n]. Mean and ddof-0 variance per example; 'global' pools the variances."""
    mu = confs.mean(axis=0)
    var = confs.var(axis=0)
    if mode == "global":
        var = np.full_like(var, var.mean())
    return mu, np.maximum(var, VAR_FLOOR)


def ulira_case(name, pos, neg, mode, fprs):
    K, n = pos.shape
    pos_scores, neg_scores = [], []
    for j in range(K):
        keep = np.arange(K) != j
        mp, vp = fit(pos[keep], mode)
        mn, vn = fit(neg[keep], mode)
        pos_scores.append(normal_logpdf(pos[j], mp, vp) - normal_logpdf(pos[j], mn, vn))
        neg_scores.append(normal_logpdf(neg[j], mp, vp) - normal_logpdf(neg[j], mn, vn))
    scores = np.concatenate(pos_scores + neg_scores)
    labels = np.r_[np.ones(K * n, int), np.zeros(K * n, int)]
    fpr, tpr = roc_points(scores, labels)
    return {
        "name": name,
        "variance": mode,
        "positive": pos,
        "negative": neg,
        "positiveScores": pos_scores,
        "negativeScores": neg_scores,
        "auc": auc_pairs(scores, labels),
        "smallestResolvableFpr": 1.0 / (K * n),
        "tprAtFpr": [{"fpr": a, "tpr": tpr_at(fpr, tpr, a, K * n)} for a in fprs],
    }


def ulira_fixture():
    rng = np.random.default_rng(180003)
    fprs = [0.01, 0.001, 0.05, 0.1, 0.5]
    cases = []

    def sides(K, n, shift, spread_pos, spread_neg):
        base = rng.normal(0.0, 3.0, n)  # per-example difficulty
        s = rng.uniform(0.5, 1.5, n)    # per-example spread
        pos = base + shift + rng.normal(0, 1, (K, n)) * s * spread_pos
        neg = base + rng.normal(0, 1, (K, n)) * s * spread_neg
        return pos, neg

    pos, neg = sides(4, 6, 1.0, 1.0, 1.0)
    cases.append(ulira_case("K 4, 6 examples, shift 1, global variance", pos, neg, "global", fprs))
    cases.append(ulira_case("same inputs, per-example variance", pos, neg, "per-example", fprs))
    pos, neg = sides(3, 5, 0.0, 0.5, 1.5)
    pos[:, 2] = 1.25  # every positive model agrees: variance 0, the floor applies
    cases.append(ulira_case("K 3, no shift, unequal spreads, one constant example, per-example", pos, neg, "per-example", fprs))
    pos, neg = sides(8, 50, 0.6, 1.0, 1.0)
    cases.append(ulira_case("K 8, 50 examples (400 negatives: 1% resolvable), global", pos, neg, "global", fprs))
    write("ulira.json", {"varianceFloor": VAR_FLOOR, "cases": cases})


# ------------------------------------------------------------------------------------------
# NeurIPS 2023 forgetting score

def interval_rates(pos, neg):
    """Interval family: positive iff left <= c <= right; the narrower side is the positive one."""
    pd, nd = pos.max() - pos.min(), neg.max() - neg.min()
    width = nd if pd > nd else pd
    if pd >= nd:
        pos, neg = neg, pos
    lo = pos.min() + width - BUFFER
    hi = pos.max() + BUFFER
    rights = np.linspace(lo, hi, int(np.ceil((hi - lo) * PER_UNIT)))
    n_left = int(np.ceil(2 * BUFFER * PER_UNIT))
    left = np.concatenate([np.linspace(r - width - BUFFER, r - width + BUFFER, n_left) for r in rights])
    right = np.repeat(rights, n_left)

    def predicted(c):
        return (left[None, :] <= c[:, None]) & (c[:, None] <= right[None, :])

    pp_pos, pp_neg = predicted(pos), predicted(neg)
    return pp_pos.mean(0), (~pp_pos).mean(0), pp_neg.mean(0), (~pp_neg).mean(0)


def single_rates(pos, neg):
    """Single threshold: positive iff c >= t, t over the joint range."""
    both = np.concatenate([pos, neg])
    t = np.linspace(both.min(), both.max(), int(np.ceil((both.max() - both.min()) * PER_UNIT)))
    ge_pos = pos[:, None] >= t[None, :]
    ge_neg = neg[:, None] >= t[None, :]
    return ge_pos.mean(0), (~ge_pos).mean(0), ge_neg.mean(0), (~ge_neg).mean(0)


def example_epsilon(u, r, delta):
    pos, neg = (r, u) if np.median(r) > np.median(u) else (u, r)
    pd, nd = pos.max() - pos.min(), neg.max() - neg.min()
    largest, smallest = (pd, nd) if pd > nd else (nd, pd)
    with np.errstate(invalid="ignore", divide="ignore"):
        if smallest / largest < PEAKY:
            return EPSILON_CAP, "peaky"
    rates = [interval_rates(pos, neg), single_rates(pos, neg)]
    tpr, fnr, fpr, tnr = (np.concatenate([x[k] for x in rates]) for k in range(4))
    eps = np.zeros_like(fpr)
    eps = np.where((fpr + fnr == 0) & (tpr + tnr == 2), np.inf, eps)
    eps = np.where((eps == 0) & (fpr * fnr == 0), np.nan, eps)
    with np.errstate(invalid="ignore", divide="ignore"):
        e1 = np.log(1 - delta - fpr) - np.log(fnr)
        e2 = np.log(1 - delta - fnr) - np.log(fpr)
        both_nan = np.isnan(e1) & np.isnan(e2)
        best = np.where(both_nan, np.nan, np.fmax(e1, e2))  # fmax: the non-NaN one if only one is NaN
    eps = np.where(eps == 0, np.clip(best, 0, None), eps)
    kept = eps[~np.isnan(eps)]
    if kept.size == 0:
        return 0.0, "no-threshold"
    return float(np.clip(np.max(kept), 0, EPSILON_CAP)), "thresholds"


def bucket_points(models):
    max_eps = math.ceil(math.log(models - 1))
    buckets = {}
    start, points = 0.0, 1.0
    while start + BUCKET <= max_eps:
        buckets[start] = points
        points /= 2
        start += BUCKET
    return max_eps, buckets


def points_of(e, buckets):
    for start, points in buckets.items():
        if e < start + BUCKET:
            return points
    return 0.0


def neurips_case(name, U, R, delta=DELTA):
    N, n = U.shape
    eps, source = zip(*(example_epsilon(U[:, i], R[:, i], delta) for i in range(n)))
    max_eps, buckets = bucket_points(N)
    points = [points_of(e, buckets) for e in eps]
    return {
        "name": name,
        "delta": delta,
        "unlearned": U,
        "retrained": R,
        "epsilons": list(eps),
        "source": list(source),
        "points": points,
        "maxEpsilon": max_eps,
        "forgetQuality": float(np.sum(points) / n),
    }


def neurips_columns(rng, N):
    """One forget example per column, each built to exercise one branch."""
    cols = {}
    g = lambda mu, sd: mu + sd * rng.normal(0, 1, N)
    same = g(0.3, 1.0)
    cols["identical on both sides"] = (same, same.copy())
    for shift in [0.25, 1.0, 2.0, 4.0]:
        cols[f"shift {shift} sd"] = (g(shift, 1.0), g(0.0, 1.0))
    cols["separated (shift 12 sd)"] = (g(12.0, 1.0), g(0.0, 1.0))
    cols["peaky unlearned side (ratio < 1%)"] = (g(0.0, 1e-4), g(0.0, 1.0))
    cols["narrow inside wide (interval family)"] = (g(0.0, 0.05), g(0.0, 1.0))
    cols["retrained higher"] = (g(-1.0, 0.7), g(0.5, 1.2))
    cols["wide range (about 30 units)"] = (g(0.0, 8.0), g(3.0, 8.0))
    cols["both constant, 0.005 apart"] = (np.full(N, 1.0), np.full(N, 1.005))
    cols["both constant, equal (no threshold survives)"] = (np.full(N, -103.6), np.full(N, -103.6))
    med = g(0.0, 1.0)
    cols["equal medians"] = (med, 2 * np.median(med) - med)
    return cols


def neurips_fixture():
    rng = np.random.default_rng(180004)
    cases = []
    for N in [16, 5, 3]:
        cols = neurips_columns(rng, N)
        U = np.stack([c[0] for c in cols.values()], axis=1)
        R = np.stack([c[1] for c in cols.values()], axis=1)
        case = neurips_case(f"N {N}", U, R)
        case["columns"] = list(cols.keys())
        cases.append(case)
    U = rng.normal(0.4, 1.0, (8, 10))
    R = rng.normal(0.0, 1.0, (8, 10))
    cases.append(neurips_case("N 8, delta 0.01", U, R, delta=0.01))

    # The final score from per-model accuracies.
    acc = {
        "forgetQuality": cases[0]["forgetQuality"],
        "unlearned": {"retain": rng.uniform(0.8, 0.95, 16), "test": rng.uniform(0.7, 0.85, 16)},
        "retrained": {"retain": rng.uniform(0.85, 0.97, 16), "test": rng.uniform(0.75, 0.88, 16)},
    }
    u, r = acc["unlearned"], acc["retrained"]
    acc["score"] = acc["forgetQuality"] * (np.mean(u["retain"]) / np.mean(r["retain"])) * (np.mean(u["test"]) / np.mean(r["test"]))

    linspaces = []
    for start, stop, num in [(-2.0, 2.0, 400), (0.1, 0.7, 7), (-103.6, -99.6, 401), (1.0, 1.0, 5), (3.0, 4.0, 1), (0.0, 1.0, 0)]:
        linspaces.append({"start": start, "stop": stop, "num": num, "values": np.linspace(start, stop, num)})

    write("neurips-score.json", {
        "constants": {"delta": DELTA, "epsilonCap": EPSILON_CAP, "thresholdsPerUnit": PER_UNIT, "buffer": BUFFER, "peakyRatio": PEAKY, "bucketWidth": BUCKET},
        "cases": cases,
        "finalScore": acc,
        "linspace": linspaces,
    })


if __name__ == "__main__":
    confidence_fixture()
    roc_fixture()
    ulira_fixture()
    neurips_fixture()
