use super::*;

fn targets(handle: f64, answer: f64, sl: f64, shrinkage: f64, occ: f64) -> Targets {
    Targets { handle_seconds: handle, service_level: sl, answer_seconds: answer, shrinkage, max_occupancy: occ }
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!((got - want).abs() <= tol, "{what}: got {got}, want {want} (±{tol})");
}

/// One reference case: inputs, then pyworkforce's raw and scheduled agents,
/// service level, occupancy and probability of waiting at raw, and its
/// service level at raw−2 … raw+2 (`None`: unstable or ≤ 0 agents).
struct Case {
    name: &'static str,
    contacts: f64,
    interval: f64,
    handle: f64,
    answer: f64,
    sl: f64,
    shrinkage: f64,
    occ: f64,
    raw: u32,
    scheduled: u32,
    at_raw: (f64, f64, f64),
    around: [Option<f64>; 5],
}

/// From `crates/rapport-core/tests/fixtures/erlang_c/pyworkforce_cases.py`
/// run with pyworkforce 0.5.1 (PyPI); its printed output is
/// `pyworkforce_cases.txt` beside it. The last case's answer target is
/// 0.001 s there because pyworkforce refuses 0.
const CASES: [Case; 10] = [
    Case {
        name: "issue_100_per_30min",
        contacts: 100.0,
        interval: 30.0,
        handle: 180.0,
        answer: 20.0,
        sl: 0.80,
        shrinkage: 0.30,
        occ: 0.85,
        raw: 14,
        scheduled: 20,
        at_raw: (0.8883500192, 0.7142857143, 0.1741319336),
        around: [Some(0.6401580404), Some(0.7955947884), Some(0.8883500192), Some(0.9414528429), Some(0.9705604925)],
    },
    Case {
        name: "large_1000_per_30min",
        contacts: 1000.0,
        interval: 30.0,
        handle: 180.0,
        answer: 20.0,
        sl: 0.80,
        shrinkage: 0.30,
        occ: 0.85,
        raw: 118,
        scheduled: 169,
        at_raw: (0.9930189075, 0.8474576271, 0.0515836844),
        around: [Some(0.9867813231), Some(0.9903645504), Some(0.9930189075), Some(0.9949730366), Some(0.9964026264)],
    },
    Case {
        name: "large_1000_per_15min",
        contacts: 1000.0,
        interval: 15.0,
        handle: 300.0,
        answer: 30.0,
        sl: 0.90,
        shrinkage: 0.35,
        occ: 0.90,
        raw: 371,
        scheduled: 571,
        at_raw: (0.9993964299, 0.8984725966, 0.0260957809),
        around: [Some(0.9990448293), Some(0.9992399241), Some(0.9993964299), Some(0.9995217147), Some(0.9996217938)],
    },
    Case {
        name: "huge_10000_per_15min",
        contacts: 10000.0,
        interval: 15.0,
        handle: 240.0,
        answer: 20.0,
        sl: 0.80,
        shrinkage: 0.30,
        occ: 0.95,
        raw: 2808,
        scheduled: 4012,
        at_raw: (0.9999999711, 0.9496676163, 0.0037679854),
        around: [Some(0.9999999616), Some(0.9999999667), Some(0.9999999711), Some(0.9999999749), Some(0.9999999782)],
    },
    Case {
        name: "small_5_per_hour",
        contacts: 5.0,
        interval: 60.0,
        handle: 360.0,
        answer: 60.0,
        sl: 0.80,
        shrinkage: 0.20,
        occ: 1.0,
        raw: 2,
        scheduled: 3,
        at_raw: (0.9221199217, 0.25, 0.1),
        around: [None, Some(0.5399777927), Some(0.9221199217), Some(0.9900115056), Some(0.9989927163)],
    },
    Case {
        name: "occupancy_bound",
        contacts: 300.0,
        interval: 30.0,
        handle: 240.0,
        answer: 60.0,
        sl: 0.50,
        shrinkage: 0.25,
        occ: 0.70,
        raw: 58,
        scheduled: 78,
        at_raw: (0.9999462760, 0.6896551724, 0.0048360799),
        around: [Some(0.9998013496), Some(0.9998959465), Some(0.9999462760), Some(0.9999726585), Some(0.9999862840)],
    },
    Case {
        name: "strict_95_in_15s",
        contacts: 50.0,
        interval: 15.0,
        handle: 420.0,
        answer: 15.0,
        sl: 0.95,
        shrinkage: 0.10,
        occ: 1.0,
        raw: 32,
        scheduled: 36,
        at_raw: (0.9553515124, 0.7291666667, 0.0608458882),
        around: [Some(0.8957680089), Some(0.9310531304), Some(0.9553515124), Some(0.9717058763), Some(0.9824592352)],
    },
    Case {
        name: "hourly_250_70_in_10s",
        contacts: 250.0,
        interval: 60.0,
        handle: 200.0,
        answer: 10.0,
        sl: 0.70,
        shrinkage: 0.40,
        occ: 0.85,
        raw: 17,
        scheduled: 29,
        at_raw: (0.7159758797, 0.8169934641, 0.3318273225),
        around: [Some(0.3429216077), Some(0.5619482432), Some(0.7159758797), Some(0.8211692460), Some(0.8908029151)],
    },
    Case {
        name: "hourly_720_80_in_30s",
        contacts: 720.0,
        interval: 60.0,
        handle: 300.0,
        answer: 30.0,
        sl: 0.80,
        shrinkage: 0.30,
        occ: 1.0,
        raw: 66,
        scheduled: 95,
        at_raw: (0.8104084676, 0.9090909091, 0.3454582955),
        around: [Some(0.6602373779), Some(0.7452132753), Some(0.8104084676), Some(0.8600460617), Some(0.8975381323)],
    },
    Case {
        name: "answer_at_once_0s",
        contacts: 60.0,
        interval: 30.0,
        handle: 120.0,
        answer: 0.001,
        sl: 0.60,
        shrinkage: 0.0,
        occ: 1.0,
        raw: 6,
        scheduled: 6,
        at_raw: (0.7152439006, 0.6666666667, 0.2847608454),
        around: [None, Some(0.4458920635), Some(0.7152439006), Some(0.8648932049), Some(0.9409579734)],
    },
];

