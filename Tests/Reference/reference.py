#!/usr/bin/env python3
"""Independent reference for concord's agreement statistics.

Two things in one file, both used by the Swift tests (Tests/AgreementTests):

1. "exact": every metric computed with fractions.Fraction only -- no float anywhere in
   the arithmetic -- written plainly, unit by unit, straight from the definitions in
   docs/statistics.md. It shares no code and no cleverness with the
   Swift engine (no accumulators, no closed forms), so agreeing with it means something.
   float(Fraction) is applied only when writing "value".

2. "packages": the same metrics from the published PyPI packages (krippendorff, irrCAC,
   scikit-learn, statsmodels), called the way a user would call them. A package that
   raises, or returns nan/inf, gives null. Where a metric does not apply by our
   conventions because of the kind of input (words for interval alpha, negative values for
   ratio alpha, three raters for Cohen's kappa, no category order for weighted kappa),
   the package is not called and the key is null.

Usage
-----
    reference.py < datasets.jsonl > results.jsonl
        one JSON object a line in: {"id": ..., "ratings": [[unit, rater, value|null], ...],
                                    "order": [labels] | null}
        one JSON object a line out, same order:
            {"id", "units", "raters", "ratings", "pairable_units",
             "exact":    {METRIC: {"value": float, "fraction": "p/q"}
                                | {"value": null, "undefined": "reason"}},
             "packages": {KEY: float | null}}
        A data set that is not valid input (a repeated (unit, rater), a value missing from
        "order", a label repeated in "order") gives {"id", "error": "..."} instead.
    reference.py --csv FILE [--order a,b,c]
        the same for one reliability CSV (header unit,rater,value), pretty-printed.

Conventions of the input (the project's decisions)
--------------------------------------------------
* A missing value is null (JSON) or the empty string (CSV, and "" in JSON too).
* Two labels that both parse as numbers with Python's float() and have equal numeric value
  are the same category ("2", "2.0", "2e0"). "nan", "inf" and "infinity" parse with float()
  but are not finite numbers; they are treated as ordinary (word) labels, which makes
  interval/ratio alpha undefined for such data. A numeric category is identified by its
  float value; its exact value for interval/ratio is Fraction(spelling), taken from the
  first spelling met in the data (or in "order").
* Category order: "order" if given (it is also the whole category set); else ascending
  numeric order of the observed values when they are all numbers; else none.
* raters = distinct rater names (even if all their values are missing); units = distinct
  units; ratings = non-missing values; pairable_units = units with >= 2 ratings.

How the packages' conventions compare with ours (checked on random data with missing
values; run `reference.py --self-check` to repeat it)
-------------------------------------------------------------------------------------
* krippendorff.alpha (krippendorff 0.9.0): same coincidence-matrix definition, same four
  distances. Agrees to ~1e-15. We pass numeric codes: the position in the category order
  for nominal/ordinal (value_domain = every position, so unobserved categories of an
  "order" count in ordinal distances exactly as in ours), an arbitrary integer code for
  nominal words without order, and the numbers themselves for interval/ratio. It raises
  when the value domain has < 2 values or no unit is pairable, and returns nan when the
  expected disagreement is 0 -- all of which we call undefined.
* irrCAC.raw.CAC (irrCAC 0.4.4), built with digits=15 (the default rounds every result to 5
  decimals) and categories = the whole category list (so q of AC1 is ours):
  - .fleiss(): same p_a (units with >= 2 ratings) and same pi_k (mean of r_ik/r_i over
    units with >= 1 rating; CAC drops all-missing units first). Agrees.
  - .gwet() (AC1): same. But with q < 2 it does not fail: it sets p_e = 1 - 1e-15 and
    returns a meaningless number where we say undefined.
  - .krippendorff(): Gwet's (2014) form of alpha (p_a corrected by epsilon = 1/n,
    p_e from r_ik/r_mean); algebraically identical to Krippendorff's nominal alpha.
    Agrees to ~1e-15. With weights="quadratic" (weights 1 - (c-k)^2/(max-min)^2 on the
    numeric categories) it is interval alpha, and with weights="ratio" it is ratio alpha
    (the weights are 1 - d/const, and alpha does not change when d is scaled), reported as
    irrcac_krippendorff_alpha_interval / _ratio. irrCAC refuses 0 as a category for ratio
    weights. Its "ordinal" weights are rank-based (Gwet's), not Krippendorff's
    frequency-based ordinal distance, so there is no irrCAC ordinal alpha here.
  - irrcac_percent_agreement is .fleiss()'s p_a; irrcac_scotts_pi is .fleiss() on the two
    raters' jointly rated units (Fleiss' kappa with two raters and no missing value is
    Scott's pi).
  - Where irrCAC differs from us (all in degenerate data; every defined value agrees):
    (a) every method also computes a standard error with n(n-1) in a denominator, so with
        a single (pairable) unit it raises ZeroDivisionError and gives no value at all
        (null here), although the coefficient itself is defined;
    (b) with a single category it does not report "undefined": p_e comes out as 1 up to
        float rounding, and (p_a - p_e)/(1 - p_e) is rounding noise -- usually 1.0, but
        0.5, 2.0, 0.0 ... occur for alpha -- or a ZeroDivisionError when p_e is exactly
        1.0 (then p_a is lost too);
    (c) AC1 with q < 2 uses p_e = 1 - 1e-15 (see above) and returns ~1.0.
    So compare an irrCAC value only where the exact value is defined.
* sklearn.metrics.cohen_kappa_score (scikit-learn 1.7.2) with labels = positions in the
  category order (or integer codes for unordered words): plain, weights="linear",
  weights="quadratic", on the jointly rated units. Same definition; returns nan on 0/0.
* statsmodels.stats.inter_rater.fleiss_kappa (statsmodels 0.14.4): the classic Fleiss
  (1971) formula that needs the same number of ratings on every unit (it asserts). We
  call it only when every unit with a rating has the same number r >= 2 of ratings
  (all-missing units dropped), where it equals ours; otherwise null.

Cost
----
The exact arithmetic is plain Python: per data set about (sum over units of m_u^2) steps
for the coincidences and q^2 Fraction operations per alpha level, q = distinct values.
A few hundred data sets of ~2,000 ratings on a rating scale (q <= 10) take ~15 s of CPU
with the packages (~5 s without, --no-packages). Continuous data with hundreds of distinct
values costs seconds per data set (q^2); krippendorff.alpha is skipped (null) when
units x q^2 exceeds KRIPPENDORFF_MAX_CELLS, because it allocates an array of that size.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import warnings
from fractions import Fraction

METRICS = [
    "krippendorff_alpha_nominal",
    "krippendorff_alpha_ordinal",
    "krippendorff_alpha_interval",
    "krippendorff_alpha_ratio",
    "fleiss_kappa",
    "cohen_kappa",
    "weighted_kappa_linear",
    "weighted_kappa_quadratic",
    "scotts_pi",
    "percent_agreement",
    "gwet_ac1",
]


class InputError(Exception):
    """The data set is not valid input (reported as {"id", "error"})."""


# ---------------------------------------------------------------------------------------
# Labels and categories
# ---------------------------------------------------------------------------------------

def numeric_value(label: str):
    """The float value of a label if it is a finite number by Python's float(), else None."""
    try:
        x = float(label)
    except (ValueError, OverflowError):
        return None
    return x if math.isfinite(x) else None


