# Behind docs/model-quality.md (issue 17): the full-size table: model variants out-of-fold, on all rows and on the oracle's rows.
# usage: fullgrid.py TABLE.csv ORACLE_CACHE.jsonl
# Run with /usr/bin/python3 (Debian's scikit-learn); OMP_NUM_THREADS=1 on a shared machine.
# Full-size forward table: out-of-fold scores of model variants (sklearn twins), all rows and the oracle's sample rows.
import sys, json, numpy as np, pandas as pd
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from families import *  # noqa: F401,F403
from scipy.stats import rankdata
d = pd.read_csv(sys.argv[1], dtype={"userId": str})
d["cut"] = (pd.to_datetime(d["cutoff"]).astype("int64") // 10**6).astype("int64")
orc = pd.read_json(sys.argv[2], lines=True, dtype={"userId": str})
key = set(zip(orc["userId"].astype(str), orc["cutoff"].astype("int64")))
sample = np.array([(u, c) in key for u, c in zip(d["userId"], d["cut"])])
om = d[["userId", "cut"]].merge(orc.rename(columns={"cutoff": "cut"})[["userId", "cut", "probability"]], on=["userId", "cut"], how="left")["probability"].to_numpy()
feats = [c for c in d.columns if c not in ("userId", "cutoff", "churn", "cut")]
new = [c for c in feats if c.endswith("_per_session_hour") or c.startswith("logouts_per") or c in ("session_end_logout_share", "session_end_song_share", "single_event_session_share")]
old = [c for c in feats if c not in new]
y = d["churn"].to_numpy(int); g = d["userId"].to_numpy()
folds = list(StratifiedGroupKFold(5, shuffle=True, random_state=42).split(np.zeros(len(y)), y, g))
def run(make, X):
    out = np.zeros(len(y))
    for tr, te in folds:
        out[te] = make().fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
    return out
def report(name, p):
    print(json.dumps({"variant": name, "all": [round(roc_auc_score(y, p), 4), round(average_precision_score(y, p), 4)],
                      "sample": [round(roc_auc_score(y[sample], p[sample]), 4), round(average_precision_score(y[sample], p[sample]), 4)]}), flush=True)
print(json.dumps({"variant": "oracle", "sample": [round(roc_auc_score(y[sample], om[sample]), 4), round(average_precision_score(y[sample], om[sample]), 4)], "rows": int(sample.sum())}), flush=True)
Xn = matrix(d, feats); Xo = matrix(d, old)
lr = lambda C: (lambda: make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(C=C, max_iter=3000)))
hgb = lambda **k: (lambda: HistGradientBoostingClassifier(random_state=0, **k))
P = {}
for name, make, X in [("lr C=1 old", lr(1), Xo), ("lr C=1 new", lr(1), Xn), ("hgb default old", hgb(), Xo), ("hgb default new", hgb(), Xn),
                      ("hgb 7 leaves lr0.05 200 new", hgb(max_leaf_nodes=7, learning_rate=0.05, max_iter=200), Xn),
                      ("hgb 15 leaves leaf50 l2=1 new", hgb(max_leaf_nodes=15, min_samples_leaf=50, l2_regularization=1.0), Xn)]:
    P[name] = run(make, X); report(name, P[name])
report("mean rank lr C=1 new + hgb default new", rankdata(P["lr C=1 new"]) + rankdata(P["hgb default new"]))
report("mean rank lr + hgb 7 leaves new", rankdata(P["lr C=1 new"]) + rankdata(P["hgb 7 leaves lr0.05 200 new"]))
