#!/usr/bin/env python3
"""Reference side of concord's adaptive pair choice (Sources/Pairwise/Adaptive.swift,
docs/pairwise.md "Choosing pairs"): the expected information gain of comparing two items,
as ASAP (Mikhailiuk et al. 2020) defines it, with the belief updates done by the `trueskill`
package (0.4.5, scipy backend) rather than by concord's formulas.

One JSON object per line on stdin:
    {"mi", "vi", "mj", "vj"}: two Gaussian beliefs N(mean, variance) on the Thurstone Case V
    scale (P(i beats j) = Phi(si - sj), so TrueSkill's beta^2 = 1/2, no dynamics, no draws),
    with the cross-component extra variance already added by the caller.
One JSON object per line out:
    {"eig", "vi_after", "vj_after"}: the expected KL divergence from the current beliefs to
    the updated ones, and each expected variance after the answer.
Never used by concord at run time.
"""
import json, math, sys

from scipy.stats import norm
import trueskill


def kl(after, before):
    """KL(N(after) || N(before)) for trueskill Ratings."""
    r = after.sigma ** 2 / before.sigma ** 2
    return 0.5 * (r + (after.mu - before.mu) ** 2 / before.sigma ** 2 - 1 - math.log(r))


def main():
    env = trueskill.TrueSkill(mu=0, sigma=1, beta=math.sqrt(0.5), tau=0, draw_probability=0, backend="scipy")
    for line in sys.stdin:
        q = json.loads(line)
        i = env.create_rating(q["mi"], math.sqrt(q["vi"]))
        j = env.create_rating(q["mj"], math.sqrt(q["vj"]))
        p = norm.cdf((q["mi"] - q["mj"]) / math.sqrt(1 + q["vi"] + q["vj"]))
        i_won, j_lost = env.rate_1vs1(i, j)
        j_won, i_lost = env.rate_1vs1(j, i)
        eig = p * (kl(i_won, i) + kl(j_lost, j)) + (1 - p) * (kl(i_lost, i) + kl(j_won, j))
        print(json.dumps({
            "eig": eig,
            "vi_after": p * i_won.sigma ** 2 + (1 - p) * i_lost.sigma ** 2,
            "vj_after": p * j_lost.sigma ** 2 + (1 - p) * j_won.sigma ** 2,
        }))


if __name__ == "__main__":
    main()