def category_key(label: str):
    """The identity of a category: numbers by numeric value, words by their text.

    The tuple tags keep the number 1.0 and the word "1.0" from ever colliding (they cannot
    both occur, since "1.0" is a number, but the tag makes the intent plain)."""
    x = numeric_value(label)
    if x is None:
        return ("word", label)
    return ("number", x + 0.0)  # + 0.0 folds -0.0 into 0.0 (they are equal anyway)


def exact_number(label: str) -> Fraction:
    """The exact rational value of a numeric label (Fraction accepts '1e-3', ' 2 ', ...)."""
    try:
        return Fraction(label.strip())
    except (ValueError, ZeroDivisionError):
        # float() accepts a few spellings Fraction does not (e.g. '1_000'); the float is
        # then the best statement of what the label means.
        return Fraction(float(label))


class Dataset:
    """Units x raters with category keys; the raw material of every metric."""

    def __init__(self, rows, order):
        self.units: list[str] = []          # distinct units, first-seen order
        self.raters: list[str] = []         # distinct raters, first-seen order
        self.cell: dict[tuple[str, str], object] = {}   # (unit, rater) -> category key
        self.spelling: dict[object, str] = {}            # category key -> first spelling
        seen_pairs: set[tuple[str, str]] = set()
        unit_set, rater_set = set(), set()
        for i, row in enumerate(rows):
            if not isinstance(row, (list, tuple)) or len(row) != 3:
                raise InputError(f"row {i}: expected [unit, rater, value]")
            unit, rater, value = (as_label(row[0]), as_label(row[1]), row[2])
            if unit is None or rater is None:
                raise InputError(f"row {i}: unit and rater must not be null")
            if (unit, rater) in seen_pairs:
                raise InputError(f"repeated (unit, rater) = ({unit!r}, {rater!r}) at row {i}")
            seen_pairs.add((unit, rater))
            if unit not in unit_set:
                unit_set.add(unit)
                self.units.append(unit)
            if rater not in rater_set:
                rater_set.add(rater)
                self.raters.append(rater)
            label = as_label(value)
            if label is None or label == "":
                continue  # missing
            key = category_key(label)
            self.spelling.setdefault(key, label)
            self.cell[(unit, rater)] = key

        # Each unit's non-missing values, one per rater who rated it (rater order). Kept
        # once here because every metric walks the units.
        self.unit_values = {u: [self.cell[(u, r)] for r in self.raters if (u, r) in self.cell]
                            for u in self.units}
        self._numbers: dict = {}
        self._coincidences = None
        self.memo: dict = {}  # intermediate results shared by several metrics

        # The category order (a list of keys) or None.
        self.order_given = order is not None
        if order is not None:
            keys = []
            for label in order:
                label = as_label(label)
                if label is None or label == "":
                    raise InputError("order contains an empty label")
                key = category_key(label)
                if key in keys:
                    raise InputError(f"order lists the category {label!r} twice")
                self.spelling.setdefault(key, label)
                keys.append(key)
            for (unit, rater), key in self.cell.items():
                if key not in keys:
                    raise InputError(f"value {self.spelling[key]!r} (unit {unit!r}, rater {rater!r}) is not in the order")
            self.order = keys
        elif all(k[0] == "number" for k in self.observed_categories()):
            self.order = sorted(self.observed_categories(), key=lambda k: k[1])
        else:
            self.order = None

    def observed_categories(self):
        """Distinct observed category keys, first-seen order."""
        return list(dict.fromkeys(self.cell.values()))

    def values_of(self, unit):
        """The non-missing category keys of a unit, one per rater who rated it."""
        return self.unit_values[unit]

    def all_numeric(self):
        return all(k[0] == "number" for k in self.cell.values())

    def number(self, key) -> Fraction:
        """The exact value of a numeric category (parsed once)."""
        if key not in self._numbers:
            self._numbers[key] = exact_number(self.spelling[key])
        return self._numbers[key]