#[test]
fn matches_pyworkforce() {
    for c in &CASES {
        let t = targets(c.handle, c.answer, c.sl, c.shrinkage, c.occ);
        let r = staff(c.contacts, c.interval, &t).unwrap();
        assert_eq!((r.raw_agents, r.scheduled_agents), (c.raw, c.scheduled), "{}", c.name);
        close(r.at_raw.service_level, c.at_raw.0, 1e-9, c.name);
        close(r.at_raw.occupancy, c.at_raw.1, 1e-9, c.name);
        close(r.at_raw.waiting_probability, c.at_raw.2, 1e-9, c.name);
        // The N−2 … N+2 table leaves out the unstable rows.
        let want: Vec<(u32, f64)> = (0..5).filter_map(|i| c.around[i].map(|sl| (c.raw + i as u32 - 2, sl))).collect();
        let got: Vec<u32> = r.table.iter().map(|row| row.agents).collect();
        assert_eq!(got, want.iter().map(|w| w.0).collect::<Vec<_>>(), "{}: table agents", c.name);
        for (row, (_, sl)) in r.table.iter().zip(&want) {
            close(row.service_level, *sl, 1e-9, c.name);
        }
    }
}

/// The issue's case through the draft, as the API and the page read it.
#[test]
fn issue_case_through_the_draft() {
    let d = ErlangCDraft {
        contacts: Some(100.0),
        interval_minutes: Some(30.0),
        handle_seconds: Some(180.0),
        service_level: Some(0.8),
        answer_seconds: Some(20.0),
        shrinkage: Some(0.3),
        max_occupancy: Some(0.85),
    };
    let r = calculate(&d).unwrap();
    assert_eq!((r.raw_agents, r.scheduled_agents), (14, 20));
    close(r.traffic, 10.0, 1e-12, "traffic");
    assert_eq!(r.table.iter().map(|x| x.agents).collect::<Vec<_>>(), vec![12, 13, 14, 15, 16]);
    // Shrinkage and occupancy default to 0 and 1.
    let bare = ErlangCDraft { shrinkage: None, max_occupancy: None, ..d };
    let r = calculate(&bare).unwrap();
    assert_eq!((r.raw_agents, r.scheduled_agents), (14, 14));
}

