"""Shared data loading, feature blocks and weighted metrics for the ICI classifier research.

Everything that is fitted (vocabularies, IDF, scalers) is fitted on the training indices passed
in; nothing here looks at labels except the metric functions.
"""
import os
import warnings; warnings.filterwarnings("ignore")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import re
import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score, average_precision_score

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "..", "..", "ici_labels_v2.csv")
# silver_projects.csv and silver_participations.csv: copies of DIR/bi/ of a sample run (bin/ici-atlas run --set bi.silver=true), put beside this file
SEED = 20261205


def camel_split(s):
    return re.sub(r"([a-z])([A-Z])", r"\1 \2", s)


def load():
    L = pd.read_csv(LABELS)
    P = pd.read_csv(os.path.join(HERE, "silver_projects.csv"), dtype=str, keep_default_na=False)
    if "is_ici" not in P.columns:  # runs since 2026-12-06 keep the rules' columns in a table of their own
        C = pd.read_csv(os.path.join(HERE, "silver_project_classification.csv"), dtype=str, keep_default_na=False)
        P = P.merge(C, on=["period", "project_id"], how="left", validate="one_to_one")
    M = L.merge(P, on="project_id", how="left", suffixes=("", "_p"), validate="one_to_one")
    assert (M.period == "2014-2020").all()
    tx = ["title", "title_lang2", "title_lang3", "description_en", "description_1", "description_2",
          "expected_results_en", "expected_results_1", "expected_results_2"]
    M["text"] = M.acronym.map(camel_split) + " . " + M[tx].agg(" . ".join, axis=1)
    M["results_text"] = M[["expected_results_en", "expected_results_1", "expected_results_2"]].agg(" . ".join, axis=1)
    M["rule_pred"] = (M.is_ici_p == "true").astype(int)
    M["rule_score"] = M.ici_score.astype(float)

    # participations -> partnership features and organisation-name text
    Q = pd.read_csv(os.path.join(HERE, "silver_participations.csv"), dtype=str, keep_default_na=False)
    Q = Q[Q.project_id.isin(M.project_id)].copy()
    on = Q.organisation.str.lower()
    kw = {
        "org_chamber": r"chamber|kammer|kamer\b|kauppakamari|palata|\bizb|\bihk\b|camera di commercio|cámara|câmara|chambre|komora|izba|камара|палата",
        "org_cluster": r"cluster|klynge|kluster|klaster|klastr|grappolo|pôle|polo ",
        "org_bizsupport": r"business|enterprise|entrepreneur|wirtschaft|erhvervs|näringsliv|elinkeino|development agency|development company|regional development|agenc|agentur|agencia|agenzia|agence",
        "org_park_incub": r"science park|technology park|technopark|teknologipark|tiedepuisto|incubat|inkubator|hautomo|innovation (centre|center)|business park|technopol|technolog",
        "org_university": r"universit|hochschule|högskola|høgskole|korkeakoulu|ülikool|uniwersytet|politechni|университет|polytechn|college|academ|akadem",
        "org_research": r"research|forschung|forskning|tutkimus|institut|istituto|instituto|centre for|center for|fraunhofer|cnr|csic",
        "org_municipal": r"municipal|city of|town of|gmina|miasto|kommun|kunta|gemeinde|stadt|comune|ayuntamiento|concello|câmara municipal|commune|obcina|občina|opština|opcina|district|county|region|provinc|landkreis|kraj|voivod|województw|urząd|ministry|ministerium",
        "org_assoc": r"associa|verband|verein|förening|forening|yhdistys|stowarzysz|udruga|sdružen|union|federation|federación|confedera|alliance|consortium|network|netzwerk",
        "org_company": r"\bgmbh\b|\bltd\b|\blimited\b|\bplc\b|\boy\b|\boyj\b|\bab\b|\bas\b|\ba/s\b|\baps\b|\bs\.?a\.?\b|\bs\.?r\.?l\.?\b|\bs\.?p\.?a\.?\b|sp\. ?z ?o\.? ?o|\bd\.?o\.?o\.?\b|\bkft\b|\boü\b|\buab\b|\bsia\b|\bs\.?l\.?\b|\bbv\b|\bnv\b|\bsas\b|\bsarl\b|\bag\b|\bkg\b|\bs\.?r\.?o\.?\b|\ba\.?s\.?\b|\bllc\b|\binc\b|\bcompany\b|\bооо\b|\bеоод\b|\bоод\b|\bад\b",
        "org_school_ngo": r"school|szkoła|skola|koulu|schule|kindergarten|foundation|fundacja|stiftung|säätiö|fondazione|fundación|museum|muzeum|church|parish",
        "org_hospital": r"hospital|klinik|clinic|sairaala|szpital|health|zdrav",
    }
    for k, rx in kw.items():
        Q[k] = on.str.contains(rx, regex=True).astype(int)
    Q["priv"] = (Q.legal_status == "private").astype(int)
    Q["unk"] = (Q.legal_status == "unknown").astype(int)
    Q["pub"] = (Q.legal_status == "public").astype(int)
    g = Q.groupby("project_id")
    agg = pd.DataFrame({
        "n_part": g.size(),
        "n_countries": g.country_code.nunique(),
        "n_priv": g.priv.sum(),
        "share_priv": g.priv.mean(),
        "share_unk": g.unk.mean(),
        "share_pub": g.pub.mean(),
    })
    for k in kw:
        agg["n_" + k] = g[k].sum()
        agg["any_" + k] = (g[k].sum() > 0).astype(int)
    # a private partner that is also a business-like organisation
    Q["priv_company"] = ((Q.priv == 1) | (Q.org_company == 1)).astype(int)
    agg["n_priv_company"] = Q.groupby("project_id").priv_company.sum()
    agg["share_priv_company"] = Q.groupby("project_id").priv_company.mean()
    agg["lead_priv"] = Q[Q.is_lead == "true"].groupby("project_id").priv.max()
    agg = agg.fillna(0)
    orgs = g.organisation.apply(lambda s: " ; ".join(s))
    M = M.merge(agg, left_on="project_id", right_index=True, how="left")
    M["org_text"] = M.project_id.map(orgs).fillna("")
    M["countries"] = M.project_id.map(g.country_code.apply(lambda s: " ".join(sorted(set(s))))).fillna("")
    return M


