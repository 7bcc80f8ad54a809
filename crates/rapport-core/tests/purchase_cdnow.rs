//! The purchase models against lifetimes 0.11.3 and the published CDNOW
//! figures (fixtures and their provenance: tests/fixtures/purchase/).
//!
//! Reference values come from `tests/fixtures/purchase/gen_reference.py`,
//! run as `/tmp/pyref/bin/python gen_reference.py` (lifetimes 0.11.3, numpy
//! 2.4.6, pandas 3.1.1, scipy 1.17.1). Its per-customer part, pasted below:
//!
//! ```python
//! bgf = BetaGeoFitter().fit(d["frequency"], d["recency"], d["T"])      # cdnow_customers_summary.csv
//! ggf = GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])  # ..._with_transactions.csv, x > 0
//! out = pd.DataFrame({"x": f, "t_x": r, "T": T, "m": mv,
//!     "p_alive": bgf.conditional_probability_alive(f, r, T),
//!     "e39": bgf.conditional_expected_number_of_purchases_up_to_time(39, f, r, T),
//!     "e156": bgf.conditional_expected_number_of_purchases_up_to_time(156, f, r, T),
//!     "spend": ggf.conditional_expected_average_profit(f, mv),
//!     "clv": ggf.customer_lifetime_value(bgf, f, r, T, mv, time=12, discount_rate=0.01, freq="W")})
//! print("new", [float(bgf.expected_number_of_purchases_up_to_time(t)) for t in (1, 39, 156)])
//! ```

use chrono::NaiveDate;
use rapport_core::model::purchase::{
    calibration_and_holdout, summarize, BgNbd, GammaGamma, Period, PurchaseError, Summary,
};
use std::collections::BTreeMap;

/// lifetimes' fits on this machine.
const LT_BG: BgNbd =
    BgNbd { r: 0.24259292827982148, alpha: 4.413532265271809, a: 0.7928859664406578, b: 2.4257523826257374 };
const LT_GG: GammaGamma = GammaGamma { p: 6.24880249607099, q: 3.7445884609237634, v: 15.447748064943575 };
/// lifetimes' mean log-likelihood per customer at LT_BG, in weeks.
const LT_MEAN_LL: f64 = -4.065517844958578;

