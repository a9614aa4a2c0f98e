"""Subset figures, ensembles, error analysis and coefficients for the chosen configurations."""
import pickle, os, sys, glob
import numpy as np
import pandas as pd
import common
import analyse as A
from sklearn.linear_model import LogisticRegression

pd.set_option("display.width", 250)
pd.set_option("display.max_columns", 40)
pd.set_option("display.max_colwidth", 200)
M, y, w = A.M, A.y, A.w
res = {}
for tag in ("grid1", "grid2", "grid3", "grid4", "grid5"):
    f = os.path.join(common.HERE, "results", tag + ".pkl")
    if os.path.exists(f):
        res.update(pickle.load(open(f, "rb"))["res"])
N = A.nested(res)
res.update(N)

# ensemble: mean probability of the best char model and the dense GBM (same splits, inner OOF averaged too)
def avg(names, label):
    r0 = res[names[0]]
    p = np.mean([res[n]["p"] for n in names], axis=0)
    inner = [{"idx": r0["inner"][k]["idx"], "p": np.mean([res[n]["inner"][k]["p"] for n in names], axis=0)}
             for k in range(len(r0["inner"]))]
    res[label] = {"p": p, "fold": r0["fold"], "inner": inner}

avg(["C10RD|lr2|nestedC", "RD|gbm|nestedC"], "avg(C10RD-lr, RD-gbm)")
avg(["C10RD|lr2|nestedC", "W10RD|lr2|nestedC"], "avg(C10RD-lr, W10RD-lr)")

KEY = ["W|lr2|nestedC", "C|lr2|nestedC", "R|lr2|nestedC", "D|lr2|nestedC", "RD|lr2|nestedC", "RD|gbm|nestedC",
       "W10R|lr2|nestedC", "C10R|lr2|nestedC", "W10RD|lr2|nestedC", "W10RD|lr1|nestedC", "C10D|lr2|nestedC",
       "C10RD|lr2|nestedC", "C10RD|lr1|nestedC", "C10RD|svm|nestedC", "C10RD|lr2sw|nestedC", "C20RD|lr2|nestedC",
       "C10Res5RD|lr2|nestedC", "C10Res10RD|lr2|nestedC", "C10Res5RD|lr2sw|nestedC", "W10Res5RD|lr2|nestedC",
       "Cb10Resb5RD|lr2|nestedC", "Cn10Res5RD|lr2|nestedC", "C10Res5D|lr2|nestedC", "CstdRD|lr2|nestedC", "W7C7RD|lr2|nestedC", "avg(C10RD-lr, RD-gbm)", "avg(C10RD-lr, W10RD-lr)"]
KEY = [k for k in KEY if k in res]
S = A.summary({k: res[k] for k in KEY})
cols = ["P@prev", "R@prev", "F1@prev", "F1_sd@prev", "P@f1", "R@f1", "F1@f1", "F1@0.5", "F1@oracle", "Brier", "AUC", "AP"]
print("== main table (pooled OOF, weighted) ==")
print(S[cols].round(3).to_string())

# subsets: decisions with the prevalence threshold chosen on the inner OOF of each fold
subsets = {"all 600": np.ones(len(M), bool),
           "420 new": ~M.read_before_codebook.values,
           "180 old (rule authors)": M.read_before_codebook.values,
           "high confidence (294)": (M.confidence == "high").values,
           "high or v1-no-confidence (469)": ((M.confidence == "high") | M.confidence.isna()).values,
           "not themed (463)": (M.themed != "themed").values}
rows = []
for name in ["rules"] + ["R|lr2|nestedC", "C10D|lr2|nestedC", "W10RD|lr2|nestedC", "C10RD|lr2|nestedC", "C10Res5D|lr2|nestedC", "C10Res10RD|lr2|nestedC"]:
    if name == "rules":
        pred, p = M.rule_pred.values, M.rule_score.values
    else:
        if name not in res:
            continue
        pred, p = A.evaluate(res[name], "prev")["pred"], res[name]["p"]
    for sname, m in subsets.items():
        P, R, F = common.wprf(y[m], pred[m], w[m])
        rows.append(dict(model=name, subset=sname, n=int(m.sum()), ici=int(y[m].sum()), P=P, R=R, F1=F,
                         AUC=common.wauc(y[m], p[m], w[m]), AP=common.wap(y[m], p[m], w[m])))
T = pd.DataFrame(rows)
print("\n== subsets (prevalence threshold) ==")
print(T.round(3).to_string(index=False))

# fold spread of the best
best = "C10Res10RD|lr2|nestedC"
r = res[best]
ev = A.evaluate(r, "prev")
pred = ev["pred"]
fr = []
for k in range(10):
    te = r["fold"] == k
    P, R, F = common.wprf(y[te], pred[te], w[te])
    fr.append(dict(fold=k, n=te.sum(), ici=y[te].sum(), P=P, R=R, F1=F, AUC=common.wauc(y[te], r["p"][te], w[te])))