/// Independent published examples.
///
/// 1. Call Centre Helper, "Erlang C Formula – Made Simple With an Easy
///    Worked Example" (callcentrehelper.com): 100 calls in 30 minutes,
///    180 s handle time, target 80% in 20 s, 10 Erlangs. Its worked step
///    at 11 agents: probability of waiting 68.21%, service level 39%,
///    ASA 122.8 s; adding agents, 14 is the first to pass 80% (88.8%).
/// 2. Mitan Ltd, "The Erlang-C Formula" (the step-by-step example reprinted
///    in many WFM tutorials): 360 calls per half hour, 4-minute calls, 55
///    agents, 15 s target: 48 Erlangs, occupancy 87.3%, probability of
///    waiting 23.9% (E_C), ASA 8.2 s, 84.6% answered within 15 s.
///
/// The published figures are rounded; so are the tolerances.
#[test]
fn matches_textbook_examples() {
    let t = targets(180.0, 20.0, 0.8, 0.0, 1.0);
    let a = traffic(100.0, 30.0, 180.0);
    close(a, 10.0, 1e-12, "traffic");
    let r = at_agents(11, a, &t).unwrap();
    close(r.waiting_probability, 0.6821, 5e-5, "Pw at 11");
    close(r.service_level, 0.39, 5e-3, "SL at 11");
    close(r.average_speed_of_answer, 122.8, 0.05, "ASA at 11");
    assert!(at_agents(13, a, &t).unwrap().service_level < 0.8);
    close(at_agents(14, a, &t).unwrap().service_level, 0.888, 5e-4, "SL at 14");
    assert_eq!(staff(100.0, 30.0, &t).unwrap().raw_agents, 14);

    let t = targets(240.0, 15.0, 0.8, 0.0, 1.0);
    let a = traffic(360.0, 30.0, 240.0);
    close(a, 48.0, 1e-12, "traffic");
    let r = at_agents(55, a, &t).unwrap();
    close(r.occupancy, 0.873, 5e-4, "occupancy");
    close(r.waiting_probability, 0.239, 5e-4, "E_C");
    close(r.average_speed_of_answer, 8.2, 0.05, "ASA");
    close(r.service_level, 0.846, 5e-4, "SL");
}

/// Erlang B against its closed form where factorials are still small.
#[test]
fn erlang_b_recursion_equals_the_closed_form() {
    for (n, a) in [(1u32, 0.5f64), (5, 3.0), (10, 10.0), (20, 12.5)] {
        let mut num = 1.0;
        let mut sum = 1.0;
        for k in 1..=n {
            num *= a / k as f64;
            sum += num;
        }
        close(erlang_b(n, a), num / sum, 1e-12, "Erlang B");
    }
}

/// Large traffic: no NaN or infinity anywhere, the answer is sane and the
/// table is complete.
#[test]
fn large_traffic_stays_finite() {
    for contacts in [1_000.0, 5_000.0, 10_000.0, 50_000.0] {
        for handle in [60.0, 300.0, 900.0] {
            let t = targets(handle, 20.0, 0.9, 0.3, 1.0);
            let r = staff(contacts, 15.0, &t).unwrap();
            let a = r.traffic;
            assert!(r.raw_agents as f64 > a && (r.raw_agents as f64) < a * 1.2 + 20.0, "{contacts} {handle}: {r:?}");
            assert!(r.scheduled_agents >= r.raw_agents);
            assert_eq!(r.table.len(), 5);
            for row in &r.table {
                for v in [row.service_level, row.occupancy, row.waiting_probability, row.average_speed_of_answer] {
                    assert!(v.is_finite() && v >= 0.0, "{contacts} {handle}: {row:?}");
                }
            }
            assert!(r.at_raw.service_level >= 0.9);
        }
    }
}

