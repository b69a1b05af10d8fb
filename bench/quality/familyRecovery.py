# Behind docs/model-quality.md (issue 17): R² of the configuration churn rate and log beta from the features, and from each family added.
# usage: familyRecovery.py PREFIX RATES_JSON
# Run with /usr/bin/python3 (Debian's scikit-learn); OMP_NUM_THREADS=1 on a shared machine.
import numpy as np, pandas as pd, json, sys
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import KFold
from scipy.stats import spearmanr
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from families import *  # noqa: F401,F403
p = sys.argv[1]
d, base = last_cutoff_with_truth(p, sys.argv[2])
X = matrix(d, base)
cands = [c for c in pd.read_csv(p + ".cand.csv", nrows=1).columns if c not in ("userId", "cutoff", "first_level")]
for target in ["cfg", "lbeta"]:
    y = d[target].to_numpy(); pred = np.zeros(len(y))
    for tr, te in KFold(5, shuffle=True, random_state=0).split(X):
        pred[te] = HistGradientBoostingRegressor(random_state=0).fit(X[tr], y[tr]).predict(X[te])
    res = y - pred
    print(target, "base R2", round(1 - res.var() / y.var(), 3))
    out = []
    for c in cands:
        v = d[c].astype(float); ok = v.notna().to_numpy()
        if ok.sum() < 300: continue
        out.append((abs(spearmanr(v[ok], res[ok]).correlation), c, round(spearmanr(v[ok], y[ok]).correlation, 3), round(spearmanr(v[ok], res[ok]).correlation, 3)))
    for o in sorted(out, reverse=True)[:15]: print("  ", o[1:])
    for fam in FAM:
        cols = [c for c in FAM[fam]]
        X2 = matrix(d, base + cols); pred2 = np.zeros(len(y))
        for tr, te in KFold(5, shuffle=True, random_state=0).split(X2):
            pred2[te] = HistGradientBoostingRegressor(random_state=0).fit(X2[tr], y[tr]).predict(X2[te])
        print("   +", fam, "R2", round(1 - (y - pred2).var() / y.var(), 3), flush=True)
