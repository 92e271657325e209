#!/usr/bin/env python3
"""Reference side of concord's leaderboard tests (docs/pairwise.md "Leaderboard"): clip
comparisons aggregated to system comparisons here, independently of concord, then sureal
0.9.0's BT_MLE, choix 0.4.1's ilsr_pairwise, scipy fits (Davidson ties, Thurstone), the full
covariance of the centred scores, the normal-approximation probability that each system is
above the next one down, and a bootstrap of that probability.

One JSON object per line on stdin:
    {"system": [name or null per clip], "comparisons": [[a, b, outcome], ...] (clip indices;
     outcome 0: a wins, 1: b wins, 2: tie), "model": "bt"|"thurstone",
     "ties": "half-win"|"davidson", "bootstrap": resamples (0: none), "seed": int}
One JSON object per line out (systems sorted by name; scores centred; one connected,
strongly connected group expected):
    systems, same_system, untagged, wins (matrix [i][j]: i beat j), ties (matrix),
    sureal, choix (bt), scipy (davidson, thurstone), cov (full covariance of centred
    scores: sureal's interval code with its n / pp*2 slip corrected for bt half-win; the
    pinv of a numerical Hessian for davidson; pinv of the exact Laplacian for thurstone),
    order (system indices best first), p_next (Φ(d / sd) per consecutive pair),
    bootstrap_p (share of comparison resamples, refitted by choix, where the upper system
    of each consecutive pair stays above; bt untied only).
Never used by concord at run time.
"""
import contextlib, io, json, sys, warnings
import numpy as np
from scipy.optimize import minimize
from scipy.stats import norm

warnings.filterwarnings("ignore")
import choix  # noqa: E402
from sureal.pc_subjective_model import BradleyTerryMlePairedCompSubjectiveModel as BT  # noqa: E402


def quiet(f, *a, **k):
    with contextlib.redirect_stdout(io.StringIO()):
        return f(*a, **k)


def bt_cov_fixed(alpha, v):
    """sureal's BT interval code with n / pp**2; the full P C P / (p p^T) on centred scores."""
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
    return P @ cova_v @ P


def davidson(W, T, M):
    """ML of Davidson's model by BFGS on (theta, log nu); covariance from a numerical Hessian
    of the analytic gradient (pinv: min-norm, so centred theta, nu's Schur complement in)."""
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
    return x[:M] - x[:M].mean(), np.linalg.pinv(H, rcond=1e-7)[:M, :M]


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
    return v - v.mean(), np.linalg.pinv(L)


def run(req):
    system = req["system"]
    names = sorted({system[i] for a, b, _ in req["comparisons"] for i in (a, b) if system[i] is not None})
    idx = {s: k for k, s in enumerate(names)}
    M = len(names)
    W = np.zeros((M, M)); T = np.zeros((M, M))
    same = untagged = 0
    pairs = []
    for a, b, o in req["comparisons"]:
        sa, sb = system[a], system[b]
        if sa is None or sb is None:
            untagged += 1; continue
        if sa == sb:
            same += 1; continue
        x, y = idx[sa], idx[sb]
        if o == 0: W[x, y] += 1; pairs.append((x, y))
        elif o == 1: W[y, x] += 1; pairs.append((y, x))
        else: T[min(x, y), max(x, y)] += 1
    Tsym = T + T.T
    out = {"systems": names, "same_system": same, "untagged": untagged, "wins": W.tolist(), "ties": Tsym.tolist()}
    alpha = W + Tsym / 2
    model, ties = req["model"], req.get("ties", "davidson")
    if model == "bt":
        v = np.array(quiet(BT.resolve_model, alpha, display=False)[0])
        out["sureal"] = (v - v.mean()).tolist()
        if T.sum() == 0:
            c = choix.ilsr_pairwise(M, pairs, tol=1e-12, max_iter=100000)
            out["choix"] = (c - c.mean()).tolist()
        if ties == "davidson" and T.sum() > 0:
            th, cov = davidson(W, T, M)
            out["scipy"] = th.tolist(); scores = th
        else:
            cov = bt_cov_fixed(alpha, v); scores = v - v.mean()
    else:
        scores, cov = thurstone(alpha, M)
        out["scipy"] = scores.tolist()
    out["cov"] = cov.tolist()
    order = list(np.argsort(-scores))
    out["order"] = [int(k) for k in order]
    out["p_next"] = []
    for x, y in zip(order, order[1:]):
        var = cov[x, x] + cov[y, y] - 2 * cov[x, y]
        out["p_next"].append(float(norm.cdf((scores[x] - scores[y]) / np.sqrt(var))))
    resamples = req.get("bootstrap", 0)
    if resamples and model == "bt" and T.sum() == 0:
        rng = np.random.default_rng(req.get("seed", 1))
        above = np.zeros(M - 1)
        for _ in range(resamples):
            draw = [pairs[k] for k in rng.integers(0, len(pairs), len(pairs))]
            c = choix.ilsr_pairwise(M, draw, alpha=1e-9, tol=1e-10, max_iter=100000)
            above += [c[x] > c[y] for x, y in zip(order, order[1:])]
        out["bootstrap_p"] = (above / resamples).tolist()
    return out


for line in sys.stdin:
    if line.strip():
        try:
            print(json.dumps(run(json.loads(line))), flush=True)
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"error": repr(e)}), flush=True)