#[test]
fn table_skips_unstable_and_non_positive_agents() {
    // 0.5 Erlangs: raw is 2, so N−2 = 0 is left out, N−1 = 1 stays.
    let t = targets(360.0, 60.0, 0.8, 0.2, 1.0);
    let r = staff(5.0, 60.0, &t).unwrap();
    assert_eq!(r.table.iter().map(|x| x.agents).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    // 10 Erlangs and a low target: N−2 would be 10 = traffic (unstable).
    let t = targets(180.0, 20.0, 0.05, 0.0, 1.0);
    let r = staff(100.0, 30.0, &t).unwrap();
    assert_eq!(r.raw_agents, 11);
    assert_eq!(r.table.iter().map(|x| x.agents).collect::<Vec<_>>(), vec![11, 12, 13]);
    assert!(at_agents(10, 10.0, &t).is_none());
}

#[test]
fn zero_contacts_need_no_agents() {
    let t = targets(180.0, 20.0, 0.8, 0.3, 0.85);
    let r = staff(0.0, 60.0, &t).unwrap();
    assert_eq!((r.raw_agents, r.scheduled_agents), (0, 0));
    assert!(r.table.is_empty());
}

fn issue_draft() -> ErlangCDraft {
    ErlangCDraft {
        contacts: Some(100.0),
        interval_minutes: Some(30.0),
        handle_seconds: Some(180.0),
        service_level: Some(0.8),
        answer_seconds: Some(20.0),
        shrinkage: Some(0.3),
        max_occupancy: Some(0.85),
    }
}

#[test]
fn invalid_inputs_name_their_field() {
    let cases: Vec<(ErlangCDraft, &str, &str)> = vec![
        (ErlangCDraft { interval_minutes: Some(0.0), ..issue_draft() }, "interval_minutes", "out_of_range"),
        (ErlangCDraft { interval_minutes: Some(-15.0), ..issue_draft() }, "interval_minutes", "out_of_range"),
        (ErlangCDraft { interval_minutes: None, ..issue_draft() }, "interval_minutes", "required"),
        (ErlangCDraft { handle_seconds: Some(0.0), ..issue_draft() }, "handle_seconds", "out_of_range"),
        (ErlangCDraft { contacts: Some(-1.0), ..issue_draft() }, "contacts", "out_of_range"),
        (ErlangCDraft { contacts: Some(0.0), ..issue_draft() }, "contacts", "out_of_range"),
        (ErlangCDraft { contacts: Some(f64::NAN), ..issue_draft() }, "contacts", "invalid"),
        (ErlangCDraft { max_occupancy: Some(1.2), ..issue_draft() }, "max_occupancy", "out_of_range"),
        (ErlangCDraft { max_occupancy: Some(0.0), ..issue_draft() }, "max_occupancy", "out_of_range"),
        (ErlangCDraft { shrinkage: Some(1.0), ..issue_draft() }, "shrinkage", "out_of_range"),
        (ErlangCDraft { shrinkage: Some(-0.1), ..issue_draft() }, "shrinkage", "out_of_range"),
        (ErlangCDraft { service_level: Some(0.0), ..issue_draft() }, "service_level", "out_of_range"),
        (ErlangCDraft { service_level: Some(1.5), ..issue_draft() }, "service_level", "out_of_range"),
        (ErlangCDraft { answer_seconds: Some(-1.0), ..issue_draft() }, "answer_seconds", "out_of_range"),
        // Unreachable: every contact answered at once (or at all within a
        // target) would need infinitely many agents.
        (
            ErlangCDraft { answer_seconds: Some(0.0), service_level: Some(1.0), ..issue_draft() },
            "service_level",
            "unreachable",
        ),
        (ErlangCDraft { service_level: Some(1.0), ..issue_draft() }, "service_level", "unreachable"),
        // More agents than the cap.
        (
            ErlangCDraft {
                contacts: Some(MAX_CONTACTS),
                interval_minutes: Some(1.0),
                handle_seconds: Some(3_600.0),
                ..issue_draft()
            },
            "service_level",
            "unreachable",
        ),
    ];
    for (draft, field, code) in cases {
        let e = calculate(&draft).expect_err(field);
        assert_eq!(e.get(field).map(|x| x.code), Some(code), "{draft:?}: {e:?}");
    }
}

#[test]
fn settings_refuse_an_unreachable_target() {
    let d = TargetsDraft {
        handle_seconds: Some(180.0),
        service_level: Some(1.0),
        answer_seconds: Some(0.0),
        shrinkage: None,
        max_occupancy: None,
    };
    assert_eq!(d.validate().unwrap_err().get("service_level").unwrap().code, "unreachable");
    let ok = TargetsDraft { service_level: Some(0.8), ..d }.validate().unwrap();
    assert_eq!((ok.shrinkage, ok.max_occupancy), (0.0, 1.0));
}

#[test]
fn week_averages_and_shortfalls() {
    let mut counts = [[0u64; HOURS]; WEEKDAYS];
    counts[0][9] = 400; // Monday 9:00: 100 per week over 4 weeks
    let mut schedule = [[0u32; HOURS]; WEEKDAYS];
    schedule[0][9] = 3;
    schedule[0][10] = 2;
    let t = targets(180.0, 20.0, 0.8, 0.3, 0.85);
    let w = week(&counts, 4, &t, &schedule);
    assert_eq!(w.len(), 168);
    let nine = w.iter().find(|h| h.weekday == 0 && h.hour == 9).unwrap();
    // 100 contacts in an hour at 180 s: 5 Erlangs.
    assert_eq!(nine.contacts, 100.0);
    let direct = staff(100.0, 60.0, &t).unwrap();
    assert_eq!((nine.needed_raw, nine.needed), (direct.raw_agents, direct.scheduled_agents));
    assert_eq!(nine.shortfall, nine.needed - 3);
    let ten = w.iter().find(|h| h.weekday == 0 && h.hour == 10).unwrap();
    assert_eq!((ten.needed, ten.scheduled, ten.shortfall), (0, 2, 0));
}

#[test]
fn weeks_and_schedules_are_bounded() {
    assert_eq!(weeks(None).unwrap(), 4);
    assert_eq!(weeks(Some(26)).unwrap(), 26);
    assert!(weeks(Some(0)).unwrap_err().get("weeks").is_some());
    assert!(weeks(Some(27)).is_err());
    let cells = [
        ScheduleCell { weekday: 6, hour: 23, agents: 4 },
        ScheduleCell { weekday: 7, hour: 0, agents: 1 },
        ScheduleCell { weekday: 0, hour: 24, agents: 1 },
        ScheduleCell { weekday: 0, hour: 0, agents: -1 },
    ];
    let e = schedule_grid(&cells).unwrap_err();
    assert!(e.get("cells[1].weekday").is_some() && e.get("cells[2].hour").is_some());
    assert!(e.get("cells[3].agents").is_some());
    assert_eq!(schedule_grid(&cells[..1]).unwrap()[6][23], 4);
}

#[test]
fn week_counts_use_the_local_clock() {
    use chrono::TimeZone;
    // Monday 5 January 2026, 08:00 UTC is 09:00 in Madrid (CET) and
    // Monday 03:00 in New York (EST); Sunday 23:00 UTC is Monday 00:00 in Madrid.
    let hours = [
        (chrono::Utc.with_ymd_and_hms(2026, 1, 5, 8, 0, 0).unwrap(), 3),
        (chrono::Utc.with_ymd_and_hms(2026, 1, 4, 23, 0, 0).unwrap(), 2),
    ];
    let madrid = week_counts(hours, "Europe/Madrid");
    assert_eq!((madrid[0][9], madrid[0][0]), (3, 2));
    let ny = week_counts(hours, "America/New_York");
    assert_eq!((ny[0][3], ny[6][18]), (3, 2));
    let utc = week_counts(hours, "UTC");
    assert_eq!((utc[0][8], utc[6][23]), (3, 2));
}
