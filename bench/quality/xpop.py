# Behind docs/model-quality.md (issue 17): fitted on one population, scored on others: base vs base + family (paired).
# usage: xpop.py TRAIN_PREFIX TEST_PREFIX,… family,… gbt,lr
# Run with /usr/bin/python3 (Debian's scikit-learn); OMP_NUM_THREADS=1 on a shared machine.
# Train on one simulated population, test on others: base vs base + family (paired: same train/test rows).
import numpy as np, pandas as pd, json, sys
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from families import *  # noqa: F401,F403
FAM["transitions_lite"] = FAM["endings"] + FAM["misc_pages"]
train_p = sys.argv[1]; tests = sys.argv[2].split(","); fams = sys.argv[3].split(","); models = sys.argv[4].split(",")
base = [c for c in pd.read_csv(train_p + ".base.csv", nrows=1).columns if c not in ("userId", "cutoff", "churn")]
sets = {p: load(p) for p in [train_p] + tests}
n = len(sets[train_p])
for fam in fams:
    extra = [] if fam == "base" else list(dict.fromkeys(sum((FAM[f] for f in fam.split("+")), []))) if fam != "all" else list(dict.fromkeys(sum(FAM.values(), [])))
    allX = pd.concat([sets[p] for p in sets], ignore_index=True)
    X = matrix(allX, base + extra)  # one-hot over the union of categories
    ys = {}; Xs = {}; o = 0
    for p in sets:
        k = len(sets[p]); Xs[p] = X[o:o + k]; ys[p] = sets[p]["churn"].to_numpy(int); o += k
    for model in models:
        if model == "gbt":
            ms = [HistGradientBoostingClassifier(random_state=r).fit(Xs[train_p], ys[train_p], sample_weight=balanced(ys[train_p])) for r in range(3)]
        else:
            m = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(class_weight="balanced", max_iter=3000)).fit(Xs[train_p], ys[train_p])
        r = {"train": train_p.split("/")[-1], "family": fam, "model": model}
        for p in tests:
            pr = np.mean([mm.predict_proba(Xs[p])[:, 1] for mm in ms], axis=0) if model == "gbt" else m.predict_proba(Xs[p])[:, 1]
            r[p.split("/")[-1]] = [round(roc_auc_score(ys[p], pr), 4), round(average_precision_score(ys[p], pr), 4)]
        print(json.dumps(r), flush=True)