def as_label(v):
    """JSON scalars -> label strings (None stays None). Numbers are spelled as JSON would."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    return str(v)


# ---------------------------------------------------------------------------------------
# Exact metrics (Fractions only)
# ---------------------------------------------------------------------------------------

class Undefined(Exception):
    """A metric has no value; the message is the reason."""


def coincidences(ds: Dataset):
    """Krippendorff's coincidence matrix o (dict (c, k) -> Fraction), n_c and n.

    Unit by unit: within a unit every rater gives at most one value, so "pairs of values by
    different raters" is every ordered pair of distinct positions in the unit's value
    list. The pairs are counted per (c, k) with integers and each count / (m_u - 1) is
    added as a Fraction. Computed once per data set (the four levels share it)."""
    if ds._coincidences is None:
        o: dict[tuple, Fraction] = {}
        for unit in ds.units:
            values = ds.values_of(unit)
            m = len(values)
            if m < 2:
                continue  # not pairable
            pair_counts: dict[tuple, int] = {}
            for i in range(m):
                for j in range(m):
                    if i != j:
                        pair_counts[(values[i], values[j])] = pair_counts.get((values[i], values[j]), 0) + 1
            for ck, count in pair_counts.items():
                o[ck] = o.get(ck, Fraction(0)) + Fraction(count, m - 1)
        n_c: dict = {}
        for (c, _k), v in o.items():
            n_c[c] = n_c.get(c, Fraction(0)) + v
        ds._coincidences = (o, n_c, sum(n_c.values(), Fraction(0)))
    o, n_c, n = ds._coincidences
    if not o:
        raise Undefined("no unit has two or more ratings")
    return o, n_c, n


def krippendorff_alpha(ds: Dataset, level: str) -> Fraction:
    """Krippendorff (2011), coincidence-matrix form.

    o_ck = sum over units u with m_u >= 2 values of
           (number of ordered pairs (c, k) of values by different raters in u) / (m_u - 1)
    n_c = sum_k o_ck, n = sum_c n_c
    alpha = 1 - (n - 1) * sum o_ck d2(c,k) / sum n_c n_k d2(c,k)
    """
    if level == "ordinal" and ds.order is None:
        raise Undefined("the categories have no order")
    if level in ("interval", "ratio"):
        if not ds.all_numeric():
            raise Undefined("some values are not numbers")
        if level == "ratio" and any(ds.number(k) < 0 for k in set(ds.cell.values())):
            raise Undefined("ratio alpha needs non-negative values")

    o, n_c, n = coincidences(ds)  # raises when no unit is pairable

    if level == "nominal":
        def d2(c, k):
            return Fraction(0) if c == k else Fraction(1)
    elif level == "ordinal":
        position = {key: i for i, key in enumerate(ds.order)}
        # below[i] = sum of n_g over the first i categories of the order, so that the sum
        # of n_g from position a to b inclusive is below[b + 1] - below[a]. Categories of
        # the order that never occur in a pairable unit have n_g = 0.
        below = [Fraction(0)]
        for g in ds.order:
            below.append(below[-1] + n_c.get(g, Fraction(0)))

        def d2(c, k):
            # (sum of n_g for g from c to k inclusive, minus (n_c + n_k)/2) squared
            a, b = sorted((position[c], position[k]))
            between = below[b + 1] - below[a]
            return (between - (n_c.get(c, Fraction(0)) + n_c.get(k, Fraction(0))) / 2) ** 2
    elif level == "interval":
        def d2(c, k):
            return (ds.number(c) - ds.number(k)) ** 2
    else:  # ratio
        def d2(c, k):
            s = ds.number(c) + ds.number(k)
            return Fraction(0) if s == 0 else ((ds.number(c) - ds.number(k)) / s) ** 2

    observed_disagreement = sum((v * d2(c, k) for (c, k), v in o.items()), Fraction(0))
    cats = list(n_c)  # categories that occur in pairable units (others have n_c = 0)
    expected_disagreement = sum((n_c[c] * n_c[k] * d2(c, k) for c in cats for k in cats), Fraction(0))
    if expected_disagreement == 0:
        raise Undefined("the expected disagreement is 0 (a single category)")
    return 1 - (n - 1) * observed_disagreement / expected_disagreement


def unit_counts(ds: Dataset):
    """Per unit: (r_i, {category: r_ik}) over that unit's non-missing values."""
    out = []
    for unit in ds.units:
        values = ds.values_of(unit)
        counts: dict = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        out.append((len(values), counts))
    return out


