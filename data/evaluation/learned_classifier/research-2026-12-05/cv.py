"""Nested cross-validation of many feature/model configurations.

Outer: stratified 10-fold (seed 20261201, stratified on is_ici). For every outer training part an
inner stratified 5-fold CV (same seed) gives out-of-fold probabilities of the training part only;
thresholds (and, in analyse.py, the nested choice of C) are taken from those. Vectorisers, IDF and
scalers are refitted on every (inner or outer) training part. The outer test fold is only scored.

Output: results/<tag>.pkl with, per config, the outer test probabilities (pooled, one per project),
and per outer fold the inner OOF probabilities of the training part (to pick thresholds / C).
"""
import sys, time, pickle, os
import numpy as np
import common
from sklearn.model_selection import StratifiedKFold
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier

OUTER_SEED = int(os.environ.get("OUTER_SEED", 20261201))
INNER_SEED = OUTER_SEED


def make_model(kind, C):
    if kind == "lr2":
        return LogisticRegression(C=C, penalty="l2", solver="liblinear", max_iter=2000)
    if kind == "lr1":
        return LogisticRegression(C=C, penalty="l1", solver="liblinear", max_iter=2000)
    if kind == "en":
        return LogisticRegression(C=C, penalty="elasticnet", l1_ratio=0.5, solver="saga", max_iter=3000, tol=1e-3)
    if kind == "svm":
        return CalibratedClassifierCV(LinearSVC(C=C, max_iter=5000), method="sigmoid", cv=3)
    if kind == "gbm":
        return HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05, max_iter=int(C), min_samples_leaf=10,
                                              l2_regularization=1.0, random_state=0)
    raise ValueError(kind)


def fit_predict(fc, cfg, tr, te, y, w):
    name, blocks, kind, C, sw = cfg
    Xtr, Xte = fc.blocks(tr, te, blocks)
    m = make_model(kind, C)
    if kind == "gbm":
        Xtr, Xte = Xtr.toarray(), Xte.toarray()
    kw = {"sample_weight": w[tr]} if sw else {}
    m.fit(Xtr, y[tr], **kw)
    return m.predict_proba(Xte)[:, 1]


def run(configs, tag, n_outer=10, n_inner=5, subsample=None, sub_seed=0):
    M = common.load()
    y = M.is_ici.values
    w = M.weight.values
    fc = common.FeatureCache(M)
    outer = StratifiedKFold(n_outer, shuffle=True, random_state=OUTER_SEED)
    res = {c[0]: {"p": np.full(len(M), np.nan), "fold": np.full(len(M), -1), "inner": []} for c in configs}
    t0 = time.time()
    for k, (tr, te) in enumerate(outer.split(np.zeros(len(y)), y)):
        if subsample is not None:  # learning curve: a stratified subsample of the training part
            rng = np.random.RandomState(sub_seed * 100 + k)
            keep = []
            for cls in (0, 1):
                idx = tr[y[tr] == cls]
                n = int(round(subsample * len(idx)))
                keep.append(rng.choice(idx, n, replace=False))
            tr = np.sort(np.concatenate(keep))
        inner = StratifiedKFold(n_inner, shuffle=True, random_state=INNER_SEED + k)
        oof = {c[0]: np.full(len(tr), np.nan) for c in configs}
        for j, (itr, ite) in enumerate(inner.split(np.zeros(len(tr)), y[tr])):
            a, b = tr[itr], tr[ite]
            for cfg in configs:
                oof[cfg[0]][ite] = fit_predict(fc, cfg, a, b, y, w)
            fc.cache.clear()
        for cfg in configs:
            res[cfg[0]]["p"][te] = fit_predict(fc, cfg, tr, te, y, w)
            res[cfg[0]]["fold"][te] = k
            res[cfg[0]]["inner"].append({"idx": tr, "p": oof[cfg[0]]})
        fc.cache.clear()
        print(f"fold {k} done {time.time() - t0:.0f}s", flush=True)
    os.makedirs(os.path.join(common.HERE, "results"), exist_ok=True)
    with open(os.path.join(common.HERE, "results", tag + ".pkl"), "wb") as f:
        pickle.dump({"configs": configs, "res": res}, f)
    return res


W, C_, R, D, O = ["word"], ["char"], ["rules"], ["meta", "partner"], ["org"]
DN = ["meta_noprog", "partner"]