# ---------------------------------------------------------------- dense blocks (label-free)

RULE_NAMES = None


def rules_block(M):
    reasons = M.ici_reasons.fillna("").str.split("|")
    names = sorted({re.sub(r"\(.*", "", r) for rs in reasons for r in rs if r})
    X = pd.DataFrame(0.0, index=M.index, columns=["rule_" + n for n in names])
    for i, rs in reasons.items():
        for r in rs:
            if r:
                X.loc[i, "rule_" + re.sub(r"\(.*", "", r)] = 1.0
    X["rule_score"] = M.rule_score
    X["rule_pred"] = M.rule_pred
    return X


def meta_block(M, with_programme=True):
    X = pd.DataFrame(index=M.index)
    th = M.themes.fillna("").str.split("|")
    for t in sorted({t for ts in th for t in ts if t}):
        X["theme_" + t] = th.map(lambda ts: float(t in ts))
    X["n_themes"] = th.map(lambda ts: len([t for t in ts if t]))
    for s in sorted(M.strand.unique()):
        X["strand_" + s] = (M.strand == s).astype(float)
    X["national_only"] = (M.text_language == "national_only").astype(float)
    if with_programme:
        for p in sorted(M.programme.unique()):
            X["prog_" + p] = (M.programme == p).astype(float)
    X["len_desc_log"] = np.log1p(M[["description_en", "description_1", "description_2"]].agg("".join, axis=1).str.len())
    X["len_results_log"] = np.log1p(M.results_text.str.replace(" . ", "", regex=False).str.len())
    X["budget_log"] = np.log1p(pd.to_numeric(M.total_budget, errors="coerce").fillna(0))
    return X


def partner_block(M):
    cols = [c for c in M.columns if c.startswith(("n_", "share_", "any_"))] + ["lead_priv"]
    cols = [c for c in cols if c not in ("n_themes",)]
    X = M[cols].astype(float).copy()
    for c in cols:
        if c.startswith("n_"):
            X[c] = np.log1p(X[c])
    X["silver_business_support"] = M.has_business_support.astype(float)
    X["silver_research"] = M.has_research.astype(float)
    return X


CONTINUOUS_PREFIX = ("rule_score", "len_", "budget_", "n_", "share_")


class DenseScaler:
    """Standardise continuous columns (fitted on train), leave 0/1 columns as they are."""

    def fit(self, X):
        self.cont = [c for c in X.columns if c.startswith(CONTINUOUS_PREFIX)]
        self.mu = X[self.cont].mean()
        self.sd = X[self.cont].std().replace(0, 1).fillna(1)
        return self

    def transform(self, X):
        X = X.copy()
        X[self.cont] = (X[self.cont] - self.mu) / self.sd
        return sp.csr_matrix(X.values)


