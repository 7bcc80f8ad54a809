use super::*;
use crate::calendar::Holiday;
use chrono::TimeZone;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn cal(holidays: &[&str]) -> WorkCalendar {
    let holidays = holidays.iter().map(|s| Holiday { day: d(s), name: "Holiday".into() }).collect();
    WorkCalendar { holidays, ..Default::default() }
}

/// Christmas Eve and Day, New Year's Eve and Day.
const YEAR_END: [&str; 4] = ["2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"];

fn draft(start: &str) -> SprintDraft {
    SprintDraft {
        touchpoint_id: Some(4),
        name: Some(" Returns desk ".into()),
        start: Some(d(start)),
        leader_id: Some(10),
        team_ids: Some(vec![11, 12, 11]),
        idea_ids: Some(vec![3, 5]),
        ..Default::default()
    }
}

fn spans(phases: &[SprintPhase]) -> Vec<(NaiveDate, NaiveDate, u32)> {
    phases.iter().map(|p| (p.start, p.end, p.workdays)).collect()
}

/// Expected dates from numpy 2.4.6: the sprint's first day is
/// `numpy.busday_offset(start, 0, roll='forward', holidays=H)`, its end
/// `busday_offset(start, 19, roll='forward', holidays=H)`, and the phase
/// bounds `busday_offset(first, k, holidays=H)` for k = 4, 5, 9, 10.
#[test]
fn sprint_dates_match_numpy_busday_offset() {
    let cases: [(&str, &[&str], [&str; 6]); 6] = [
        // A plain month: Monday 2 November to Friday 27 November.
        ("2026-11-02", &[], ["2026-11-02", "2026-11-06", "2026-11-09", "2026-11-13", "2026-11-16", "2026-11-27"]),
        // A holiday inside (26 November) pushes the end over the month end.
        (
            "2026-11-02",
            &["2026-11-26"],
            ["2026-11-02", "2026-11-06", "2026-11-09", "2026-11-13", "2026-11-16", "2026-11-30"],
        ),
        // Across the year end and its four holidays.
        ("2026-12-14", &YEAR_END, ["2026-12-14", "2026-12-18", "2026-12-21", "2026-12-29", "2026-12-30", "2027-01-14"]),
        // A holiday on the start date: begins on the next workday.
        ("2026-12-24", &YEAR_END, ["2026-12-28", "2027-01-05", "2027-01-06", "2027-01-12", "2027-01-13", "2027-01-26"]),
        // A start on a Saturday at February's end.
        ("2027-02-27", &[], ["2027-03-01", "2027-03-05", "2027-03-08", "2027-03-12", "2027-03-15", "2027-03-26"]),
        // Month end inside: January into February.
        ("2026-01-19", &[], ["2026-01-19", "2026-01-23", "2026-01-26", "2026-01-30", "2026-02-02", "2026-02-13"]),
    ];
    for (start, holidays, want) in cases {
        let c = cal(holidays);
        let s = draft(start).validate(&c).unwrap();
        let want: Vec<NaiveDate> = want.iter().map(|x| d(x)).collect();
        assert_eq!((s.start, s.end), (want[0], want[5]), "{start} {holidays:?}");
        let got: Vec<(NaiveDate, NaiveDate)> = s.phases.iter().map(|p| (p.start, p.end)).collect();
        assert_eq!(got, vec![(want[0], want[1]), (want[2], want[3]), (want[4], want[5])], "{start}");
        let days: Vec<u32> = s.phases.iter().map(|p| p.workdays).collect();
        assert_eq!(days, vec![5, 5, 10], "{start}");
        assert_eq!(c.workdays_between(s.start, s.end), SPRINT_WORKDAYS);
        assert_eq!(s.phases, default_phases(&c, d(start)));
    }
}

#[test]
fn a_sprint_needs_its_parts() {
    let e = SprintDraft::default().validate(&cal(&[])).unwrap_err();
    for f in ["name", "touchpoint_id", "leader_id", "start"] {
        assert_eq!(e.get(f).unwrap().code, "required", "{f}");
    }
    let s = draft("2026-11-02").validate(&cal(&[])).unwrap();
    assert_eq!(s.name, "Returns desk");
    assert_eq!(s.team_ids, vec![10, 11, 12], "the leader first, repeats once");
    let bad = SprintDraft { team_ids: Some(vec![1, 0]), idea_ids: Some((1..=101).collect()), ..draft("2026-11-02") };
    let e = bad.validate(&cal(&[])).unwrap_err();
    assert_eq!(e.get("team_ids[1]").unwrap().code, "invalid");
    assert_eq!(e.get("idea_ids").unwrap().code, "too_many");
}

