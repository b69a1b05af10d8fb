# Behind docs/model-quality.md (issue 17): the product table with and without the issue-17 columns, same folds, several fold seeds.
# usage: confirm.py TABLE.csv 1,2,3 lr,gbt
# Run with /usr/bin/python3 (Debian's scikit-learn); OMP_NUM_THREADS=1 on a shared machine.
# Old (without the new features) vs new feature table, same folds: 5-fold grouped CV, several fold seeds.
import sys, json, numpy as np, pandas as pd
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from families import *  # noqa: F401,F403
NEW_PREFIX = ("logouts_per", )
path = sys.argv[1]; seeds = [int(s) for s in sys.argv[2].split(",")]; models = sys.argv[3].split(",")
d = pd.read_csv(path, dtype={"userId": str})
feats = [c for c in d.columns if c not in ("userId", "cutoff", "churn")]
new = [c for c in feats if c.endswith("_per_session_hour") or c.startswith("logouts_per") or c in ("session_end_logout_share", "session_end_song_share", "single_event_session_share")]
old = [c for c in feats if c not in new]
y = d["churn"].to_numpy(int); g = d["userId"].to_numpy()
for model in models:
    for name, cols in [("old", old), ("new", new and old + new)]:
        X = matrix(d, cols)
        aucs, aps = [], []
        for s in seeds:
            p = oof(model, X, y, g, s)
            aucs.append(roc_auc_score(y, p)); aps.append(average_precision_score(y, p))
        print(json.dumps({"set": path.split("/")[-1], "model": model, "table": name, "cols": len(cols), "auc": round(float(np.mean(aucs)), 4), "pr": round(float(np.mean(aps)), 4), "aucs": [round(a, 4) for a in aucs], "prs": [round(a, 4) for a in aps]}), flush=True)