def percent_agreement(ds: Dataset) -> Fraction:
    """Mean over units with >= 2 ratings of sum_k r_ik (r_ik - 1) / (r_i (r_i - 1))."""
    if "p_a" not in ds.memo:  # Fleiss, AC1 and percent agreement share it
        shares = []
        for r_i, counts in unit_counts(ds):
            if r_i >= 2:
                shares.append(Fraction(sum(c * (c - 1) for c in counts.values()), r_i * (r_i - 1)))
        ds.memo["p_a"] = sum(shares, Fraction(0)) / len(shares) if shares else None
    if ds.memo["p_a"] is None:
        raise Undefined("no unit has two or more ratings")
    return ds.memo["p_a"]


def category_shares(ds: Dataset) -> dict:
    """pi_k = mean over units with >= 1 rating of r_ik / r_i (Gwet 2014 for missing data)."""
    if "pi" not in ds.memo:  # Fleiss and AC1 share it
        rated = [(r_i, counts) for r_i, counts in unit_counts(ds) if r_i >= 1]
        pi: dict = {}
        for r_i, counts in rated:
            for k, c in counts.items():
                pi[k] = pi.get(k, Fraction(0)) + Fraction(c, r_i)
        ds.memo["pi"] = {k: v / len(rated) for k, v in pi.items()}
    return ds.memo["pi"]


def fleiss_kappa(ds: Dataset) -> Fraction:
    p_a = percent_agreement(ds)  # raises when no unit has >= 2 ratings
    p_e = sum((p ** 2 for p in category_shares(ds).values()), Fraction(0))
    if p_e == 1:
        raise Undefined("chance agreement is 1 (a single category)")
    return (p_a - p_e) / (1 - p_e)