def text_vectorizer(kind):
    if kind == "word":
        return TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_df=0.8, sublinear_tf=True,
                               strip_accents="unicode", token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    if kind == "word1":
        return TfidfVectorizer(ngram_range=(1, 1), min_df=2, max_df=0.8, sublinear_tf=True,
                               strip_accents="unicode", token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    if kind == "char":
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, max_df=0.8,
                               sublinear_tf=True, max_features=120000)
    if kind == "charb":  # MLlib-like: binary term counts (CountVectorizer(binary=True)) x IDF, L2-normalised
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, max_df=0.8, binary=True,
                               max_features=120000)
    if kind == "charnwb":  # character n-grams across word boundaries (RegexTokenizer('.') + NGram in MLlib)
        return TfidfVectorizer(analyzer="char", ngram_range=(3, 5), min_df=3, max_df=0.8, sublinear_tf=True,
                               max_features=120000)
    if kind == "resultsb":
        return TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_df=0.8, binary=True,
                               strip_accents="unicode", token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    if kind == "wordrepo":  # analogue of the repo's IciModel: binary counts, tokens >= 3 chars, words (minDF 10, 4000) + pairs (minDF 10)
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.pipeline import FeatureUnion
        return FeatureUnion([
            ("w", CountVectorizer(binary=True, token_pattern=r"(?u)[\w]{3,}", min_df=10, max_features=4000)),
            ("p", CountVectorizer(binary=True, token_pattern=r"(?u)[\w]{3,}", ngram_range=(2, 2), min_df=10, max_features=2000))])
    if kind == "org":
        return TfidfVectorizer(ngram_range=(1, 1), min_df=2, sublinear_tf=True,
                               strip_accents="unicode", token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    if kind == "results":
        return TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_df=0.8, sublinear_tf=True,
                               strip_accents="unicode", token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    raise ValueError(kind)


TEXT_SOURCE = {"wordrepo": "text", "charb": "text", "charnwb": "text", "resultsb": "results_text", "word": "text", "word1": "text", "char": "text", "org": "org_text", "results": "results_text"}


class FeatureCache:
    """Per split (tuple of train indices) the fitted blocks for train and test rows."""

    def __init__(self, M):
        self.M = M
        self.dense = {"rules": rules_block(M), "meta": meta_block(M), "meta_noprog": meta_block(M, False),
                      "partner": partner_block(M)}
        self.cache = {}

    def blocks(self, tr, te, names):
        out_tr, out_te = [], []
        for n0 in names:
            n, _, fac = n0.partition("*")
            fac = float(fac) if fac else 1.0
            key = (n, hash(tr.tobytes()), hash(te.tobytes()))
            if key not in self.cache:
                if n in self.dense:
                    D = self.dense[n]
                    s = DenseScaler().fit(D.iloc[tr])
                    self.cache[key] = (s.transform(D.iloc[tr]), s.transform(D.iloc[te]))
                elif n.endswith("std"):  # MLlib standardization=True analogue: every column divided by its std
                    v = text_vectorizer(n[:-3])
                    col = self.M[TEXT_SOURCE[n[:-3]]].values
                    a = v.fit_transform(col[tr]).tocsc()
                    sd = np.sqrt(np.asarray(a.multiply(a).mean(axis=0)).ravel() - np.asarray(a.mean(axis=0)).ravel() ** 2)
                    sd[sd == 0] = 1
                    Dg = sp.diags(1 / sd)
                    self.cache[key] = ((a @ Dg).tocsr(), (v.transform(col[te]) @ Dg).tocsr(), v)
                else:
                    v = text_vectorizer(n)
                    col = self.M[TEXT_SOURCE[n]].values
                    a = v.fit_transform(col[tr])
                    b = v.transform(col[te])
                    self.cache[key] = (a.tocsr(), b.tocsr(), v)
            c = self.cache[key]
            out_tr.append(c[0] * fac)
            out_te.append(c[1] * fac)
        return sp.hstack(out_tr).tocsr(), sp.hstack(out_te).tocsr()

    def vectorizer(self, n, tr, te):
        return self.cache[(n, hash(tr.tobytes()), hash(te.tobytes()))][2]


# ---------------------------------------------------------------- metrics

def wprf(y, pred, w):
    y = np.asarray(y); pred = np.asarray(pred); w = np.asarray(w, float)
    tp = (w * ((y == 1) & (pred == 1))).sum()
    fp = (w * ((y == 0) & (pred == 1))).sum()
    fn = (w * ((y == 1) & (pred == 0))).sum()
    P = tp / (tp + fp) if tp + fp > 0 else 0.0
    R = tp / (tp + fn) if tp + fn > 0 else 0.0
    F = 2 * P * R / (P + R) if P + R > 0 else 0.0
    return P, R, F


def brier(y, p, w):
    return float(np.average((np.asarray(p) - np.asarray(y)) ** 2, weights=w))


def wauc(y, p, w):
    return roc_auc_score(y, p, sample_weight=w)


def wap(y, p, w):
    return average_precision_score(y, p, sample_weight=w)


def best_f1_threshold(y, p, w):
    """Threshold maximising weighted F1 over the candidate cut points (midpoints)."""
    order = np.unique(p)
    cands = np.concatenate([[0.0], (order[1:] + order[:-1]) / 2, [1.0]]) if len(order) > 1 else np.array([0.5])
    best = (-1, 0.5)
    for t in cands:
        f = wprf(y, (p >= t).astype(int), w)[2]
        if f > best[0]:
            best = (f, t)
    return best[1], best[0]


def prevalence_threshold(y, p, w):
    """Threshold at which the weighted share predicted positive equals the weighted prevalence."""
    w = np.asarray(w, float)
    prev = np.average(y, weights=w)
    order = np.argsort(-p)
    cum = np.cumsum(w[order]) / w.sum()
    k = np.searchsorted(cum, prev)
    k = min(k, len(p) - 1)
    return float(p[order][k]) - 1e-12