#[test]
fn a_start_far_in_the_past_or_future_is_refused() {
    for start in ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"] {
        let e = draft(start).validate(&cal(&[])).unwrap_err();
        let start_error = e.get("start").unwrap_or_else(|| panic!("{start} is refused on start"));
        assert_eq!(start_error.code, "out_of_range", "{start}");
    }
    // The bounds themselves are accepted (2100-12-31 is a Friday).
    for start in ["2000-01-03", "2100-12-31"] {
        assert!(draft(start).validate(&cal(&[])).is_ok(), "{start} is a valid start");
    }
    assert_eq!(start_bounds(), (d("2000-01-01"), d("2100-12-31")));
}

#[test]
fn custom_phase_ends() {
    let c = cal(&["2026-11-11"]);
    let with = |b: Option<&str>, p: Option<&str>| SprintDraft {
        brainstorm_end: b.map(d),
        propose_end: p.map(d),
        ..draft("2026-11-02")
    };
    // Brainstorm 3 days, propose to the 12th (the 11th is a holiday).
    let s = with(Some("2026-11-04"), Some("2026-11-12")).validate(&c).unwrap();
    assert_eq!(
        spans(&s.phases),
        vec![
            (d("2026-11-02"), d("2026-11-04"), 3),
            (d("2026-11-05"), d("2026-11-12"), 5),
            (d("2026-11-13"), d("2026-11-30"), 12),
        ]
    );
    let code = |b: Option<&str>, p: Option<&str>, f: &str| {
        let e = with(b, p).validate(&c).unwrap_err();
        e.get(f).unwrap_or_else(|| panic!("{f}: {e}")).code
    };
    assert_eq!(code(Some("2026-11-07"), None, "brainstorm_end"), "not_a_workday", "Saturday");
    assert_eq!(code(None, Some("2026-11-11"), "propose_end"), "not_a_workday", "holiday");
    assert_eq!(code(Some("2026-10-30"), None, "brainstorm_end"), "out_of_range", "before the sprint");
    assert_eq!(code(Some("2026-11-17"), None, "brainstorm_end"), "out_of_range", "after the default propose end");
    assert!(with(Some("2026-11-17"), None).validate(&c).unwrap_err().get("propose_end").is_none(), "one message");
    assert_eq!(code(Some("2026-11-09"), Some("2026-11-06"), "propose_end"), "out_of_range", "out of order");
    assert_eq!(code(Some("2026-11-09"), Some("2026-11-09"), "propose_end"), "out_of_range", "no empty propose");
    assert_eq!(code(None, Some("2026-11-30"), "propose_end"), "out_of_range", "execute needs a day");
    // The tightest legal split: one day, one day, the rest.
    let s = with(Some("2026-11-02"), Some("2026-11-03")).validate(&c).unwrap();
    assert_eq!(s.phases.iter().map(|p| p.workdays).collect::<Vec<_>>(), vec![1, 1, 18]);
}

fn sprint() -> Sprint {
    let c = cal(&[]);
    let s = draft("2026-11-02").validate(&c).unwrap();
    Sprint {
        id: 1,
        touchpoint_id: s.touchpoint_id,
        name: s.name,
        leader_id: s.leader_id,
        team_ids: s.team_ids,
        idea_ids: s.idea_ids,
        start: s.start,
        end: s.end,
        phases: s.phases,
        proposal: None,
        baseline: None,
        outcome: None,
        created_at: Utc.with_ymd_and_hms(2026, 10, 20, 9, 0, 0).unwrap(),
    }
}

#[test]
fn status_follows_the_dates() {
    let s = sprint();
    let at = |day: &str| s.status(d(day));
    assert_eq!(at("2026-11-01"), SprintStatus::Planned);
    assert_eq!(at("2026-11-02"), SprintStatus::Brainstorm);
    assert_eq!(at("2026-11-08"), SprintStatus::Brainstorm, "the weekend after brainstorm");
    assert_eq!(at("2026-11-09"), SprintStatus::Propose);
    assert_eq!(at("2026-11-16"), SprintStatus::Execute);
    assert_eq!(at("2026-11-27"), SprintStatus::Execute, "the last day");
    assert_eq!(at("2026-11-28"), SprintStatus::Done);
    assert_eq!(status_on(&[], d("2026-11-28")), SprintStatus::Planned);
    for st in [SprintStatus::Planned, SprintStatus::Execute, SprintStatus::Done] {
        assert_eq!(SprintStatus::parse(st.key()), Some(st));
    }
    for p in Phase::ALL {
        assert_eq!(Phase::parse(p.key()), Some(p));
    }
}

