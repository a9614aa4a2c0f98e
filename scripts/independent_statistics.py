#!/usr/bin/env python3
"""Independent reference values for StatisticsTest, from first principles with the standard library
only (no Commons Math, no numpy/scipy):

- Pearson r by its definition; Spearman rho as Pearson r of average ranks;
- two-sided p of both from Student's t with n - 2 degrees of freedom, the t density integrated
  numerically (composite Simpson rule on [0, |t|], 200,000 intervals);
- Kendall tau-b by counting concordant and discordant pairs; p from z = S / sqrt(var S) with the
  tie-corrected variance (Kendall 1970), normal tail via math.erfc;
- Mann-Whitney U from rank sums (average ranks); p from the normal approximation without tie or
  continuity correction, using the larger U, as Commons Math 3.6 does.
Run: python3 scripts/independent_statistics.py
"""
import math

X = [1.2, 2.4, 2.4, 3.1, 4.8, 5.0, 6.3, 7.7, 8.1, 9.9, 10.4, 12.0]
Y = [2.0, 1.5, 3.9, 3.0, 6.1, 4.4, 7.5, 6.8, 9.9, 8.0, 12.5, 11.0]
WITH = [4.0, 7.0, 7.0, 9.0, 12.0, 15.0]
WITHOUT = [1.0, 2.0, 2.0, 3.0, 5.0, 7.0, 8.0]


def pearson(x, y):
    n = len(x); mx = sum(x) / n; my = sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x); syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i]); r = [0.0] * len(v); i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def t_two_sided(t, df, steps=200_000):
    c = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))
    f = lambda u: c * (1 + u * u / df) ** (-(df + 1) / 2)
    a, b = 0.0, abs(t); h = (b - a) / steps
    s = f(a) + f(b) + sum((4 if k % 2 else 2) * f(a + k * h) for k in range(1, steps))
    return 2 * (0.5 - s * h / 3)


def corr_p(r, n):
    return t_two_sided(r * math.sqrt((n - 2) / (1 - r * r)), n - 2)


def ties(v):
    counts = {}
    for a in v:
        counts[a] = counts.get(a, 0) + 1
    return [t for t in counts.values() if t > 1]


def kendall(x, y):
    n = len(x); s = 0; n1 = n2 = 0; n0 = n * (n - 1) / 2
    for i in range(n):
        for j in range(i + 1, n):
            s += math.copysign(1, x[i] - x[j]) * math.copysign(1, y[i] - y[j]) if x[i] != x[j] and y[i] != y[j] else 0
    n1 = sum(t * (t - 1) / 2 for t in ties(x)); n2 = sum(t * (t - 1) / 2 for t in ties(y))
    tau = s / math.sqrt((n0 - n1) * (n0 - n2))
    tx, ty = ties(x), ties(y)
    v0 = n * (n - 1) * (2 * n + 5)
    vt = sum(t * (t - 1) * (2 * t + 5) for t in tx); vu = sum(t * (t - 1) * (2 * t + 5) for t in ty)
    v1 = sum(t * (t - 1) for t in tx) * sum(t * (t - 1) for t in ty) / (2 * n * (n - 1))
    v2 = sum(t * (t - 1) * (t - 2) for t in tx) * sum(t * (t - 1) * (t - 2) for t in ty) / (9 * n * (n - 1) * (n - 2))
    var = (v0 - vt - vu) / 18 + v1 + v2
    return tau, math.erfc(abs(s) / math.sqrt(var) / math.sqrt(2))


def mann_whitney(a, b):
    r = ranks(a + b); n1, n2 = len(a), len(b)
    u1 = sum(r[:n1]) - n1 * (n1 + 1) / 2; u2 = n1 * n2 - u1; u = max(u1, u2)
    z = (min(u1, u2) - n1 * n2 / 2) / math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12)
    return u1, u, math.erfc(abs(z) / math.sqrt(2)), 2 * u1 / (n1 * n2) - 1


r = pearson(X, Y); rho = pearson(ranks(X), ranks(Y)); tau, tau_p = kendall(X, Y)
print(f"n={len(X)} pearson_r={r!r} pearson_p={corr_p(r, len(X))!r}")
print(f"spearman_rho={rho!r} spearman_p={corr_p(rho, len(X))!r}")
print(f"kendall_tau_b={tau!r} kendall_p={tau_p!r}")
u1, u, p, rb = mann_whitney(WITH, WITHOUT)
print(f"mann_whitney u_with={u1!r} u_max={u!r} p={p!r} rank_biserial={rb!r}")
