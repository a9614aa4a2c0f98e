"""Rule classifier baselines on the 600 labels, per subset, and reader agreement."""
import numpy as np
import pandas as pd
import common
from sklearn.metrics import cohen_kappa_score

M = common.load()
y, w = M.is_ici.values, M.weight.values
rows = []


def add(name, mask, pred=None, score=None):
    m = mask
    pred = M.rule_pred.values if pred is None else pred
    score = M.rule_score.values if score is None else score
    P, R, F = common.wprf(y[m], pred[m], w[m])
    Pu, Ru, Fu = common.wprf(y[m], pred[m], np.ones(m.sum()))
    auc = common.wauc(y[m], score[m], w[m]) if len(set(y[m])) > 1 else np.nan
    ap = common.wap(y[m], score[m], w[m]) if len(set(y[m])) > 1 else np.nan
    rows.append(dict(subset=name, n=int(m.sum()), ici=int(y[m].sum()), wP=P, wR=R, wF1=F,
                     Brier01=common.brier(y[m], pred[m], w[m]), AUC_score=auc, AP_score=ap, uP=Pu, uR=Ru, uF1=Fu))


allm = np.ones(len(M), bool)
add("all 600", allm)
add("180 read by rule authors before codebook", M.read_before_codebook.values)
add("420 new (codebook readers)", ~M.read_before_codebook.values)
add("confidence high", (M.confidence == "high").values)
add("confidence low", (M.confidence == "low").values)
add("no confidence (v1 labels)", M.confidence.isna().values)
add("high or v1", ((M.confidence == "high") | M.confidence.isna()).values)
add("themed", (M.themed == "themed").values)
add("not themed", (M.themed != "themed").values)
add("national_only text", (M.text_language == "national_only").values)
T = pd.DataFrame(rows).set_index("subset")
pd.set_option("display.width", 250)
print(T.round(3).to_string())

# best threshold of the raw rule score (in-sample, optimistic: what re-tuning the rule threshold could give)
s = M.rule_score.values
print("\nrule score: weighted F1 by threshold")
for t in [2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0]:
    P, R, F = common.wprf(y, (s >= t).astype(int), w)
    print(f"  >= {t}: P {P:.3f} R {R:.3f} F1 {F:.3f}")

# reader agreement on the 120 double readings
D = M[M.second_is_ici.notna()]
a, b = D.first_is_ici.values, D.second_is_ici.values.astype(int)
print("\nDouble readings:", len(D), "disagreements", int((a != b).sum()),
      "kappa", round(cohen_kappa_score(a, b), 3),
      "weighted F1 second vs first", round(common.wprf(a, b, D.weight.values)[2], 3),
      "weighted F1 first vs final", round(common.wprf(D.is_ici.values, a, D.weight.values)[2], 3),
      "weighted F1 second vs final", round(common.wprf(D.is_ici.values, b, D.weight.values)[2], 3))
for sub, m in [("old 40 (first=rule authors)", D.read_before_codebook.values), ("new 80", ~D.read_before_codebook.values)]:
    aa, bb = a[m], b[m]
    print(" ", sub, "n", int(m.sum()), "disagree", int((aa != bb).sum()), "kappa", round(cohen_kappa_score(aa, bb), 3),
          "wF1", round(common.wprf(aa, bb, D.weight.values[m])[2], 3))
print("\nICI share by reader (unweighted):")
print(M.groupby("reader").is_ici.agg(["count", "mean"]).round(3).to_string())
print("\nweighted prevalence:", round(np.average(y, weights=w), 4), "weighted ICIs", round((w * y).sum(), 1))
