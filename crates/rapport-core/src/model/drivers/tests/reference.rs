//! Reference values from the Python packages practitioners use, on data
//! generated for the purpose (`tests/fixtures/drivers/*.csv`: integer
//! answers 0–10 from an integer LCG, so the data are exact decimals).
//!
//! LMG: `pingouin.linear_regression(X, y, relimp=True)` (column `relimp`)
//! and the general dominance of `dominance_analysis.Dominance`. Relative
//! weights: `relativeImp.relativeImp(df, outcomeName, driverNames)`
//! (`rawRelaImpt`; its `normRelaImpt` is the share in percent). Figures
//! below are from the first environment; the second gave the same to 1e-15.
//!
//! - /tmp/pyref: Python 3.11.7, numpy 2.4.6, pandas 3.1.1, relativeImp 0.0.2,
//!   pingouin 0.7.0. dominance-analysis 1.1.9 is installed but cannot load:
//!   its bokeh 2.4.3 uses `np.bool8`, gone in numpy 1.24.
//! - /tmp/pyref_drivers, for dominance-analysis: `python -m venv`, then
//!   `pip install numpy==1.23.5 pandas==1.5.3 scipy==1.10.1
//!   scikit-learn==1.2.2 statsmodels==0.13.5 bokeh==2.4.3 ipython==7.34.0
//!   dominance-analysis==1.1.9 relativeImp==0.0.2 pingouin==0.5.3`
//!   (IPython 8 breaks bokeh 2.4's notebook set-up, which dominance-analysis
//!   runs on import).
//!
//! The references agree with each other: pingouin 0.5.3 (which solves each
//! subset on the covariance matrix), pingouin 0.7.0 (on the correlation
//! matrix) and dominance-analysis (sklearn fits on the raw data) give the
//! same LMG to 1e-15. Relative weights differ from LMG by design (x1 of p4:
//! 0.3425 against 0.3515). One trap: on data with blanks `relativeImp`
//! correlates pairwise (`df.corr()`), so the script drops incomplete rows
//! first, as Rapport does; pairwise, x1 of p3_blanks would be 0.097343
//! instead of 0.094410.
//!
//! Run from crates/rapport-core as
//! `OUTDATED_IGNORE=1 /tmp/pyref/bin/python reference.py tests/fixtures/drivers`
//! (and again with /tmp/pyref_drivers/bin/python for dominance-analysis):
//!
//! ```text
//! # Key-driver reference values for rapport-core's model::drivers tests.
//! # Run from crates/rapport-core: python reference.py tests/fixtures/drivers
//! # (writes the CSV fixtures, prints the reference figures). Set OUTDATED_IGNORE=1:
//! # pingouin 0.5 otherwise asks PyPI for a newer version.
//! import contextlib, io, sys
//! from importlib.metadata import version
//! import numpy as np, pandas as pd
//!
//! M = 2**31
//!
//! def lcg(seed):
//!     # glibc's constants; integers only, so every value is exact.
//!     while True:
//!         seed = (1103515245 * seed + 12345) % M
//!         yield seed
//!
//! def dataset(seed, n, loads, effects, blanks=()):
//!     # Drivers 0-10: a common "overall impression" g plus the driver's own
//!     # draw, load percent on g. Outcome 0-10: 70% the effect-weighted drivers,
//!     # 30% noise. Integer division throughout.
//!     u, b = lcg(seed), sum(effects)
//!     rows = []
//!     for i in range(n):
//!         g = next(u)
//!         d = [(a * g + (100 - a) * next(u)) * 11 // (100 * M) for a in loads]
//!         y = (7 * sum(e * x for e, x in zip(effects, d)) * M + 3 * b * 11 * next(u)) // (10 * b * M)
//!         row = [str(y)] + [str(x) for x in d]
//!         for every, col in blanks:
//!             if i % every == every - 1:
//!                 row[col] = ""
//!         rows.append(row)
//!     return rows
//!
//! SETS = {
//!     "p4": dataset(20240501, 200, [60, 40, 30, 50], [4, 2, 1, 0]),
//!     "p6": dataset(7, 200, [70, 60, 50, 40, 30, 20], [3, 0, 2, 1, 0, 4]),
//!     "p3_blanks": dataset(99, 150, [50, 50, 20], [1, 1, 2], blanks=[(13, 1), (17, 0)]),
//! }
//!
//! def relimp_rw(df, names):
//!     import relativeImp
//!     return relativeImp.relativeImp(df, outcomeName="y", driverNames=names)["rawRelaImpt"].tolist()
//!
//! def pingouin_lmg(df, names):
//!     import pingouin
//!     lm = pingouin.linear_regression(df[names], df["y"], relimp=True)
//!     return lm.set_index("names").loc[names, "relimp"].tolist(), float(lm["r2"].iloc[0])
//!
//! def dominance_general(df, names):
//!     from dominance_analysis import Dominance
//!     with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
//!         d = Dominance(data=df[["y"] + names].copy(), target="y", objective=1)
//!         inc = d.incremental_rsquare()
//!     return [inc[c] for c in names]
//!
//! out_dir = sys.argv[1] if len(sys.argv) > 1 else "."
//! for pkg in ["numpy", "pandas", "relativeImp", "pingouin", "dominance-analysis"]:
//!     try:
//!         print(f"# {pkg} {version(pkg)}")
//!     except Exception:
//!         print(f"# {pkg} not installed")
//! for key, rows in SETS.items():
//!     p = len(rows[0]) - 1
//!     names = [f"x{j + 1}" for j in range(p)]
//!     with open(f"{out_dir}/{key}.csv", "w") as f:
//!         f.write(",".join(["y"] + names) + "\n")
//!         f.writelines(",".join(r) + "\n" for r in rows)
//!     df = pd.read_csv(f"{out_dir}/{key}.csv").dropna().astype(float)  # listwise, as Rapport
//!     print(f"{key}: n = {len(df)}")
//!     for label, f in [("relativeImp RW", relimp_rw), ("pingouin LMG", pingouin_lmg), ("dominance general", dominance_general)]:
//!         try:
//!             got = f(df, names)
//!         except Exception as e:  # an old package that cannot load here
//!             print(f"  {label}: skipped ({type(e).__name__}: {e})")
//!             continue
//!         print(f"  {label}: {got!r}")
//! ```
//!
//! Output (first environment; the dominance lines from the second):
//!
//! ```text
//! p4: n = 200
//!   relativeImp RW: [0.34249455641733745, 0.20183998324273103, 0.05601545356542743, 0.06814374067784687]
//!   pingouin LMG: ([0.35154666266343226, 0.19518859464436575, 0.05274000266816453, 0.06901847392738096], 0.6684937339033439)
//!   dominance general: [0.35154666266343265, 0.19518859464436555, 0.05274000266816468, 0.0690184739273811]
//! p6: n = 200
//!   relativeImp RW: [0.08516060345651992, 0.06015326890671578, 0.09693189992841271, 0.08292046725374938, 0.0069658111973085225, 0.3019118542796811]
//!   pingouin LMG: ([0.09357902916240246, 0.05954266394044446, 0.0969374135552245, 0.08282355908898584, 0.006783103812487503, 0.2943781354628414], 0.6340439050223872)
//!   dominance general: [0.09357902916240236, 0.059542663940444475, 0.09693741355522444, 0.08282355908898609, 0.006783103812487635, 0.29437813546284214]
//! p3_blanks: n = 131
//!   relativeImp RW: [0.09441008334151664, 0.20661759678486344, 0.26738743791973474]
//!   pingouin LMG: ([0.09719371158881022, 0.2068393674474717, 0.26438203900983154], 0.5684151180461143)
//!   dominance general: [0.09719371158881007, 0.2068393674474721, 0.26438203900983215]
//! ```

