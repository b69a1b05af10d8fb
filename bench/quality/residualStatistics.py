# Behind docs/model-quality.md (issue 17): which per-user transition, session-ending and per-level page statistic (from transitions.ts)
# tracks what the features leave of the configuration churn rate (PREFIX.truth.csv from simulate --truth).
# usage: residualStatistics.py PREFIX RATES_JSON
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
X = matrix(d, base); y = d["cfg"].to_numpy()
pred = np.zeros(len(y))
for tr, te in KFold(5, shuffle=True, random_state=0).split(X):
    pred[te] = HistGradientBoostingRegressor(random_state=0).fit(X[tr], y[tr]).predict(X[te])
res = y - pred
print("base R2", 1 - res.var() / y.var(), "users", len(y))
L = pd.read_csv(p + ".long.csv", dtype={"u": str}).pivot_table(index="u", columns="k", values="n", aggfunc="sum", fill_value=0)
L = L.reindex(d["userId"]).fillna(0)
songs_f = L.get("free:NextSong", 0); songs_p = L.get("paid:NextSong", 0); songs = songs_f + songs_p
cand = {}
for k in L.columns:
    if k.startswith("free:") or k.startswith("paid:"):
        lv, pg = k.split(":", 1)
        den = songs_f if lv == "free" else songs_p
        cand[f"{k}/song_{lv}"] = L[k] / den.replace(0, np.nan)
        if lv == "free":
            tot = L[k] + L.get("paid:" + pg, 0)
            cand[f"{pg}/song"] = tot / songs.replace(0, np.nan)
    elif k.startswith("T:"):
        a, b = k[2:].split(">", 1)
        # P(next = b | prev = a)
        froms = L[[c for c in L.columns if c.startswith("T:" + a + ">")]].sum(axis=1)
        if froms.sum() > 2000:
            cand[f"P({b}|{a})"] = L[k] / froms.replace(0, np.nan)
    elif k.startswith("END:"):
        ends = L[[c for c in L.columns if c.startswith("END:")]].sum(axis=1)
        cand[f"end {k[4:]}"] = L[k] / ends.replace(0, np.nan)
out = []
for name, v in cand.items():
    v = pd.Series(np.asarray(v, float))
    ok = v.notna().to_numpy()
    if ok.sum() < 300: continue
    r1 = spearmanr(v[ok], res[ok]).correlation
    r0 = spearmanr(v[ok], y[ok]).correlation
    out.append((abs(r1), name, round(r0, 3), round(r1, 3), int(ok.sum())))
for o in sorted(out, reverse=True)[:45]:
    print(o[1:], flush=True)
