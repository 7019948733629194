"""Reference values for @unlearn/eval's membership-inference classifier.

Fits sklearn's LogisticRegression exactly as the MIA of the reference code does
(class_weight='balanced', lbfgs, L2 with C, intercept) on small 1-D data sets and writes
coefficients, intercepts, probabilities and predictions to test/fixtures/mia-sklearn.json.

Run: /usr/bin/python3 packages/eval/scripts/golden_mia.py   (needs python3-sklearn)

The data are drawn here with a fixed numpy seed and written into the fixture, so the
TypeScript test fits the same numbers. tol/max_iter are tightened so lbfgs reaches the
optimum that the Newton solver in src/logistic.ts converges to.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(20240501)
LN10 = float(np.log(10))


def entropy_like(n, scale):
    # Softmax entropies of a 10-class model lie in [0, ln 10]; members sit near 0.
    return np.clip(rng.exponential(scale, n), 0.0, LN10)


cases = []


def add(name, members, non_members, query, C=1.0, multi_class="auto"):
    x = np.concatenate([members, non_members]).reshape(-1, 1)
    y = np.concatenate([np.ones(len(members)), np.zeros(len(non_members))]).astype(int)
    clf = LogisticRegression(
        class_weight="balanced", C=C, solver="lbfgs", multi_class=multi_class, max_iter=100000, tol=1e-14
    )
    clf.fit(x, y)
    q = np.asarray(query, dtype=float).reshape(-1, 1)
    cases.append(
        {
            "name": name,
            "C": C,
            "multiClass": multi_class,
            "members": [float(v) for v in members],
            "nonMembers": [float(v) for v in non_members],
            "query": [float(v) for v in q[:, 0]],
            # sklearn's own attributes; for multi_class='multinomial' on two classes it stores
            # one row of the symmetric 2-logit softmax, so the binary decision is 2·(w·x + b).
            "coef": float(clf.coef_[0, 0]),
            "intercept": float(clf.intercept_[0]),
            "decision": [float(v) for v in clf.decision_function(q)],
            "probaMember": [float(v) for v in clf.predict_proba(q)[:, 1]],
            "predicted": [int(v) for v in clf.predict(q)],
            "memberFraction": float(np.mean(clf.predict(q))),
        }
    )


members = entropy_like(60, 0.15)
non_members = entropy_like(40, 0.6)
add("overlapping, 60 members vs 40 non-members", members, non_members, entropy_like(25, 0.35))

members = entropy_like(300, 0.05)
non_members = entropy_like(30, 0.9)
add("imbalanced 10:1 (balanced weights matter)", members, non_members, entropy_like(40, 0.3))

add(
    "separable (the L2 penalty keeps the weight finite)",
    np.array([0.01, 0.02, 0.05, 0.1, 0.12]),
    np.array([0.8, 1.0, 1.3, 1.9]),
    [0.0, 0.3, 0.45, 0.5, 2.2],
)

add(
    "tiny, C = 0.1",
    np.array([0.2, 0.4, 0.9]),
    np.array([0.5, 1.1, 1.5, 2.0]),
    [0.1, 0.7, 1.0, 3.0],
    C=0.1,
)

members = entropy_like(60, 0.15)
non_members = entropy_like(40, 0.6)
add(
    "multinomial flag as in the reference (2-class softmax)",
    members,
    non_members,
    entropy_like(25, 0.35),
    multi_class="multinomial",
)

out = {
    "source": "scripts/golden_mia.py",
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "classifier": "LogisticRegression(class_weight='balanced', solver='lbfgs', C, multi_class, max_iter=100000, tol=1e-14)",
    "cases": cases,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "mia-sklearn.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