def gwet_ac1(ds: Dataset) -> Fraction:
    q = len(ds.order) if ds.order_given else len(ds.observed_categories())
    if q < 2:
        raise Undefined("fewer than two categories")
    p_a = percent_agreement(ds)
    # Categories with pi_k = 0 add nothing to the sum, so summing over observed ones is the
    # sum over all q categories.
    p_e = sum((p * (1 - p) for p in category_shares(ds).values()), Fraction(0)) / (q - 1)
    if p_e == 1:
        raise Undefined("chance agreement is 1")
    return (p_a - p_e) / (1 - p_e)


def joint_pairs(ds: Dataset):
    """The two raters' (value1, value2) over units rated by both (listwise deletion)."""
    if len(ds.raters) != 2:
        raise Undefined(f"needs exactly two raters (there are {len(ds.raters)})")
    a, b = ds.raters
    pairs = [(ds.cell[(u, a)], ds.cell[(u, b)]) for u in ds.units
             if (u, a) in ds.cell and (u, b) in ds.cell]
    if not pairs:
        raise Undefined("no unit is rated by both raters")
    return pairs


def marginals(pairs):
    """Each rater's own proportions of each category over the joint units."""
    N = len(pairs)
    count1: dict = {}
    count2: dict = {}
    for x, y in pairs:
        count1[x] = count1.get(x, 0) + 1
        count2[y] = count2.get(y, 0) + 1
    return ({k: Fraction(c, N) for k, c in count1.items()},
            {k: Fraction(c, N) for k, c in count2.items()})


def cohen_kappa(ds: Dataset) -> Fraction:
    pairs = joint_pairs(ds)
    p_o = Fraction(sum(1 for x, y in pairs if x == y), len(pairs))
    p1, p2 = marginals(pairs)
    p_e = sum((p1[k] * p2.get(k, Fraction(0)) for k in p1), Fraction(0))
    if p_e == 1:
        raise Undefined("chance agreement is 1 (a single category)")
    return (p_o - p_e) / (1 - p_e)


def scotts_pi(ds: Dataset) -> Fraction:
    pairs = joint_pairs(ds)
    p_o = Fraction(sum(1 for x, y in pairs if x == y), len(pairs))
    p1, p2 = marginals(pairs)
    cats = set(p1) | set(p2)
    p_e = sum((((p1.get(k, Fraction(0)) + p2.get(k, Fraction(0))) / 2) ** 2 for k in cats), Fraction(0))
    if p_e == 1:
        raise Undefined("chance agreement is 1 (a single category)")
    return (p_o - p_e) / (1 - p_e)


def weighted_kappa(ds: Dataset, power: int) -> Fraction:
    """Cohen (1968): 1 - sum w_ij O_ij / sum w_ij E_ij, w_ij = |i - j|^power on positions."""
    if ds.order is None:
        raise Undefined("the categories have no order")
    pairs = joint_pairs(ds)
    position = {key: i for i, key in enumerate(ds.order)}
    q, N = len(ds.order), len(pairs)
    O = [[0] * q for _ in range(q)]
    for x, y in pairs:
        O[position[x]][position[y]] += 1
    row = [sum(O[i]) for i in range(q)]
    col = [sum(O[i][j] for i in range(q)) for j in range(q)]
    observed = sum((abs(i - j) ** power * O[i][j] for i in range(q) for j in range(q)), 0)
    expected = sum((abs(i - j) ** power * Fraction(row[i] * col[j], N) for i in range(q) for j in range(q)),
                   Fraction(0))
    if expected == 0:
        raise Undefined("the expected disagreement is 0 (a single category)")
    return 1 - Fraction(observed) / expected


EXACT = {
    "krippendorff_alpha_nominal": lambda ds: krippendorff_alpha(ds, "nominal"),
    "krippendorff_alpha_ordinal": lambda ds: krippendorff_alpha(ds, "ordinal"),
    "krippendorff_alpha_interval": lambda ds: krippendorff_alpha(ds, "interval"),
    "krippendorff_alpha_ratio": lambda ds: krippendorff_alpha(ds, "ratio"),
    "fleiss_kappa": fleiss_kappa,
    "cohen_kappa": cohen_kappa,
    "weighted_kappa_linear": lambda ds: weighted_kappa(ds, 1),
    "weighted_kappa_quadratic": lambda ds: weighted_kappa(ds, 2),
    "scotts_pi": scotts_pi,
    "percent_agreement": percent_agreement,
    "gwet_ac1": gwet_ac1,
}