/// x, tₓ, T, mean spend; then lifetimes' P(alive), expected purchases in 39
/// and 156 weeks, expected spend, and 12-month value at 1% a month. Twenty
/// CDNOW customers (ids 3, 2, 1, 9, 18, 37, 60, 100, 157, 226, 302, 372,
/// 475, 610, 769, 1026, 1140, 1547, 1981, 2241), then five made-up young
/// customers whose t/(α+T+t) nears 1.
const CUSTOMERS: [[f64; 9]; 25] = [
    [0.0, 0.0, 38.86, 0.0, 1.0, 0.19478085793947836, 0.625103885062753, 35.17100215250688, 8.34409312180974],
    [
        1.0,
        1.71,
        38.86,
        11.77,
        0.21222738807220765,
        0.20325062425618798,
        0.610088651641629,
        18.911479869933782,
        4.637466328570688,
    ],
    [
        2.0,
        30.43,
        38.86,
        22.35,
        0.7266091367990596,
        1.2259104241744068,
        3.5518031000948955,
        24.65861618923827,
        36.278495763627944,
    ],
    [
        2.0,
        35.71,
        38.86,
        25.55,
        0.7848075681725668,
        1.3241008543218766,
        3.836288057005433,
        27.282407581074363,
        43.353642396863286,
    ],
    [
        1.0,
        4.86,
        38.86,
        9.99,
        0.31091528096614635,
        0.2977642307205725,
        0.8937860766343513,
        17.674697381971846,
        6.349622110039966,
    ],
    [0.0, 0.0, 38.71, 0.0, 1.0, 0.19539146745496752, 0.6267816471572678, 35.17100215250688, 8.369658656591797],
    [0.0, 0.0, 38.43, 0.0, 1.0, 0.19654168279818973, 0.6299390751169894, 35.17100215250688, 8.417809061499742],
    [
        1.0,
        23.86,
        38.29,
        26.22,
        0.6469884214257856,
        0.6267951461314679,
        1.8774355272912946,
        28.95165231434389,
        21.886299408211777,
    ],
    [
        29.0,
        37.71,
        38.0,
        26.26,
        0.9691335940044058,
        20.05366531949664,
        52.86472514290509,
        26.39294766353069,
        625.3500337089746,
    ],
    [
        2.0,
        11.43,
        37.43,
        20.35,
        0.32859309560127664,
        0.5704225098074291,
        1.6430923823667098,
        23.018746569340713,
        15.742676760577824,
    ],
    [
        3.0,
        34.43,
        37.0,
        20.08,
        0.8193242379108675,
        2.040872702719808,
        5.74229597462141,
        22.00725318405775,
        53.65080121682742,
    ],
    [0.0, 0.0, 36.57, 0.0, 1.0, 0.20454418165079852, 0.6517997713781724, 35.17100215250688, 8.752530381338993],
    [0.0, 0.0, 36.14, 0.0, 1.0, 0.20648891064657396, 0.6570845661180703, 35.17100215250688, 8.833799681339443],
    [0.0, 0.0, 35.43, 0.0, 1.0, 0.2097831628676099, 0.6660125130390057, 35.17100215250688, 8.971400613867575],
    [0.0, 0.0, 34.57, 0.0, 1.0, 0.21391865317080846, 0.6771779567700605, 35.17100215250688, 9.144026688733728],
    [0.0, 0.0, 33.43, 0.0, 1.0, 0.21966189420007087, 0.6926075210315912, 35.17100215250688, 9.383557888014382],
    [0.0, 0.0, 32.86, 0.0, 1.0, 0.22265223850589166, 0.7006066803105163, 35.17100215250688, 9.508181209559421],
    [
        6.0,
        29.29,
        30.86,
        67.14,
        0.8757519713032158,
        4.652850333367331,
        12.303447508317193,
        64.95939849234702,
        357.24346840257397,
    ],
    [
        17.0,
        28.43,
        28.86,
        48.23,
        0.9489011951823664,
        14.117705286097268,
        35.828672314308946,
        47.90110045641635,
        793.4397393068784,
    ],
    [0.0, 0.0, 27.57, 0.0, 1.0, 0.2549236813051531, 0.7855158985055142, 35.17100215250688, 10.849174291813718],
    [0.0, 0.0, 0.2, 0.0, 1.0, 1.1597551636029786, 2.6898616266757642, 35.17100215250688, 46.84496610716709],
    [
        1.0,
        0.5,
        1.0,
        25.0,
        0.7306257199111501,
        3.3279741419671174,
        7.073348130915342,
        28.10396993495425,
        105.82363579123314,
    ],
    [
        3.0,
        2.5,
        3.0,
        12.5,
        0.8165427819169375,
        7.0663052906105515,
        14.708430154289873,
        15.395285590887077,
        122.67706509617273,
    ],
    [
        12.0,
        9.0,
        9.5,
        80.0,
        0.9153822790796817,
        18.157683690820985,
        39.6589675451151,
        78.41712589109102,
        1622.1342966309842,
    ],
    [
        40.0,
        60.0,
        61.0,
        33.3,
        0.965644207907681,
        19.224814397862758,
        54.783562167932516,
        33.320321322580845,
        767.1830735875128,
    ],
];
/// lifetimes' `expected_number_of_purchases_up_to_time` at t = 1, 39, 156.
const NEW_CUSTOMER: [(f64, f64); 3] =
    [(1.0, 0.0531847368956294), (39.0, 1.195016228446194), (156.0, 2.754868240370715)];

