#!/usr/bin/env python3
"""Reference side of concord's Pairwise tests (docs/pairwise.md): sureal 0.9.0's BT_MLE and
THURSTONE_MLE, choix 0.4.1's ilsr_pairwise, and scipy fits of Davidson ties and Thurstone.

One JSON object per line on stdin:
    {"n": items, "comparisons": [[a, b, outcome], ...]  (outcome 0: a wins, 1: b wins, 2: tie),
     "model": "bt"|"thurstone", "ties": "half-win"|"davidson"}
One JSON object per line out, scores centred per connected group, null where no ML score:
    sureal: sureal's scores (strongly connected groups only); se: sureal's interval code with
    its `n / pp*2` slip corrected to `n / pp**2`, moved to centred scores; sureal_se: sureal's
    own (slipped) standard errors; choix: ilsr_pairwise (bt, no ties); scipy, scipy_se:
    an independent optimisation (davidson, thurstone); regularised: sureal on the groups
    without an ML score plus a pivot item with one win and one loss against each item.
Never used by concord at run time.
"""
import contextlib, io, json, sys, warnings
import numpy as np
from scipy.optimize import minimize
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.stats import norm

warnings.filterwarnings("ignore")
import choix  # noqa: E402
from sureal.pc_subjective_model import (  # noqa: E402
    BradleyTerryMlePairedCompSubjectiveModel as BT, ThurstoneMlePairedCompSubjectiveModel as TH)


def quiet(f, *a, **k):
    with contextlib.redirect_stdout(io.StringIO()):
        return f(*a, **k)


def centred(x, groups):
    x = np.array(x, dtype=float)
    for g in set(groups):
        idx = [i for i in range(len(x)) if groups[i] == g]
        x[idx] -= x[idx].mean()
    return x


def bt_se_fixed(alpha, v):
    """sureal's BT interval code with n / pp**2, then P C P / (p p^T) on centred scores."""
    M = alpha.shape[0]
    p = np.exp(v) / np.exp(v).sum()
    n = alpha + alpha.T
    pp = np.tile(p, (M, 1)).T + np.tile(p, (M, 1))
    lbda_ii = np.sum(-alpha / np.tile(p, (M, 1)).T ** 2 + n / pp ** 2, axis=1)
    lbda = n / pp ** 2 + np.diag(lbda_ii)
    cova_p = np.linalg.pinv(np.vstack([np.hstack([-lbda, np.ones([M, 1])]),
                                       np.hstack([np.ones([1, M]), np.array([[0]])])]))[:-1, :-1]
    cova_v = cova_p / np.outer(p, p)
    P = np.eye(M) - 1.0 / M
    return np.sqrt(np.diag(P @ cova_v @ P))


def davidson(W, T, M):
    """ML of Davidson's model by BFGS on (theta, log nu); standard errors from a numerical
    Hessian of the analytic gradient, pinv (min-norm: centred theta)."""
    iu = [(i, j) for i in range(M) for j in range(i + 1, M) if W[i, j] + W[j, i] + T[i, j] > 0]

    def f(x):
        th, lnu = x[:M], x[M]
        val, g = 0.0, np.zeros(M + 1)
        for i, j in iu:
            pi, pj, nu = np.exp(th[i]), np.exp(th[j]), np.exp(lnu)
            r = np.sqrt(pi * pj); d = pi + pj + nu * r; n = W[i, j] + W[j, i] + T[i, j]
            val -= W[i, j] * th[i] + W[j, i] * th[j] + T[i, j] * (lnu + (th[i] + th[j]) / 2) - n * np.log(d)
            g[i] -= W[i, j] + T[i, j] / 2 - n * (pi + nu * r / 2) / d
            g[j] -= W[j, i] + T[i, j] / 2 - n * (pj + nu * r / 2) / d
            g[M] -= T[i, j] - n * nu * r / d
        return val, g
    x = minimize(f, np.zeros(M + 1), jac=True, method="BFGS", options={"gtol": 1e-11, "maxiter": 100000}).x
    x = minimize(f, x, jac=True, method="L-BFGS-B", options={"ftol": 0, "gtol": 1e-13, "maxiter": 100000}).x
    h, H = 1e-5, np.zeros((M + 1, M + 1))
    for k in range(M + 1):
        e = np.zeros(M + 1); e[k] = h
        H[k] = (f(x + e)[1] - f(x - e)[1]) / (2 * h)
    H = (H + H.T) / 2
    # nu in its own units, as concord's information is in nu (the Schur complement is invariant)
    return x[:M], np.sqrt(np.diag(np.linalg.pinv(H, rcond=1e-7))[:M]), float(np.exp(x[M]))