FR = pd.DataFrame(fr)
print("\n== folds of", best, "==")
print(FR.round(3).to_string(index=False))
print("mean", FR[["P", "R", "F1", "AUC"]].mean().round(3).to_dict(), "sd", FR[["P", "R", "F1", "AUC"]].std().round(3).to_dict())

# reliability of the best
bins = np.linspace(0, 1, 11)
b = np.clip(np.digitize(r["p"], bins) - 1, 0, 9)
rel = pd.DataFrame({"bin": b, "p": r["p"], "y": y, "w": w}).groupby("bin").apply(
    lambda d: pd.Series(dict(n=len(d), weight=d.w.sum(), mean_p=np.average(d.p, weights=d.w), observed=np.average(d.y, weights=d.w))))
print("\n== reliability", best, "==")
print(rel.round(3).to_string())

# error analysis
E = M[["project_id", "acronym", "programme", "weight", "reader", "confidence", "rationale", "rule_score", "rule_pred"]].copy()
E["p"] = r["p"]; E["pred"] = pred; E["y"] = y
E["thr_fold"] = [A.evaluate(r, "prev")["t_mean"]] * len(E)
FN = E[(E.y == 1) & (E.pred == 0)].sort_values("p")
FP = E[(E.y == 0) & (E.pred == 1)].sort_values("p", ascending=False)
print(f"\n== false negatives: {len(FN)} (weight {FN.weight.sum():.1f}); false positives: {len(FP)} (weight {FP.weight.sum():.1f}) ==")
print("FN by confidence:", FN.confidence.fillna("v1").value_counts().to_dict(), " FP by confidence:", FP.confidence.fillna("v1").value_counts().to_dict())
print("FN rule_pred=1:", int(FN.rule_pred.sum()), " FP rule_pred=1:", int(FP.rule_pred.sum()))
show = ["project_id", "acronym", "weight", "p", "rule_score", "confidence", "reader", "rationale"]
print("\nFALSE NEGATIVES (lowest p first)")
print(FN[show].round(3).to_string(index=False))
print("\nFALSE POSITIVES (highest p first)")
print(FP[show].round(3).to_string(index=False))
E.to_csv(os.path.join(common.HERE, "oof_best.csv"), index=False)

# coefficients on all 600 (interpretation only), char model and a word model for readability
fc = common.FeatureCache(M)
idx = np.arange(len(M))
for blocks, C, label in [(["char*10", "results*10", "rules", "meta", "partner"], 3, "C10Res10RD"), (["word*10", "results*10", "rules", "meta", "partner"], 3, "W10Res10RD")]:
    X, _ = fc.blocks(idx, idx[:1], blocks)
    m = LogisticRegression(C=C, solver="liblinear").fit(X, y)
    names = []
    for bname in blocks:
        n = bname.split("*")[0]
        if n in fc.dense:
            names += [f"{n}:{c}" for c in fc.dense[n].columns]
        else:
            names += [f"{n}:{t}" for t in fc.vectorizer(n, idx, idx[:1]).get_feature_names_out()]
    coef = pd.Series(m.coef_[0], index=names)
    # contribution spread per group: sd over projects of X_g beta_g
    Xc = X.tocsc()
    off = 0
    print(f"\n== {label}: spread (sd over the 600 projects) of each group's contribution to the logit ==")
    for bname in blocks:
        n = bname.split("*")[0]
        k = len(fc.dense[n].columns) if n in fc.dense else len(fc.vectorizer(n, idx, idx[:1]).get_feature_names_out())
        contrib = Xc[:, off:off + k] @ m.coef_[0][off:off + k]
        print(f"  {n:10s} features {k:6d}  sd {np.std(contrib):.3f}")
        off += k
    dense_coef = coef[[i for i in coef.index if i.split(":")[0] in fc.dense]]
    for tb in sorted({i.split(":")[0] for i in coef.index if i.split(":")[0] not in fc.dense}):
        txt = coef[[i for i in coef.index if i.split(":")[0] == tb]]
        print(f"top + {tb} ({label}):", ", ".join(f"{i.split(':',1)[1]!r} {v:.2f}" for i, v in txt.sort_values(ascending=False).head(40).items()))
        print(f"top - {tb} ({label}):", ", ".join(f"{i.split(':',1)[1]!r} {v:.2f}" for i, v in txt.sort_values().head(40).items()))
    print(f"top + dense ({label}):", ", ".join(f"{i} {v:.2f}" for i, v in dense_coef.sort_values(ascending=False).head(25).items()))
    print(f"top - dense ({label}):", ", ".join(f"{i} {v:.2f}" for i, v in dense_coef.sort_values().head(25).items()))
    fc.cache.clear()
