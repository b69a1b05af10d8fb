# Behind docs/model-quality.md (issue 17): the candidate feature families, loading a population's product table (PREFIX.base.csv)
# beside its candidates (PREFIX.cand.csv, from candidates.ts), and 5-fold grouped CV of each family.
# usage: families.py PREFIX[,PREFIX…] [family,…] [gbt,lr] [fold seeds]
# Run with /usr/bin/python3 (Debian's scikit-learn); OMP_NUM_THREADS=1 on a shared machine.
import sys, json, time, os
import numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.metrics import roc_auc_score, average_precision_score

FAM = {
  "per_day": ["observed_days", "events_per_day", "sessions_per_day", "songs_per_day", "settings_per_day", "thumbs_down_per_day", "thumbs_up_per_day", "adverts_per_day", "downgrade_per_day", "upgrade_per_day", "errors_per_day", "help_per_day", "add_friend_per_day", "add_playlist_per_day", "home_per_day", "logout_per_day", "about_per_day", "save_settings_per_day", "risky_per_day"],
  "per_day_core": ["observed_days", "events_per_day", "sessions_per_day", "songs_per_day"],
  "risky": ["risky_per_day", "risky_per_session"],
  "session_hour": [c for c in ["events_per_session_hour"] + [f"{k}_per_session_hour" for k in ["settings", "thumbs_down", "thumbs_up", "adverts", "downgrade", "upgrade", "errors", "help", "add_friend", "add_playlist", "home", "logout", "about", "save_settings"]]],
  "endings": ["end_logout_share", "end_song_share", "end_other_share", "single_event_share", "logout_per_session"],
  "gap_spread": ["gap_sd_hours", "gap_cv", "last_gap_vs_mean", "gap_median_hours", "last_gap_vs_median", "gap_min_hours", "recency_vs_median_gap"],
  "trends": ["events_last_3d", "events_trend_3d", "events_last_28d", "events_trend_14d", "share_last_14d"],
  "since": ["days_since_thumbs_down", "days_since_errors", "days_since_adverts", "days_since_settings", "days_since_downgrade", "days_since_help", "days_since_thumbs_up"],
  "level_hist": ["upgrades", "downgrades", "days_since_level_change", "first_level"],
  "misc_pages": ["adverts_per_free_song", "home_per_song", "about_per_song", "save_per_settings"],
}
CATS = ["level", "gender", "device", "os", "state", "first_level"]

def load(prefix):
    b = pd.read_csv(prefix + ".base.csv", dtype={"userId": str})
    c = pd.read_csv(prefix + ".cand.csv", dtype={"userId": str})
    b["cutoff"] = (pd.to_datetime(b["cutoff"]).astype("int64") // 10**6).astype("int64")
    d = b.merge(c, on=["userId", "cutoff"], how="left", validate="1:1")
    assert len(d) == len(b)
    return d

def matrix(d, cols):
    X = d[cols].copy()
    cats = [c for c in cols if c in CATS]
    X = pd.get_dummies(X, columns=cats, dummy_na=False, dtype=float)
    return X.to_numpy(dtype=float)

def balanced(y):
    n, p = len(y), y.sum()
    return np.where(y == 1, n / (2 * p), n / (2 * (n - p)))

def oof(model, X, y, groups, seed):
    out = np.zeros(len(y))
    for tr, te in StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(X, y, groups):
        if model == "gbt":
            m = HistGradientBoostingClassifier(random_state=seed)
            m.fit(X[tr], y[tr], sample_weight=balanced(y[tr]))
        else:
            m = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(class_weight="balanced", max_iter=3000))
            m.fit(X[tr], y[tr])
        out[te] = m.predict_proba(X[te])[:, 1]
    return out

def last_cutoff_with_truth(prefix, rates_path):
    """The population's rows at its last cutoff, joined to each user's hidden configuration and beta:
    `cfg` is the log of the configuration's churn rate (RATES_JSON), `lbeta` the log of beta."""
    d = load(prefix)
    d = d[d["cutoff"] == d["cutoff"].max()].reset_index(drop=True)
    t = pd.read_csv(prefix + ".truth.csv", dtype={"userId": str})
    rate = json.loads(open(rates_path).readline())  # per-configuration churn rate, a JSON object
    d = d.merge(t[["userId", "configuration", "beta"]], on="userId", how="left")
    d["cfg"] = np.log(d["configuration"].map(rate))
    d["lbeta"] = np.log(d["beta"])
    base = [c for c in pd.read_csv(prefix + ".base.csv", nrows=1).columns if c not in ("userId", "cutoff", "churn")]
    return d, base


def main():
    prefixes = sys.argv[1].split(",")
    fams = sys.argv[2].split(",") if len(sys.argv) > 2 else ["base"] + list(FAM)
    models = sys.argv[3].split(",") if len(sys.argv) > 3 else ["gbt", "lr"]
    seeds = [int(s) for s in (sys.argv[4].split(",") if len(sys.argv) > 4 else ["1", "2"])]
    for prefix in prefixes:
        d = load(prefix)
        base = [c for c in pd.read_csv(prefix + ".base.csv", nrows=1).columns if c not in ("userId", "cutoff", "churn")]
        y = d["churn"].to_numpy(int)
        g = d["userId"].to_numpy()
        for fam in fams:
            extra = [] if fam == "base" else sum((FAM[f] for f in fam.split("+")), []) if fam != "all" else sum(FAM.values(), [])
            extra = list(dict.fromkeys(extra))
            X = matrix(d, base + extra)
            for model in models:
                aucs, aps = [], []
                for s in seeds:
                    p = oof(model, X, y, g, s)
                    aucs.append(roc_auc_score(y, p)); aps.append(average_precision_score(y, p))
                print(json.dumps({"set": prefix.split("/")[-1], "family": fam, "model": model, "auc": round(float(np.mean(aucs)), 4), "pr": round(float(np.mean(aps)), 4), "aucs": [round(a, 4) for a in aucs], "rows": len(y), "pos": int(y.sum()), "cols": X.shape[1]}), flush=True)

if __name__ == "__main__":
    main()