GRID = {
    "grid1": (
        [(f"W|lr2|{c}", W, "lr2", c, False) for c in (1, 3, 10, 30, 100)]
        + [(f"C|lr2|{c}", C_, "lr2", c, False) for c in (1, 3, 10, 30, 100)]
        + [(f"R|lr2|{c}", R, "lr2", c, False) for c in (0.03, 0.1, 0.3, 1)]
        + [(f"D|lr2|{c}", D, "lr2", c, False) for c in (0.03, 0.1, 0.3, 1)]
        + [(f"DN|lr2|{c}", DN, "lr2", c, False) for c in (0.03, 0.1, 0.3)]
        + [(f"RD|lr2|{c}", R + D, "lr2", c, False) for c in (0.03, 0.1, 0.3, 1)]
        + [(f"RD|gbm|{n}", R + DN, "gbm", n, False) for n in (100, 300)]
    ),
    "grid2": (
        [(f"W10R|lr2|{c}", ["word*10"] + R, "lr2", c, False) for c in (0.1, 0.3, 1)]
        + [(f"C10R|lr2|{c}", ["char*10"] + R, "lr2", c, False) for c in (0.3, 1, 3)]
        + [(f"W10RD|lr2|{c}", ["word*10"] + R + D, "lr2", c, False) for c in (0.1, 0.3, 1, 3)]
        + [(f"W5RD|lr2|{c}", ["word*5"] + R + D, "lr2", c, False) for c in (0.3, 1, 3)]
        + [(f"C10RD|lr2|{c}", ["char*10"] + R + D, "lr2", c, False) for c in (0.1, 0.3, 1, 3)]
        + [(f"C5RD|lr2|{c}", ["char*5"] + R + D, "lr2", c, False) for c in (0.3, 1, 3)]
        + [(f"C10RDN|lr2|{c}", ["char*10"] + R + DN, "lr2", c, False) for c in (0.3, 1, 3)]
        + [(f"W7C7RD|lr2|{c}", ["word*7", "char*7"] + R + D, "lr2", c, False) for c in (0.1, 0.3, 1)]
        + [(f"W10O5RD|lr2|{c}", ["word*10", "org*5"] + R + D, "lr2", c, False) for c in (0.3, 1)]
        + [(f"C10RD|lr1|{c}", ["char*10"] + R + D, "lr1", c, False) for c in (0.3, 1, 3, 10)]
        + [(f"W10RD|lr1|{c}", ["word*10"] + R + D, "lr1", c, False) for c in (0.3, 1, 3)]
        + [(f"C10RD|svm|{c}", ["char*10"] + R + D, "svm", c, False) for c in (0.01, 0.03, 0.1)]
        + [(f"C10RD|lr2sw|{c}", ["char*10"] + R + D, "lr2", c, True) for c in (0.3, 1)]
        + [(f"W10RD|lr2sw|{c}", ["word*10"] + R + D, "lr2", c, True) for c in (0.3, 1)]
    ),
    "grid3": (
        [(f"C10D|lr2|{c}", ["char*10"] + D, "lr2", c, False) for c in (0.3, 1, 3)]
        + [(f"C20RD|lr2|{c}", ["char*20"] + R + D, "lr2", c, False) for c in (0.3, 1, 3)]
        + [(f"C10Res5RD|lr2|{c}", ["char*10", "results*5"] + R + D, "lr2", c, False) for c in (1, 3)]
        + [(f"C10RD|lr2|{c}", ["char*10"] + R + D, "lr2", c, False) for c in (10,)]
    ),
    "grid4": (
        [(f"C10Res10RD|lr2|{c}", ["char*10", "results*10"] + R + D, "lr2", c, False) for c in (1, 3)]
        + [(f"W10Res5RD|lr2|{c}", ["word*10", "results*5"] + R + D, "lr2", c, False) for c in (1, 3)]
        + [(f"Cb10Resb5RD|lr2|{c}", ["charb*10", "resultsb*5"] + R + D, "lr2", c, False) for c in (1, 3)]
        + [(f"Cn10Res5RD|lr2|{c}", ["charnwb*10", "results*5"] + R + D, "lr2", c, False) for c in (1, 3)]
        + [(f"C10Res5D|lr2|{c}", ["char*10", "results*5"] + D, "lr2", c, False) for c in (1, 3)]
        + [(f"C10Res5RD|lr2sw|{c}", ["char*10", "results*5"] + R + D, "lr2", c, True) for c in (1, 3)]
    ),
    "reseed": (
        [(f"C10RD|lr2|{c}", ["char*10"] + R + D, "lr2", c, False) for c in (1, 3)]
        + [(f"C10Res5RD|lr2|{c}", ["char*10", "results*5"] + R + D, "lr2", c, False) for c in (1, 3)]
        + [(f"W10RD|lr2|{c}", ["word*10"] + R + D, "lr2", c, False) for c in (1, 3)]
        + [(f"R|lr2|{c}", R, "lr2", c, False) for c in (0.1, 0.3)]
    ),
    "grid5": (
        [(f"CstdRD|lr2|{c}", ["charstd"] + R + D, "lr2", c, False) for c in (0.001, 0.003, 0.01, 0.03)]
    ),
    "grid6": (
        [(f"WrepoRD_std|lr2sw|{c}", ["wordrepostd"] + R + D, "lr2", c, True) for c in (0.003, 0.01, 0.03, 0.1)]
        + [(f"WrepoRD|lr2sw|{c}", ["wordrepo*0.3"] + R + D, "lr2", c, True) for c in (0.1, 0.3, 1, 3)]
    ),
    "lc": (
        [(f"C10RD|lr2|{c}", ["char*10"] + R + D, "lr2", c, False) for c in (1, 3)]
        + [(f"C10D|lr2|{c}", ["char*10"] + D, "lr2", c, False) for c in (1, 3)]
        + [(f"RD|lr2|{c}", R + D, "lr2", c, False) for c in (0.3, 1)]
    ),
}

if __name__ == "__main__":
    tag = sys.argv[1]
    if tag == "lc":  # learning curve: training part subsampled to 25/50/75 % (150/300/450 labels), 3 repeats
        for frac in (0.25, 0.5, 0.75):
            for rep in range(3):
                run(GRID["lc"], f"lc_{int(frac*100)}_{rep}", subsample=frac, sub_seed=rep)
    elif tag == "reseed":
        run(GRID[tag], f"reseed_{OUTER_SEED}")
    else:
        run(GRID[tag], tag)
