"""Learning curve: outer test folds always the full 600 (each project scored once per repeat), the
training part of each outer fold subsampled (stratified) to 25/50/75 % = the training share of 150/300/450
labels; C chosen per fold on the inner OOF AP, threshold by prevalence on the inner OOF."""
import pickle, os, glob
import numpy as np
import pandas as pd
from scipy.optimize import curve_fit
import common
import analyse as A

y, w = A.y, A.w
FAM = {"C10RD|lr2": ["C10RD|lr2|1", "C10RD|lr2|3"], "C10D|lr2": ["C10D|lr2|1", "C10D|lr2|3"],
       "RD|lr2": ["RD|lr2|0.3", "RD|lr2|1"]}


def fam_metrics(res):
    out = {}
    for f, names in FAM.items():
        sub = {n: res[n] for n in names}
        N = A.nested(sub)
        r = N[f + "|nestedC"]
        ev = A.evaluate(r, "prev")
        evf = A.evaluate(r, "f1")
        out[f] = dict(F1_prev=ev["F1"], P=ev["P"], R=ev["R"], F1_innerf1=evf["F1"],
                      AUC=common.wauc(y, r["p"], w), AP=common.wap(y, r["p"], w), Brier=common.brier(y, r["p"], w))
    return out


rows = []
for frac, n in ((25, 150), (50, 300), (75, 450)):
    for f in sorted(glob.glob(os.path.join(common.HERE, "results", f"lc_{frac}_*.pkl"))):
        res = pickle.load(open(f, "rb"))["res"]
        for fam, m in fam_metrics(res).items():
            rows.append(dict(labels=n, rep=f[-5], family=fam, **m))
full = {}
for tag in ("grid1", "grid2", "grid3"):
    full.update(pickle.load(open(os.path.join(common.HERE, "results", tag + ".pkl"), "rb"))["res"])
for fam, m in fam_metrics(full).items():
    rows.append(dict(labels=600, rep="0", family=fam, **m))
T = pd.DataFrame(rows)
pd.set_option("display.width", 200)
G = T.groupby(["family", "labels"])[["P", "R", "F1_prev", "F1_innerf1", "AUC", "AP", "Brier"]].agg(["mean", "std"])
print(G.round(3).to_string())
T.to_csv(os.path.join(common.HERE, "learning_curve.csv"), index=False)

# inverse power law F1(n) = a - b n^-c, fitted to the means (4 points: only indicative)
def ipl(n, a, b, c):
    return a - b * n ** (-c)

for fam in FAM:
    d = T[T.family == fam].groupby("labels")[["F1_prev", "AP"]].mean()
    for metric in ("F1_prev", "AP"):
        try:
            (a, b, c), _ = curve_fit(ipl, d.index.values.astype(float), d[metric].values, p0=(0.8, 2, 0.5),
                                     bounds=([0, 0, 0.05], [1, 100, 2]), maxfev=20000)
            need = ((a - 0.85) / b) ** (-1 / c) if a > 0.85 else float("inf")
            print(f"{fam} {metric}: asymptote {a:.3f}, b {b:.2f}, c {c:.2f}; predicted at 1200 {ipl(1200, a, b, c):.3f},"
                  f" 2400 {ipl(2400, a, b, c):.3f}; labels for 0.85: {need:.0f}")
        except Exception as e:
            print(fam, metric, "fit failed", e)
    # log-linear slope per doubling (300->600)
    d = T[T.family == fam].groupby("labels").F1_prev.mean()
    print(f"{fam}: F1 gain per doubling 150->300 {d[300]-d[150]:+.3f}, 300->600 {d[600]-d[300]:+.3f}")
