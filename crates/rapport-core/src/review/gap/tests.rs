use super::*;
use crate::experience::Period;

fn crit(metric: Metric, scope: Scope, comparator: Comparator, threshold: f64) -> Criterion {
    Criterion { metric, scope, comparator, threshold, margin: 0.0, behaviour_id: None }
}

fn target(metric: Metric, comparator: Comparator, threshold: f64, margin: f64) -> GapTarget {
    GapTarget { source: GapSource::Touchpoint, criterion_index: Some(0), metric, comparator, threshold, margin }
}

fn input(tp: Id, t: GapTarget, value: Option<f64>, n: i64, stated: Option<f64>, rel: Option<f64>) -> GapInput {
    GapInput { touchpoint_id: tp, target: t, value, n, stated, derived_share: rel, derived_relative: rel }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn targets_apply_by_scope_and_the_goal_closes_the_list() {
    let criteria = vec![
        crit(Metric::Csat, Scope::Touchpoint(7), Comparator::AtLeast, 85.0),
        crit(Metric::Csat, Scope::Touchpoint(8), Comparator::AtLeast, 90.0),
        crit(Metric::Nps, Scope::Experience(3), Comparator::AtLeast, 30.0),
        crit(Metric::Nps, Scope::Experience(4), Comparator::AtLeast, 50.0),
        crit(Metric::Ces, Scope::Organization, Comparator::AtLeast, 5.0),
    ];
    let goal = Goal { metric: Metric::ChurnRate, target: 5.0, period: Period::Quarter, behaviour_id: None };
    let t = targets_at(&criteria, &goal, 3, 7);
    let got: Vec<(GapSource, Option<i64>, Metric)> =
        t.iter().map(|t| (t.source, t.criterion_index, t.metric)).collect();
    assert_eq!(
        got,
        vec![
            (GapSource::Touchpoint, Some(0), Metric::Csat),
            (GapSource::Experience, Some(2), Metric::Nps),
            (GapSource::Organization, Some(4), Metric::Ces),
            (GapSource::Goal, None, Metric::ChurnRate),
        ]
    );
    assert_eq!(t[3].comparator, Comparator::AtMost, "churn: lower is better");
}

#[test]
fn the_strictest_target_of_a_metric_binds() {
    let org = GapTarget { source: GapSource::Organization, ..target(Metric::Nps, Comparator::AtLeast, 20.0, 0.0) };
    let tp = GapTarget { source: GapSource::Touchpoint, ..target(Metric::Nps, Comparator::AtLeast, 40.0, 0.0) };
    let goal = GapTarget { source: GapSource::Goal, ..target(Metric::Nps, Comparator::AtLeast, 30.0, 0.0) };
    let all = [org.clone(), goal.clone(), tp.clone()];
    assert_eq!(binding(&all, |_| Some(25.0)), vec![tp.clone()], "40 is the strictest at 25");
    // Without a value, the most specific scope.
    assert_eq!(binding(&all, |_| None), vec![tp.clone()]);
    let same = GapTarget { source: GapSource::Goal, ..org.clone() };
    assert_eq!(binding(&[same, org.clone()], |_| Some(10.0)), vec![org], "a tie keeps the more specific");
}

#[test]
fn stated_importance_per_segment_or_mean_for_everyone() {
    let imp = vec![Importance { segment_id: 1, importance: 5 }, Importance { segment_id: 2, importance: 2 }];
    assert_eq!(stated_importance(&imp, Some(1)), Some(5.0));
    assert_eq!(stated_importance(&imp, Some(9)), None);
    assert_eq!(stated_importance(&imp, None), Some(3.5));
    assert_eq!(stated_importance(&[], None), None);
}

#[test]
fn derived_shares_relative_to_the_strongest() {
    let shares = BTreeMap::from([(1, 0.6), (2, 0.3), (3, 0.1)]);
    let r = relative_shares(&shares);
    assert!(close(r[&1], 1.0) && close(r[&2], 0.5) && close(r[&3], 1.0 / 6.0), "{r:?}");
    assert!(relative_shares(&BTreeMap::from([(1, 0.0)])).is_empty(), "nothing explained: no weight");
}

#[test]
fn weights_combine_by_mean() {
    assert_eq!(weight(Some(4.0), None), (0.8, GapBasis::Stated));
    assert_eq!(weight(None, Some(0.5)), (0.5, GapBasis::Derived));
    let (w, b) = weight(Some(4.0), Some(0.5));
    assert!(close(w, 0.65) && b == GapBasis::Both);
    assert_eq!(weight(None, None), (DEFAULT_WEIGHT, GapBasis::Default));
}

/// Figures checked by hand:
/// - CSAT ≥ 85 at 70: shortfall 15 of a 0–100 range → gap 15; stated 4
///   (0.8) and derived 0.5 → weight 0.65 → weighted 9.75.
/// - NPS ≥ 30 at 10: shortfall 20 of 200 → gap 10; stated 5 → weight 1 →
///   weighted 10 (ranks above the CSAT gap though its gap is smaller).
/// - Churn ≤ 5 at 8: shortfall 3 of 100 → gap 3; no importance → 0.6 → 1.8.
/// - CES ≥ 5 at 5.2 with margin 0.5: at risk, gap 0. CSAT ≥ 80 at 90: met.
/// - 12 answers: not enough data, apart.
#[test]
fn gaps_are_figured_and_ranked() {
    let gaps = vec![
        assess(&input(1, target(Metric::Csat, Comparator::AtLeast, 85.0, 0.0), Some(70.0), 40, Some(4.0), Some(0.5))),
        assess(&input(2, target(Metric::Csat, Comparator::AtLeast, 80.0, 0.0), Some(90.0), 40, Some(5.0), None)),
        assess(&input(3, target(Metric::Nps, Comparator::AtLeast, 30.0, 0.0), Some(10.0), 100, Some(5.0), None)),
        assess(&input(4, target(Metric::Nps, Comparator::AtLeast, 30.0, 0.0), Some(-50.0), 12, Some(5.0), None)),
        assess(&input(5, target(Metric::Ces, Comparator::AtLeast, 5.0, 0.5), Some(5.2), 30, None, None)),
        assess(&input(6, target(Metric::ChurnRate, Comparator::AtMost, 5.0, 0.0), Some(8.0), 500, None, None)),
        assess(&input(7, target(Metric::Nps, Comparator::AtLeast, 30.0, 0.0), None, 0, None, None)),
    ];
    let csat = &gaps[0];
    assert_eq!(csat.status, Status::Missed);
    assert!(close(csat.shortfall, 15.0) && close(csat.gap, 15.0) && close(csat.weight, 0.65));
    assert!(close(csat.weighted_gap, 9.75), "{}", csat.weighted_gap);
    assert!(close(gaps[2].gap, 10.0) && close(gaps[2].weighted_gap, 10.0));
    assert!(close(gaps[5].shortfall, 3.0) && close(gaps[5].weighted_gap, 1.8));
    assert_eq!((gaps[4].status, gaps[4].gap), (Status::AtRisk, 0.0));
    assert_eq!((gaps[1].status, gaps[1].shortfall), (Status::Met, 0.0));
    let r = rank(gaps);
    let order: Vec<(Option<i64>, Id)> = r.ranked.iter().map(|g| (g.rank, g.touchpoint_id)).collect();
    assert_eq!(order, vec![(Some(1), 3), (Some(2), 1), (Some(3), 6), (Some(4), 5), (Some(5), 2)]);
    let apart: Vec<(Option<i64>, Id, Status)> =
        r.insufficient.iter().map(|g| (g.rank, g.touchpoint_id, g.status)).collect();
    assert_eq!(apart, vec![(None, 4, Status::Insufficient), (None, 7, Status::Insufficient)]);
    assert_eq!(r.insufficient[0].gap, 0.0, "not enough data has no figure, and is not ranked");
}

#[test]
fn a_missed_target_outranks_a_met_one_whatever_the_weight() {
    // Derived share 0: weight 0, weighted 0, yet still above every met row.
    let missed =
        assess(&input(1, target(Metric::Csat, Comparator::AtLeast, 85.0, 0.0), Some(80.0), 40, None, Some(0.0)));
    let met = assess(&input(2, target(Metric::Csat, Comparator::AtLeast, 50.0, 0.0), Some(80.0), 40, Some(5.0), None));
    assert_eq!(missed.weighted_gap, 0.0);
    let r = rank(vec![met, missed]);
    assert_eq!(r.ranked[0].touchpoint_id, 1);
}

#[test]
fn ties_keep_the_designed_path_order() {
    let t = || target(Metric::Csat, Comparator::AtLeast, 85.0, 0.0);
    let gaps = (1..=3).map(|tp| assess(&input(tp, t(), Some(75.0), 50, Some(3.0), None))).collect();
    let ids: Vec<Id> = rank(gaps).ranked.iter().map(|g| g.touchpoint_id).collect();
    assert_eq!(ids, vec![1, 2, 3]);
}

#[test]
fn an_action_names_its_missing_fields() {
    let e = GapActionDraft::default().validate().unwrap_err();
    assert_eq!(e.get("touchpoint_id").unwrap().code, "required");
    assert_eq!(e.get("metric").unwrap().code, "required");
    let e = GapActionDraft { touchpoint_id: Some(1), metric: Some(Metric::Nps), segment_id: Some(0) }.validate();
    assert_eq!(e.unwrap_err().get("segment_id").unwrap().code, "unknown");
    let k = GapActionDraft { touchpoint_id: Some(4), metric: Some(Metric::Csat), segment_id: None }.validate().unwrap();
    assert_eq!(k, GapKey { touchpoint_id: 4, metric: Metric::Csat, segment_id: None });
}
