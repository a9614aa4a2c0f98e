"""Summarise results/<tag>.pkl: weighted P/R/F1 out of fold under three threshold rules chosen on
the inner OOF predictions of each outer training part, Brier, AUC, AP, fold spread, the oracle
threshold (pooled OOF, optimistic: for the threshold-vs-ranking gap only), and a nested choice of C
per feature set/model (C chosen per outer fold by the inner OOF weighted average precision)."""
import sys, pickle, os
import numpy as np
import pandas as pd
import common

M = common.load()
y = M.is_ici.values
w = M.weight.values


def evaluate(r, rule="f1", C_choice=None):
    """Pooled outer predictions with the per-fold threshold chosen on the inner OOF."""
    p = r["p"]
    pred = np.zeros(len(y), int)
    fold_f1 = []
    ths = []
    for k, inn in enumerate(r["inner"]):
        te = np.where(r["fold"] == k)[0]
        yi, wi, pi = y[inn["idx"]], w[inn["idx"]], inn["p"]
        if rule == "f1":
            t, _ = common.best_f1_threshold(yi, pi, wi)
        elif rule == "prev":
            t = common.prevalence_threshold(yi, pi, wi)
        else:
            t = 0.5
        ths.append(t)
        pred[te] = (p[te] >= t).astype(int)
        fold_f1.append(common.wprf(y[te], pred[te], w[te])[2])
    P, R, F = common.wprf(y, pred, w)
    return dict(P=P, R=R, F1=F, F1_sd=np.std(fold_f1), t_mean=np.mean(ths), pred=pred)


def summary(res, ev=("f1", "prev", "0.5")):
    rows = []
    for name, r in res.items():
        if np.isnan(r["p"]).any():
            continue
        p = r["p"]
        row = dict(config=name, Brier=common.brier(y, p, w), AUC=common.wauc(y, p, w), AP=common.wap(y, p, w))
        inner_ap = np.mean([common.wap(y[i["idx"]], i["p"], w[i["idx"]]) for i in r["inner"]])
        row["innerAP"] = inner_ap
        for e in ev:
            d = evaluate(r, e)
            row.update({f"{k}@{e}": v for k, v in d.items() if k != "pred"})
        t, f = common.best_f1_threshold(y, p, w)
        pp = common.wprf(y, (p >= t).astype(int), w)
        row.update({"F1@oracle": f, "P@oracle": pp[0], "R@oracle": pp[1], "t_oracle": t})
        rows.append(row)
    return pd.DataFrame(rows).set_index("config")


def nested(res):
    """Per family (features|model): in each outer fold use the C whose inner OOF AP is best."""
    fam = {}
    for name in res:
        f = name.rsplit("|", 1)[0]
        fam.setdefault(f, []).append(name)
    out = {}
    for f, names in fam.items():
        nf = len(res[names[0]]["inner"])
        p = np.full(len(y), np.nan)
        inner = []
        chosen = []
        for k in range(nf):
            best = max(names, key=lambda n: common.wap(y[res[n]["inner"][k]["idx"]], res[n]["inner"][k]["p"],
                                                       w[res[n]["inner"][k]["idx"]]))
            chosen.append(best.rsplit("|", 1)[1])
            te = res[best]["fold"] == k
            p[te] = res[best]["p"][te]
            inner.append(res[best]["inner"][k])
        out[f + "|nestedC"] = {"p": p, "fold": res[names[0]]["fold"], "inner": inner, "chosen": chosen}
    return out


if __name__ == "__main__":
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 40)
    allres = {}
    for tag in sys.argv[1:]:
        allres.update(pickle.load(open(os.path.join(common.HERE, "results", tag + ".pkl"), "rb"))["res"])
    S = summary(allres)
    cols = ["P@f1", "R@f1", "F1@f1", "F1_sd@f1", "P@prev", "R@prev", "F1@prev", "F1@0.5", "F1@oracle", "Brier", "AUC", "AP", "innerAP"]
    print(S[cols].round(3).to_string())
    N = nested(allres)
    SN = summary(N)
    for k, v in N.items():
        SN.loc[k, "chosenC"] = ",".join(v["chosen"])
    print(SN[cols + ["chosenC"]].round(3).to_string())
