#!/usr/bin/env python3
# The Python peer of `rapport bench model`: lifetimes (0.11.3 from PyPI) on
# the same CDNOW files as Rapport's purchase models, in the same run.
# Embedded in the `rapport` binary, written to a temporary directory and run
# with $RAPPORT_PYTHON (or python3).
#
# Usage: model_lifetimes.py INPUT.json
#   INPUT: {"sample": PATH, "master": PATH, "calibration_end": "YYYY-MM-DD",
#           "rounds": N, "horizon": WEEKS, "months": M, "discount": RATE}
#   sample: CSV with a header, columns ID, x, t_x, T, zbar (the published
#           2,357-customer summary); master: whitespace-separated with a
#           header, customer_id, date (YYYYMMDD), number_of_cds, dollar_value.
# Prints JSON on stdout:
#   {"version", "python", "numpy", "pandas", "scipy",
#    "sample": SIDE, "master": SIDE + {"summary_seconds"}}
#   SIDE: {"customers", "repeat_buyers", "bgnbd": {r, alpha, a, b},
#          "gamma_gamma": {p, q, v}, "seconds": {"fit_bgnbd",
#          "fit_gamma_gamma", "score"}, "sums": {"p_alive", "expected",
#          "clv"}}
# Timing: each step runs `rounds` times, one thread, and the best round is
# kept (the machine may be busy), as Rapport does. Reading the files is not
# timed on either side. Scoring is what a refit computes per customer:
# P(alive), expected purchases over `horizon` weeks, and lifetime value over
# `months` months at `discount` a month (lifetimes' customer_lifetime_value,
# which also computes the expected spend).
# Gamma-Gamma is fitted on repeat buyers with a positive mean spend: the
# master log has $0 orders, which lifetimes refuses outright, and Rapport
# leaves those customers out of the spend fit.
# Exit code 3 when the lifetimes module cannot be imported.

import json
import platform
import sys
import time
import warnings

try:
    import numpy as np
    import pandas as pd
    import scipy
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data
except ImportError:
    sys.exit(3)

try:
    from importlib.metadata import version

    VERSION = version("lifetimes")
except Exception:  # noqa: BLE001 - the version is informative only
    VERSION = None

# lifetimes 0.11.3 warns about pandas and numpy deprecations on every call.
warnings.filterwarnings("ignore")


def best(rounds, step):
    """The best time of `rounds` runs of step(), and its last result."""
    fastest, result = float("inf"), None
    for _ in range(rounds):
        start = time.perf_counter()
        result = step()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest, result


def side(summary, spec):
    rounds = int(spec["rounds"])
    f, r, t, m = summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"]
    fit_bg, bgf = best(rounds, lambda: BetaGeoFitter().fit(f, r, t))
    spenders = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    fit_gg, ggf = best(
        rounds, lambda: GammaGammaFitter().fit(spenders["frequency"], spenders["monetary_value"])
    )

    def score():
        p_alive = bgf.conditional_probability_alive(f, r, t)
        expected = bgf.conditional_expected_number_of_purchases_up_to_time(float(spec["horizon"]), f, r, t)
        clv = ggf.customer_lifetime_value(
            bgf, f, r, t, m, time=int(spec["months"]), discount_rate=float(spec["discount"]), freq="W"
        )
        return p_alive, expected, clv

    score_seconds, (p_alive, expected, clv) = best(rounds, score)
    bg = bgf.params_
    gg = ggf.params_
    return {
        "customers": int(len(summary)),
        "repeat_buyers": int((summary["frequency"] > 0).sum()),
        "bgnbd": {"r": float(bg["r"]), "alpha": float(bg["alpha"]), "a": float(bg["a"]), "b": float(bg["b"])},
        "gamma_gamma": {"p": float(gg["p"]), "q": float(gg["q"]), "v": float(gg["v"])},
        "seconds": {"fit_bgnbd": fit_bg, "fit_gamma_gamma": fit_gg, "score": score_seconds},
        "sums": {
            "p_alive": float(np.sum(p_alive)),
            "expected": float(np.sum(expected)),
            "clv": float(np.sum(clv)),
        },
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    rounds = int(spec["rounds"])

    sample = pd.read_csv(spec["sample"])
    sample = sample.iloc[:, 1:5]
    sample.columns = ["frequency", "recency", "T", "monetary_value"]

    tx = pd.read_csv(spec["master"], sep=r"\s+")
    tx.columns = ["customer_id", "date", "number_of_cds", "dollar_value"]
    tx["date"] = pd.to_datetime(tx["date"].astype(str), format="%Y%m%d")
    # Transactions through the calibration end only: lifetimes would also
    # count those later in the end's own week (1-5 October 1997), which its
    # calibration_and_holdout_data leaves out, as Rapport does.
    tx = tx[tx["date"] <= pd.Timestamp(spec["calibration_end"])]
    summary_seconds, master = best(
        rounds,
        lambda: summary_data_from_transaction_data(
            tx,
            "customer_id",
            "date",
            monetary_value_col="dollar_value",
            observation_period_end=spec["calibration_end"],
            freq="W",
        ),
    )
    out_master = side(master, spec)
    out_master["summary_seconds"] = summary_seconds
    json.dump(
        {
            "version": VERSION,
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "scipy": scipy.__version__,
            "sample": side(sample, spec),
            "master": out_master,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
