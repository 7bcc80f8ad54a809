//! Time buckets: days (UTC dates) grouped into weeks, months, quarters or
//! years, so that per-day tallies merge into the periods a chart or a goal
//! is read over. Weeks start on Monday (ISO 8601), the rest on their first
//! day. Bucket starts are plain dates, so they sort, compare and serialize
//! without any clock or time zone.

use super::tally::Tally;
use crate::experience::Period;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How days are grouped. `All` is one bucket for the whole range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Day,
    Week,
    Month,
    Quarter,
    Year,
    All,
}

impl Interval {
    pub const ALL: [Interval; 6] =
        [Interval::Day, Interval::Week, Interval::Month, Interval::Quarter, Interval::Year, Interval::All];

    pub fn key(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
            Interval::Quarter => "quarter",
            Interval::Year => "year",
            Interval::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Interval> {
        Interval::ALL.into_iter().find(|i| i.key() == s)
    }
}

/// The bucket interval a goal's period is judged over.
pub fn period_interval(p: Period) -> Interval {
    match p {
        Period::Month => Interval::Month,
        Period::Quarter => Interval::Quarter,
        Period::Year => Interval::Year,
    }
}

/// Start of the bucket holding `day`: weeks start on Monday; months,
/// quarters and years on their first day; `All` starts at `from`.
pub fn bucket_start(day: NaiveDate, interval: Interval, from: NaiveDate) -> NaiveDate {
    let first_of = |month: u32| NaiveDate::from_ymd_opt(day.year(), month, 1).expect("day 1 of a month exists");
    match interval {
        Interval::Day => day,
        // Saturating: the week of the first representable date starts there.
        Interval::Week => day.checked_sub_days(Days::new(day.weekday().num_days_from_monday().into())).unwrap_or(day),
        Interval::Month => first_of(day.month()),
        Interval::Quarter => first_of((day.month0() / 3) * 3 + 1),
        Interval::Year => first_of(1),
        Interval::All => from,
    }
}

/// The start of the bucket after the one starting at `start`; `None` past
/// the last representable date (and for `All`, which has no next bucket).
fn next_start(start: NaiveDate, interval: Interval) -> Option<NaiveDate> {
    match interval {
        Interval::Day => start.checked_add_days(Days::new(1)),
        Interval::Week => start.checked_add_days(Days::new(7)),
        Interval::Month => start.checked_add_months(Months::new(1)),
        Interval::Quarter => start.checked_add_months(Months::new(3)),
        Interval::Year => start.checked_add_months(Months::new(12)),
        Interval::All => None,
    }
}

/// The last day of the bucket starting at `start`, cut at `to` (so the last
/// bucket of a range ends where the range does). Handy for labels and for
/// deciding whether a period is complete.
pub fn bucket_end(start: NaiveDate, interval: Interval, to: NaiveDate) -> NaiveDate {
    next_start(start, interval).and_then(|next| next.pred_opt()).map_or(to, |end| end.min(to))
}

/// Every bucket start from `from` to `to` inclusive, in order. The first may
/// start before `from` (a week starts on the Monday before). `All` gives
/// `[from]`; an empty range (`from > to`) gives no buckets.
pub fn buckets(from: NaiveDate, to: NaiveDate, interval: Interval) -> Vec<NaiveDate> {
    if from > to {
        return Vec::new();
    }
    let mut out = vec![bucket_start(from, interval, from)];
    while let Some(next) = next_start(*out.last().expect("never empty"), interval).filter(|d| *d <= to) {
        out.push(next);
    }
    out
}

/// Merges per-day tallies into the buckets [`buckets`] lists for the same
/// range, empty buckets included (a chart needs its gaps). Days outside
/// `[from, to]` are ignored; `days` need not be sorted or distinct.
pub fn bucket_tallies(
    days: &[(NaiveDate, Tally)],
    from: NaiveDate,
    to: NaiveDate,
    interval: Interval,
) -> Vec<(NaiveDate, Tally)> {
    let mut out: Vec<(NaiveDate, Tally)> =
        buckets(from, to, interval).into_iter().map(|start| (start, Tally::default())).collect();
    for (day, tally) in days.iter().filter(|(day, _)| (from..=to).contains(day)) {
        let start = bucket_start(*day, interval, from);
        // Buckets are sorted and cover the range, so the search always hits.
        if let Ok(i) = out.binary_search_by_key(&start, |(s, _)| *s) {
            out[i].1.add(tally);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(n: i64) -> Tally {
        Tally { n, sum: 5 * n, sum_sq: 25 * n, high: n, low: 0 }
    }

    #[test]
    fn weeks_start_on_monday_across_a_year_boundary() {
        // Python 3.11: d - timedelta(days=d.weekday()); 2026-01-01 is a
        // Thursday in ISO week 1 of 2026, 2027-01-01 a Friday in week 53 of 2026.
        let from = d("2020-01-01");
        for (day, monday) in [
            ("2026-01-01", "2025-12-29"),
            ("2026-01-04", "2025-12-29"),
            ("2025-12-29", "2025-12-29"),
            ("2024-02-29", "2024-02-26"),
            ("2027-01-01", "2026-12-28"),
        ] {
            assert_eq!(bucket_start(d(day), Interval::Week, from), d(monday), "{day}");
        }
    }

    #[test]
    fn months_quarters_years_and_all() {
        let from = d("2026-03-10");
        let day = d("2026-05-15");
        assert_eq!(bucket_start(day, Interval::Day, from), day);
        assert_eq!(bucket_start(day, Interval::Month, from), d("2026-05-01"));
        assert_eq!(bucket_start(day, Interval::Quarter, from), d("2026-04-01"));
        assert_eq!(bucket_start(d("2026-03-31"), Interval::Quarter, from), d("2026-01-01"));
        assert_eq!(bucket_start(d("2026-12-31"), Interval::Quarter, from), d("2026-10-01"));
        assert_eq!(bucket_start(day, Interval::Year, from), d("2026-01-01"));
        assert_eq!(bucket_start(day, Interval::All, from), from);
    }

    #[test]
    fn bucket_lists_cover_the_range() {
        let weeks = buckets(d("2025-12-31"), d("2026-01-19"), Interval::Week);
        assert_eq!(weeks, ["2025-12-29", "2026-01-05", "2026-01-12", "2026-01-19"].map(d));
        let months = buckets(d("2025-11-15"), d("2026-02-01"), Interval::Month);
        assert_eq!(months, ["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01"].map(d));
        let quarters = buckets(d("2025-08-10"), d("2026-03-31"), Interval::Quarter);
        assert_eq!(quarters, ["2025-07-01", "2025-10-01", "2026-01-01"].map(d));
        let years = buckets(d("2024-06-01"), d("2026-01-01"), Interval::Year);
        assert_eq!(years, ["2024-01-01", "2025-01-01", "2026-01-01"].map(d));
        assert_eq!(
            buckets(d("2024-02-28"), d("2024-03-01"), Interval::Day),
            ["2024-02-28", "2024-02-29", "2024-03-01"].map(d)
        );
        assert_eq!(buckets(d("2024-02-28"), d("2026-03-01"), Interval::All), vec![d("2024-02-28")]);
        assert_eq!(buckets(d("2026-01-05"), d("2026-01-05"), Interval::Week), vec![d("2026-01-05")]);
        for i in Interval::ALL {
            assert!(buckets(d("2026-02-01"), d("2026-01-31"), i).is_empty());
        }
    }

    #[test]
    fn bucket_ends_are_cut_at_the_range() {
        assert_eq!(bucket_end(d("2024-02-01"), Interval::Month, d("2030-01-01")), d("2024-02-29"));
        assert_eq!(bucket_end(d("2025-12-29"), Interval::Week, d("2030-01-01")), d("2026-01-04"));
        assert_eq!(bucket_end(d("2026-10-01"), Interval::Quarter, d("2030-01-01")), d("2026-12-31"));
        assert_eq!(bucket_end(d("2026-01-01"), Interval::Year, d("2026-06-30")), d("2026-06-30"));
        assert_eq!(bucket_end(d("2026-01-01"), Interval::All, d("2026-06-30")), d("2026-06-30"));
        assert_eq!(bucket_end(d("2026-01-01"), Interval::Day, d("2030-01-01")), d("2026-01-01"));
    }

    #[test]
    fn tallies_merge_into_buckets_and_out_of_range_days_are_ignored() {
        let days = [
            (d("2026-01-20"), t(4)),
            (d("2025-12-31"), t(1)),
            (d("2026-01-01"), t(2)),
            (d("2026-01-01"), t(3)),
            (d("2025-12-30"), t(100)), // before `from`, though in the first week
            (d("2026-02-01"), t(100)), // after `to`
        ];
        let got = bucket_tallies(&days, d("2025-12-31"), d("2026-01-31"), Interval::Week);
        let starts: Vec<NaiveDate> = got.iter().map(|(s, _)| *s).collect();
        assert_eq!(starts, buckets(d("2025-12-31"), d("2026-01-31"), Interval::Week));
        let counts: Vec<i64> = got.iter().map(|(_, t)| t.n).collect();
        assert_eq!(counts, [6, 0, 0, 4, 0]);
        assert_eq!(got[0].1, t(6));

        let months = bucket_tallies(&days, d("2025-12-31"), d("2026-01-31"), Interval::Month);
        assert_eq!(months, vec![(d("2025-12-01"), t(1)), (d("2026-01-01"), t(9))]);
        let all = bucket_tallies(&days, d("2025-12-31"), d("2026-01-31"), Interval::All);
        assert_eq!(all, vec![(d("2025-12-31"), t(10))]);
        assert!(bucket_tallies(&days, d("2026-02-02"), d("2026-02-01"), Interval::Day).is_empty());
    }

    #[test]
    fn keys_round_trip_and_periods_map() {
        for i in Interval::ALL {
            assert_eq!(Interval::parse(i.key()), Some(i));
            assert_eq!(serde_json::to_string(&i).unwrap(), format!("\"{}\"", i.key()));
        }
        assert_eq!(Interval::parse("fortnight"), None);
        assert_eq!(period_interval(Period::Month), Interval::Month);
        assert_eq!(period_interval(Period::Quarter), Interval::Quarter);
        assert_eq!(period_interval(Period::Year), Interval::Year);
    }
}