def exact_results(ds: Dataset) -> dict:
    out = {}
    for name in METRICS:
        try:
            f = EXACT[name](ds)
        except Undefined as e:
            out[name] = {"value": None, "undefined": str(e)}
            continue
        out[name] = {"value": float(f), "fraction": f"{f.numerator}/{f.denominator}"}
    return out


# ---------------------------------------------------------------------------------------
# The packages
# ---------------------------------------------------------------------------------------

# Largest units x V^2 for which krippendorff.alpha is called (see kalpha below): 5e7
# float64 cells = 400 MB.
KRIPPENDORFF_MAX_CELLS = 50_000_000


def finite_or_none(x):
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def call(f):
    """A package's value, or None when it raises or returns nan/inf."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with _numpy_quiet():
                return finite_or_none(f())
    except Exception:  # any failure of a package is "no value"
        return None


def call_object(f):
    """Like call() for a step that yields an object (None when it raises)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with _numpy_quiet():
                return f()
    except Exception:
        return None


def _numpy_quiet():
    import numpy as np
    return np.errstate(all="ignore")


def package_results(ds: Dataset) -> dict:
    import numpy as np
    import pandas as pd
    import krippendorff
    from irrCAC.raw import CAC
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

    out: dict = {}
    observed = ds.observed_categories()
    numeric = ds.all_numeric() and bool(ds.cell)

    # Codes for nominal/ordinal: the position in the order, or an arbitrary integer code.
    categories = ds.order if ds.order is not None else observed
    code = {key: float(i) for i, key in enumerate(categories)}
    codes = list(range(len(categories)))

    def matrix(value_of):
        """raters x units (krippendorff's layout), NaN for missing."""
        return np.array([[value_of(ds.cell[(u, r)]) if (u, r) in ds.cell else np.nan for u in ds.units]
                         for r in ds.raters], dtype=float)

    def kalpha(data, level, domain):
        # krippendorff's _coincidences builds a units x V x V float array: with many
        # distinct values (continuous data) that is gigabytes, so such data sets are
        # skipped (null) rather than risking the machine's memory.
        if len(ds.units) * len(domain) ** 2 > KRIPPENDORFF_MAX_CELLS:
            return None
        return call(lambda: krippendorff.alpha(
            reliability_data=data, level_of_measurement=level, value_domain=domain))

    coded = matrix(lambda k: code[k])
    out["krippendorff_alpha_nominal"] = kalpha(coded, "nominal", codes)
    out["krippendorff_alpha_ordinal"] = None
    if ds.order is not None:
        out["krippendorff_alpha_ordinal"] = kalpha(coded, "ordinal", codes)

    out["krippendorff_alpha_interval"] = out["krippendorff_alpha_ratio"] = None
    out["irrcac_krippendorff_alpha_interval"] = out["irrcac_krippendorff_alpha_ratio"] = None
    if numeric:
        num = {k: float(ds.number(k)) for k in observed}
        numbers = matrix(lambda k: num[k])
        domain = sorted(set(num.values()))
        out["krippendorff_alpha_interval"] = kalpha(numbers, "interval", domain)
        nonnegative = all(x >= 0 for x in domain)
        if nonnegative:
            out["krippendorff_alpha_ratio"] = kalpha(numbers, "ratio", domain)
        frame = pd.DataFrame(numbers.T)
        out["irrcac_krippendorff_alpha_interval"] = call(lambda: CAC(
            frame, weights="quadratic", categories=domain, digits=15).krippendorff()["est"]["coefficient_value"])
        if nonnegative:
            out["irrcac_krippendorff_alpha_ratio"] = call(lambda: CAC(
                frame, weights="ratio", categories=domain, digits=15).krippendorff()["est"]["coefficient_value"])

    # irrCAC: units x raters; categories = the whole category list so q is ours.
    frame = pd.DataFrame(coded.T)
    cat_list = [float(c) for c in codes]

    # One CAC object serves all three methods (they only read its ratings); .fleiss()
    # gives both kappa and p_a.
    cac = call_object(lambda: CAC(frame, categories=cat_list, digits=15))
    fleiss = call_object(lambda: cac.fleiss()["est"]) if cac is not None else None
    out["irrcac_fleiss_kappa"] = call(lambda: fleiss["coefficient_value"])
    out["irrcac_percent_agreement"] = call(lambda: fleiss["pa"])
    out["irrcac_gwet_ac1"] = call(lambda: cac.gwet()["est"]["coefficient_value"])
    out["irrcac_krippendorff_alpha_nominal"] = call(lambda: cac.krippendorff()["est"]["coefficient_value"])

    # statsmodels' Fleiss needs the same number of ratings on every (rated) unit.
    out["statsmodels_fleiss_kappa"] = None
    table = []
    for unit in ds.units:
        values = ds.values_of(unit)
        if values:
            table.append([sum(1 for v in values if v == key) for key in categories])
    if table and len({sum(row) for row in table}) == 1 and sum(table[0]) >= 2:
        out["statsmodels_fleiss_kappa"] = call(lambda: sm_fleiss_kappa(np.array(table), method="fleiss"))

    # Two-rater metrics on the jointly rated units.
    for key in ("sklearn_cohen_kappa", "sklearn_weighted_kappa_linear",
                "sklearn_weighted_kappa_quadratic", "irrcac_scotts_pi"):
        out[key] = None
    if len(ds.raters) == 2:
        a, b = ds.raters
        joint = [u for u in ds.units if (u, a) in ds.cell and (u, b) in ds.cell]
        if joint:
            y1 = [int(code[ds.cell[(u, a)]]) for u in joint]
            y2 = [int(code[ds.cell[(u, b)]]) for u in joint]
            out["sklearn_cohen_kappa"] = call(lambda: cohen_kappa_score(y1, y2, labels=codes))
            if ds.order is not None:
                out["sklearn_weighted_kappa_linear"] = call(
                    lambda: cohen_kappa_score(y1, y2, labels=codes, weights="linear"))
                out["sklearn_weighted_kappa_quadratic"] = call(
                    lambda: cohen_kappa_score(y1, y2, labels=codes, weights="quadratic"))
            pair_frame = pd.DataFrame({"a": [float(v) for v in y1], "b": [float(v) for v in y2]})
            out["irrcac_scotts_pi"] = call(lambda: CAC(
                pair_frame, categories=cat_list, digits=15).fleiss()["est"]["coefficient_value"])
    return out