#[test]
fn the_length_cannot_change_but_the_scope_can() {
    let s = sprint();
    let c = cal(&["2026-11-20"]); // added after the sprint was planned
    let today = d("2026-11-10");
    let e =
        SprintUpdateDraft { start: Some(d("2026-11-09")), ..Default::default() }.validate(&s, &c, today).unwrap_err();
    let err = e.get("start").unwrap();
    assert_eq!(err.code, "fixed_length");
    assert!(err.message.contains("exactly 20 workdays") && err.message.contains("scope"), "{}", err.message);
    let e = SprintUpdateDraft { end: Some(d("2026-12-04")), ..Default::default() }.validate(&s, &c, today).unwrap_err();
    assert_eq!(e.get("end").unwrap().code, "fixed_length");
    // Restating the same dates is no change; nor is the Saturday before.
    let same = SprintUpdateDraft { start: Some(d("2026-10-31")), end: Some(d("2026-11-27")), ..Default::default() };
    assert!(same.validate(&s, &c, today).is_ok());
    // Scope: ideas in and out, the team, the name.
    let scope = SprintUpdateDraft {
        idea_ids: Some(vec![5, 8]),
        team_ids: Some(vec![12]),
        name: Some("Returns".into()),
        ..Default::default()
    };
    let u = scope.validate(&s, &c, today).unwrap();
    assert_eq!((u.idea_ids, u.team_ids, u.name.as_str()), (vec![5, 8], vec![10, 12], "Returns"));
    assert_eq!(u.phases, s.phases, "untouched phases stay, despite the new holiday");
    let done = scope.validate(&s, &c, d("2026-11-30")).unwrap_err();
    assert_eq!(done.get("idea_ids").unwrap().code, "sprint_done");
    assert_eq!(done.get("team_ids").unwrap().code, "sprint_done");
}

#[test]
fn phase_ends_move_only_before_they_pass() {
    let s = sprint();
    let c = cal(&[]);
    let moved = SprintUpdateDraft { propose_end: Some(d("2026-11-17")), ..Default::default() };
    let u = moved.validate(&s, &c, d("2026-11-10")).unwrap();
    assert_eq!(spans(&u.phases)[2], (d("2026-11-18"), d("2026-11-27"), 8));
    let late = SprintUpdateDraft { brainstorm_end: Some(d("2026-11-04")), ..Default::default() };
    assert_eq!(late.validate(&s, &c, d("2026-11-10")).unwrap_err().get("brainstorm_end").unwrap().code, "passed");
    let same = SprintUpdateDraft { brainstorm_end: Some(d("2026-11-06")), ..Default::default() };
    assert!(same.validate(&s, &c, d("2026-11-20")).is_ok());
}

#[test]
fn only_the_leader_approves_the_proposal() {
    assert!(check_approver(10, Some(10)).is_ok());
    assert_eq!(check_approver(10, Some(11)).unwrap_err().get("approver").unwrap().code, "not_leader");
    assert_eq!(check_approver(10, None).unwrap_err().get("approver").unwrap().code, "not_leader");
    let mut s = sprint();
    assert_eq!(approve_check(&s, Some(10)).unwrap_err().get("proposal").unwrap().code, "missing");
    let at = Utc.with_ymd_and_hms(2026, 11, 12, 9, 0, 0).unwrap();
    s.proposal = Some(Proposal {
        document: "New desk".into(),
        submitted_by: 11,
        submitted_at: at,
        approved_by: None,
        approved_at: None,
    });
    assert!(approve_check(&s, Some(10)).is_ok());
    assert!(approve_check(&s, Some(11)).is_err(), "the author is not the leader");
    s.proposal.as_mut().unwrap().approved_at = Some(at);
    assert_eq!(approve_check(&s, Some(10)).unwrap_err().get("proposal").unwrap().code, "already_approved");
    assert_eq!(
        ProposalDraft { document: Some(" ".into()) }.validate().unwrap_err().get("document").unwrap().code,
        "required"
    );
}

#[test]
fn sprints_serialize_for_storage() {
    let s = sprint();
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<Sprint>(&json).unwrap(), s);
}