use super::super::{analyze, DriverReport};
use super::{all_close, csv, quick};

/// Raw parts are compared absolutely; shares against the reference's raw
/// parts over its R². Both agree far inside this (about 1e-14).
const TOL: f64 = 1e-9;

struct Reference {
    fixture: &'static str,
    n: usize,
    dropped: usize,
    r2: f64,
    lmg: &'static [f64],
    dominance: &'static [f64],
    rw: &'static [f64],
}

const REFERENCES: [Reference; 3] = [
    Reference {
        fixture: include_str!("../../../../tests/fixtures/drivers/p4.csv"),
        n: 200,
        dropped: 0,
        r2: 0.6684937339033439,
        lmg: &[0.35154666266343226, 0.19518859464436575, 0.05274000266816453, 0.06901847392738096],
        dominance: &[0.35154666266343265, 0.19518859464436555, 0.05274000266816468, 0.0690184739273811],
        rw: &[0.34249455641733745, 0.20183998324273103, 0.05601545356542743, 0.06814374067784687],
    },
    Reference {
        fixture: include_str!("../../../../tests/fixtures/drivers/p6.csv"),
        n: 200,
        dropped: 0,
        r2: 0.6340439050223872,
        lmg: &[
            0.09357902916240246,
            0.05954266394044446,
            0.0969374135552245,
            0.08282355908898584,
            0.006783103812487503,
            0.2943781354628414,
        ],
        dominance: &[
            0.09357902916240236,
            0.059542663940444475,
            0.09693741355522444,
            0.08282355908898609,
            0.006783103812487635,
            0.29437813546284214,
        ],
        rw: &[
            0.08516060345651992,
            0.06015326890671578,
            0.09693189992841271,
            0.08292046725374938,
            0.0069658111973085225,
            0.3019118542796811,
        ],
    },
    Reference {
        fixture: include_str!("../../../../tests/fixtures/drivers/p3_blanks.csv"),
        n: 131,
        dropped: 19,
        r2: 0.5684151180461143,
        lmg: &[0.09719371158881022, 0.2068393674474717, 0.26438203900983154],
        dominance: &[0.09719371158881007, 0.2068393674474721, 0.26438203900983215],
        rw: &[0.09441008334151664, 0.20661759678486344, 0.26738743791973474],
    },
];

fn pick(report: &DriverReport, f: fn(&super::super::DriverResult) -> f64) -> Vec<f64> {
    report.drivers.iter().map(f).collect()
}

#[test]
fn matches_pingouin_dominance_analysis_and_relative_imp() {
    for r in &REFERENCES {
        let report = analyze(&csv(r.fixture), &quick()).unwrap();
        assert_eq!((report.n, report.dropped), (r.n, r.dropped));
        all_close(&[report.r2], &[r.r2], TOL);
        all_close(&pick(&report, |d| d.lmg.raw), r.lmg, TOL);
        all_close(&pick(&report, |d| d.lmg.raw), r.dominance, TOL);
        all_close(&pick(&report, |d| d.relative_weight.raw), r.rw, TOL);
        let shares = |raw: &[f64]| raw.iter().map(|x| x / r.r2).collect::<Vec<_>>();
        all_close(&pick(&report, |d| d.lmg.share), &shares(r.lmg), TOL);
        all_close(&pick(&report, |d| d.relative_weight.share), &shares(r.rw), TOL);
    }
}
