"""Per rule: how often it fires on the 600 labels and the weighted ICI share when it fires (vs not)."""
import numpy as np, pandas as pd, common
M = common.load(); y, w = M.is_ici.values, M.weight.values
R = common.rules_block(M)
rows = []
for c in R.columns:
    if c in ("rule_score", "rule_pred"):
        continue
    f = R[c].values == 1
    rows.append(dict(rule=c[5:], fires=int(f.sum()), ici_when_fires=np.average(y[f], weights=w[f]),
                     ici_when_not=np.average(y[~f], weights=w[~f]),
                     share_of_ici_weight=(w * y * f).sum() / (w * y).sum()))
T = pd.DataFrame(rows).sort_values("ici_when_fires", ascending=False)
print(T.round(3).to_string(index=False))
# theme_clustering alone
th = M.themes.str.contains("Clustering and economic")
for lab, m in [("themed, all", th), ("themed, 420 new", th & ~M.read_before_codebook), ("themed, 180 old", th & M.read_before_codebook)]:
    print(lab, "n", int(m.sum()), "ICI share", round(M.is_ici[m].mean(), 3), "rules say ICI", round(M.rule_pred[m].mean(), 3))
# private legal status: what organisations are 'private'
Q = pd.read_csv("silver_participations.csv", dtype=str, keep_default_na=False)
Q = Q[Q.project_id.isin(M.project_id) & (Q.legal_status == "private")]
print("\nsample of 'private' partners:", "; ".join(Q.organisation.sample(25, random_state=3).str[:45]))