fn rel(x: f64, y: f64) -> f64 {
    (x - y).abs() / y.abs()
}

fn rows(csv: &str) -> impl Iterator<Item = Vec<f64>> + '_ {
    csv.lines().skip(1).filter(|l| !l.is_empty()).map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
}

/// cdnow_customers_summary_with_transactions.csv: ID, x, t_x, T, zbar.
fn cdnow() -> Vec<Summary> {
    rows(include_str!("fixtures/purchase/cdnow_customers_summary_with_transactions.csv"))
        .map(|v| Summary { frequency: v[1], recency: v[2], t: v[3], monetary: v[4] })
        .collect()
}

#[test]
fn bgnbd_fit_matches_the_published_and_lifetimes_parameters() {
    let customers: Vec<Summary> = rows(include_str!("fixtures/purchase/cdnow_customers_summary.csv"))
        .map(|v| Summary { frequency: v[1], recency: v[2], t: v[3], monetary: 0.0 })
        .collect();
    assert_eq!(customers.len(), 2357);
    let fit = BgNbd::fit(&customers).unwrap();
    let ours = [fit.r, fit.alpha, fit.a, fit.b];
    for (v, published) in ours.iter().zip([0.243, 4.414, 0.793, 2.426]) {
        assert!(rel(*v, published) < 0.005, "{ours:?}");
    }
    for (v, lifetimes) in ours.iter().zip([LT_BG.r, LT_BG.alpha, LT_BG.a, LT_BG.b]) {
        assert!(rel(*v, lifetimes) < 1e-5, "{ours:?}");
    }
    let mean_ll = customers.iter().map(|s| LT_BG.log_likelihood(s)).sum::<f64>() / customers.len() as f64;
    assert!((mean_ll - LT_MEAN_LL).abs() < 1e-12, "{mean_ll}");
    let ours_ll = customers.iter().map(|s| fit.log_likelihood(s)).sum::<f64>() / customers.len() as f64;
    assert!(ours_ll >= mean_ll - 1e-12, "our optimum {ours_ll} is below lifetimes' {mean_ll}");
    // Where the likelihood settles, the regularized fit is the same fit.
    assert_eq!(BgNbd::fit_regularized(&customers).unwrap(), (fit, 0.0));
}

#[test]
fn gamma_gamma_fit_matches_the_published_and_lifetimes_parameters() {
    let fit = GammaGamma::fit(&cdnow()).unwrap();
    let ours = [fit.p, fit.q, fit.v];
    for (v, published) in ours.iter().zip([6.25, 3.74, 15.44]) {
        assert!(rel(*v, published) < 0.005, "{ours:?}");
    }
    for (v, lifetimes) in ours.iter().zip([LT_GG.p, LT_GG.q, LT_GG.v]) {
        assert!(rel(*v, lifetimes) < 1e-5, "{ours:?}");
    }
}

#[test]
fn scores_equal_lifetimes_at_its_parameters() {
    let mut worst = [0.0f64; 5];
    for c in CUSTOMERS {
        let s = Summary { frequency: c[0], recency: c[1], t: c[2], monetary: c[3] };
        let ours = [
            LT_BG.p_alive(&s),
            LT_BG.expected_purchases(&s, 39.0),
            LT_BG.expected_purchases(&s, 156.0),
            LT_GG.expected_spend(&s),
            LT_GG.clv(&LT_BG, &s, 12, 0.01, Period::Week),
        ];
        for (i, (v, lifetimes)) in ours.iter().zip(&c[4..]).enumerate() {
            let err = rel(*v, *lifetimes);
            assert!(err < 1e-10, "customer {c:?} figure {i}: ours {v}, lifetimes {lifetimes}");
            worst[i] = worst[i].max(err);
        }
    }
    for (t, lifetimes) in NEW_CUSTOMER {
        assert!(rel(LT_BG.expected_purchases_new(t), lifetimes) < 1e-12);
    }
    eprintln!("worst relative differences (p_alive, e39, e156, spend, clv): {worst:?}");
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y%m%d").unwrap()
}