def thurstone(alpha, M):
    def f(v):
        d = v[:, None] - v[None, :]
        val = -np.sum(alpha * norm.logcdf(d))
        lam = np.exp(norm.logpdf(d) - norm.logcdf(d))
        G = alpha * lam
        return val, -(G.sum(axis=1) - G.sum(axis=0))
    v = minimize(f, np.zeros(M), jac=True, method="BFGS", options={"gtol": 1e-12, "maxiter": 100000}).x
    d = v[:, None] - v[None, :]
    lam = np.exp(norm.logpdf(d) - norm.logcdf(d))
    w = alpha * lam * (d + lam)
    w = w + w.T
    L = np.diag(w.sum(axis=1)) - w
    return v - v.mean(), np.sqrt(np.diag(np.linalg.pinv(L)))


def run(req):
    M = req["n"]; comps = req["comparisons"]
    W = np.zeros((M, M)); T = np.zeros((M, M))
    for a, b, o in comps:
        if o == 0: W[a, b] += 1
        elif o == 1: W[b, a] += 1
        else: T[min(a, b), max(a, b)] += 1
    Tsym = T + T.T
    linked = (W + W.T + Tsym) > 0
    _, weak = connected_components(csr_matrix(linked), directed=False)
    _, strong = connected_components(csr_matrix((W + Tsym) > 0), directed=True, connection="strong")
    groups = [int(g) for g in weak]
    ok = [g for g in set(groups) if len({strong[i] for i in range(M) if groups[i] == g}) == 1]
    ml = [i for i in range(M) if groups[i] in ok]
    rest = [i for i in range(M) if groups[i] not in ok]
    out = {"groups": groups, "strong": sorted(ok)}
    alpha = W + Tsym / 2
    sub = alpha[np.ix_(ml, ml)]
    gml = [groups[i] for i in ml]
    full = lambda xs: [None] * M if not ml else [float(xs[ml.index(i)]) if i in ml else None for i in range(M)]
    if req["model"] == "bt" and ml:
        v, sv, *_ = quiet(BT.resolve_model, sub, display=False)
        out["sureal"] = full(centred(v, gml))
        out["sureal_se"] = full(sv)
        ses = np.zeros(len(ml))
        for g in set(gml):
            idx = [k for k in range(len(ml)) if gml[k] == g]
            vg = quiet(BT.resolve_model, sub[np.ix_(idx, idx)], display=False)[0]
            ses[idx] = bt_se_fixed(sub[np.ix_(idx, idx)], np.array(vg))
        out["se"] = full(ses)
        if T.sum() == 0:
            data = [(a, b) if o == 0 else (b, a) for a, b, o in comps if a in ml]
            out["choix"] = [None] * M
            for g in set(gml):  # per group: ilsr's Markov chain must be irreducible
                idx = [i for i in ml if groups[i] == g]
                local = {i: k for k, i in enumerate(idx)}
                c = choix.ilsr_pairwise(len(idx), [(local[x], local[y]) for x, y in data if x in local],
                                        tol=1e-10, max_iter=100000)
                for k, i in enumerate(idx):
                    out["choix"][i] = float(c[k] - np.mean(c))
        if req.get("ties") == "davidson" and T.sum() > 0:
            th, se, nu = davidson(W[np.ix_(ml, ml)], T[np.ix_(ml, ml)], len(ml))
            out["scipy"] = full(centred(th, gml)); out["scipy_se"] = full(se); out["nu"] = nu
    if req["model"] == "thurstone" and ml:
        v, sv, _ = quiet(TH.resolve_model, sub)
        out["sureal"] = full(centred(v, gml))
        out["scipy"] = [None] * M; out["scipy_se"] = [None] * M
        for g in set(gml):
            idx = [ml[k] for k in range(len(ml)) if gml[k] == g]
            v2, se2 = thurstone(alpha[np.ix_(idx, idx)], len(idx))
            for k, i in enumerate(idx):
                out["scipy"][i] = float(v2[k]); out["scipy_se"][i] = float(se2[k])
    if rest and req["model"] == "bt":
        A = np.zeros((len(rest) + 1, len(rest) + 1))
        A[:-1, :-1] = alpha[np.ix_(rest, rest)]; A[:-1, -1] = 1; A[-1, :-1] = 1
        v = np.array(quiet(BT.resolve_model, A, display=False)[0])
        r = centred(v[:-1] - v[-1], [groups[i] for i in rest])
        out["regularised"] = [float(r[rest.index(i)]) if i in rest else None for i in range(M)]
    return out


for line in sys.stdin:
    if line.strip():
        try:
            out = run(json.loads(line))
            clean = lambda x: None if isinstance(x, float) and not np.isfinite(x) else x
            out = {k: [clean(y) for y in v] if isinstance(v, list) else clean(v) for k, v in out.items()}
            print(json.dumps(out), flush=True)
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"error": repr(e)}), flush=True)