# ---------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------

def evaluate(obj: dict, with_packages: bool = True) -> dict:
    ident = obj.get("id")
    try:
        ds = Dataset(obj.get("ratings") or [], obj.get("order"))
    except InputError as e:
        return {"id": ident, "error": str(e)}
    result = {
        "id": ident,
        "units": len(ds.units),
        "raters": len(ds.raters),
        "ratings": len(ds.cell),
        "pairable_units": sum(1 for u in ds.units if len(ds.values_of(u)) >= 2),
        "exact": exact_results(ds),
    }
    if with_packages:
        result["packages"] = package_results(ds)
    return result


def read_csv(path: str) -> list:
    """Reliability CSV -> [[unit, rater, value|None], ...]; empty value = missing."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:3]] != ["unit", "rater", "value"]:
            raise SystemExit(f"{path}: header must be unit,rater,value")
        rows = []
        for line, rec in enumerate(reader, start=2):
            if not rec:
                continue
            if len(rec) != 3:
                raise SystemExit(f"{path}:{line}: expected 3 fields, found {len(rec)}")
            rows.append([rec[0], rec[1], rec[2] if rec[2] != "" else None])
        return rows


# Which package key measures which of our metrics (for --self-check).
PACKAGE_METRIC = {
    "krippendorff_alpha_nominal": "krippendorff_alpha_nominal",
    "krippendorff_alpha_ordinal": "krippendorff_alpha_ordinal",
    "krippendorff_alpha_interval": "krippendorff_alpha_interval",
    "krippendorff_alpha_ratio": "krippendorff_alpha_ratio",
    "irrcac_krippendorff_alpha_nominal": "krippendorff_alpha_nominal",
    "irrcac_krippendorff_alpha_interval": "krippendorff_alpha_interval",
    "irrcac_krippendorff_alpha_ratio": "krippendorff_alpha_ratio",
    "irrcac_fleiss_kappa": "fleiss_kappa",
    "irrcac_percent_agreement": "percent_agreement",
    "irrcac_gwet_ac1": "gwet_ac1",
    "irrcac_scotts_pi": "scotts_pi",
    "statsmodels_fleiss_kappa": "fleiss_kappa",
    "sklearn_cohen_kappa": "cohen_kappa",
    "sklearn_weighted_kappa_linear": "weighted_kappa_linear",
    "sklearn_weighted_kappa_quadratic": "weighted_kappa_quadratic",
}


def random_datasets(seed: int, count: int):
    """Random reliability data of many shapes, including the undefined cases."""
    import random
    rng = random.Random(seed)
    scales = [
        lambda k: [f"cat{chr(97 + i)}" for i in range(k)],            # words
        lambda k: [str(2 * i - 3) for i in range(k)],                 # integers, some negative
        lambda k: [str(1.5 * i) for i in range(k)],                   # decimals incl. 0.0
        lambda k: [str(i + 1) for i in range(k)],                     # 1..k (ratio without 0)
        lambda k: [["none", "mild", "moderate", "severe", "extreme", "fatal", "x7", "x8"][i] for i in range(k)],
    ]
    for n in range(count):
        units = rng.randint(1, 40)
        raters = rng.choice([1, 2, 2, 3, rng.randint(2, 20)])
        k = rng.randint(1, 7)
        kind = rng.randrange(len(scales))
        labels = scales[kind](k)
        missing = rng.choice([0.0, 0.1, 0.3, 0.6, 0.9])
        agree = rng.random()
        rows = []
        for u in range(units):
            truth = rng.randrange(k)
            for r in range(raters):
                if rng.random() < missing:
                    # Missing: sometimes no row at all, sometimes an explicit null.
                    if rng.random() < 0.5:
                        rows.append([f"u{u}", f"r{r}", None])
                    continue
                value = labels[truth if rng.random() < agree else rng.randrange(k)]
                # Same number, other spelling: must be the same category.
                if kind in (1, 3) and rng.random() < 0.2:
                    value = value + ".0"
                rows.append([f"u{u}", f"r{r}", value])
        rng.shuffle(rows)
        order = None
        if kind in (0, 4) and rng.random() < 0.6:
            # An order, sometimes with categories nobody used.
            order = list(labels) + (["unused"] if rng.random() < 0.3 else [])
            if kind == 0:
                rng.shuffle(order)
        yield {"id": str(n), "ratings": rows, "order": order}


def self_check(seed: int, count: int) -> int:
    """Exact vs packages on random data; prints a table and returns 0."""
    import time
    start = time.time()
    stats = {key: {"compared": 0, "max_error": 0.0, "disagree": 0, "pkg_only": 0, "exact_only": 0, "example": None}
             for key in PACKAGE_METRIC}
    n = 0
    for obj in random_datasets(seed, count):
        result = evaluate(obj)
        n += 1
        for key, metric in PACKAGE_METRIC.items():
            exact = result["exact"][metric]["value"]
            pkg = result["packages"][key]
            s = stats[key]
            if exact is None and pkg is None:
                continue
            if exact is None:
                s["pkg_only"] += 1
                s["example"] = s["example"] or (obj["id"], result["exact"][metric]["undefined"], pkg)
            elif pkg is None:
                s["exact_only"] += 1
            else:
                s["compared"] += 1
                err = abs(exact - pkg)
                s["max_error"] = max(s["max_error"], err)
                if err > 1e-9:
                    s["disagree"] += 1
                    s["example"] = s["example"] or (obj["id"], exact, pkg)
    print(f"{n} random data sets (seed {seed}) in {time.time() - start:.1f} s")
    print(f"{'package key':38} {'compared':>8} {'>1e-9':>6} {'max |err|':>10} {'pkg only':>8} {'exact only':>10}")
    for key, s in stats.items():
        print(f"{key:38} {s['compared']:8d} {s['disagree']:6d} {s['max_error']:10.1e} {s['pkg_only']:8d} {s['exact_only']:10d}"
              + (f"   e.g. {s['example']}" if s["example"] else ""))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", metavar="FILE", help="one reliability CSV (unit,rater,value)")
    parser.add_argument("--order", help="category order, comma-separated (with --csv)")
    parser.add_argument("--no-packages", action="store_true", help="exact values only")
    parser.add_argument("--self-check", type=int, metavar="N", nargs="?", const=400,
                        help="compare exact values with the packages on N random data sets")
    parser.add_argument("--seed", type=int, default=1, help="seed for --self-check")
    args = parser.parse_args(argv)
    with_packages = not args.no_packages

    if args.self_check:
        return self_check(args.seed, args.self_check)

    if args.csv:
        order = args.order.split(",") if args.order is not None else None
        result = evaluate({"id": args.csv, "ratings": read_csv(args.csv), "order": order}, with_packages)
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0

    for line in sys.stdin:
        if not line.strip():
            continue
        result = evaluate(json.loads(line), with_packages)
        sys.stdout.write(json.dumps(result, allow_nan=False) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