/// CDNOW_sample.txt: customer, index, yyyymmdd, CDs, dollars.
fn transactions() -> BTreeMap<u32, Vec<(NaiveDate, f64)>> {
    let mut by_customer: BTreeMap<u32, Vec<(NaiveDate, f64)>> = BTreeMap::new();
    for line in include_str!("fixtures/purchase/CDNOW_sample.txt").lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        by_customer.entry(f[0].parse().unwrap()).or_default().push((date(f[2]), f[4].parse().unwrap()));
    }
    by_customer
}

#[test]
fn summaries_from_transactions_equal_lifetimes() {
    let purchases = transactions();
    let mut summaries = Vec::new();
    for v in rows(include_str!("fixtures/purchase/cdnow_sample_summary.csv")) {
        let s = summarize(&purchases[&(v[0] as u32)], date("19970930"), Period::Week).unwrap().unwrap();
        assert_eq!((s.frequency, s.recency, s.t), (v[1], v[2], v[3]), "customer {}", v[0]);
        assert!((s.monetary - v[4]).abs() <= 1e-9 * v[4].max(1.0), "customer {}: {} {}", v[0], s.monetary, v[4]);
        summaries.push(s);
    }
    assert_eq!(summaries.len(), purchases.len());
    // The same fits as lifetimes on these whole-week summaries.
    let bg = BgNbd::fit(&summaries).unwrap();
    let lt = [0.29093631940289605, 6.8520939067894036, 0.6652493616032603, 2.3203235036756706];
    for (v, l) in [bg.r, bg.alpha, bg.a, bg.b].iter().zip(lt) {
        assert!(rel(*v, l) < 1e-4, "{bg:?}");
    }
    let gg = GammaGamma::fit(&summaries).unwrap();
    for (v, l) in [gg.p, gg.q, gg.v].iter().zip([6.587852830753215, 3.353388847490923, 13.3989698983353]) {
        assert!(rel(*v, l) < 1e-4, "{gg:?}");
    }
}

#[test]
fn calibration_and_holdout_equal_lifetimes() {
    let purchases = transactions();
    let (calibration, observation) = (date("19970930"), date("19980630"));
    for v in rows(include_str!("fixtures/purchase/cdnow_sample_holdout.csv")) {
        let (s, h) = calibration_and_holdout(&purchases[&(v[0] as u32)], calibration, observation, Period::Week)
            .unwrap()
            .unwrap();
        assert_eq!((s.frequency, s.recency, s.t), (v[1], v[2], v[3]), "customer {}", v[0]);
        assert!((s.monetary - v[4]).abs() <= 1e-9 * v[4].max(1.0));
        assert_eq!((h.frequency, h.duration), (v[5], v[7]), "customer {}", v[0]);
        assert!((h.monetary - v[6]).abs() <= 1e-9 * v[6].max(1.0), "customer {}", v[0]);
    }
}

#[test]
fn refusals_are_typed_and_readable() {
    let few: Vec<Summary> = cdnow().into_iter().take(40).collect();
    let err = BgNbd::fit(&few).unwrap_err();
    assert!(matches!(err, PurchaseError::TooFewCustomers { customers: 40, .. }));
    let free: Vec<Summary> = cdnow().into_iter().map(|s| Summary { monetary: 0.0, ..s }).collect();
    assert_eq!(GammaGamma::fit(&free), Err(PurchaseError::AllZeroSpend));
    let refund = [(date("19970101"), 20.0), (date("19970301"), -5.0)];
    let err = summarize(&refund, date("19970930"), Period::Week).unwrap_err();
    assert_eq!(
        err.to_string(),
        "purchase 1 has amount -5: amounts must be finite and zero or more (take refunds off their orders first)"
    );
}
