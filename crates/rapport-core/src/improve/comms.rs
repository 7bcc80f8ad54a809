//! The internal communications plan (D7): messages scheduled for a date,
//! to an audience, through a channel, each with an owner and a status. The
//! home page lists what is due today (and what is late); the calendar view
//! shows a month as Monday-first weeks.
//!
//! Policy: a message is planned, then sent or cancelled; a cancelled one may
//! be planned again, a sent one is final. A message cannot be marked sent
//! with a date in the future (it would be a plan, not a record).

use crate::validate::{required_text, FieldErrors};
use crate::Id;
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CommsStatus {
    Planned,
    Sent,
    Cancelled,
}

impl CommsStatus {
    pub const ALL: [CommsStatus; 3] = [CommsStatus::Planned, CommsStatus::Sent, CommsStatus::Cancelled];

    pub fn key(self) -> &'static str {
        match self {
            CommsStatus::Planned => "planned",
            CommsStatus::Sent => "sent",
            CommsStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<CommsStatus> {
        CommsStatus::ALL.into_iter().find(|x| x.key() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CommsChannel {
    Email,
    Intranet,
    Meeting,
    Chat,
    Newsletter,
    Other,
}

impl CommsChannel {
    pub const ALL: [CommsChannel; 6] = [
        CommsChannel::Email,
        CommsChannel::Intranet,
        CommsChannel::Meeting,
        CommsChannel::Chat,
        CommsChannel::Newsletter,
        CommsChannel::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CommsChannel::Email => "email",
            CommsChannel::Intranet => "intranet",
            CommsChannel::Meeting => "meeting",
            CommsChannel::Chat => "chat",
            CommsChannel::Newsletter => "newsletter",
            CommsChannel::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<CommsChannel> {
        CommsChannel::ALL.into_iter().find(|x| x.key() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommsItem {
    pub id: Id,
    pub title: String,
    /// Who it is for, in words: "All store staff", "Contact centre".
    pub audience: String,
    pub channel: CommsChannel,
    pub date: NaiveDate,
    pub owner_id: Id,
    pub status: CommsStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommsDraft {
    pub title: Option<String>,
    pub audience: Option<String>,
    pub channel: Option<String>,
    pub date: Option<NaiveDate>,
    pub owner_id: Option<Id>,
    /// Default: planned.
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommsInput {
    pub title: String,
    pub audience: String,
    pub channel: CommsChannel,
    pub date: NaiveDate,
    pub owner_id: Id,
    pub status: CommsStatus,
}

impl CommsDraft {
    /// `current` is the item's status when editing one (for the moves
    /// allowed), `None` when creating.
    pub fn validate(&self, current: Option<CommsStatus>, today: NaiveDate) -> Result<CommsInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = required_text(&mut e, "title", self.title.as_deref(), 200);
        let audience = required_text(&mut e, "audience", self.audience.as_deref(), 200);
        let channel = match self.channel.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                e.add("channel", "required", "is required");
                CommsChannel::Other
            }
            Some(c) => CommsChannel::parse(c).unwrap_or_else(|| {
                e.add("channel", "invalid", "must be email, intranet, meeting, chat, newsletter or other");
                CommsChannel::Other
            }),
        };
        if self.owner_id.is_none() {
            e.add("owner_id", "required", "choose who sends it");
        }
        let status = match self.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => current.unwrap_or(CommsStatus::Planned),
            Some(s) => CommsStatus::parse(s).unwrap_or_else(|| {
                e.add("status", "invalid", "must be planned, sent or cancelled");
                CommsStatus::Planned
            }),
        };
        if current == Some(CommsStatus::Sent) && status != CommsStatus::Sent {
            e.add("status", "final", "a sent message stays sent");
        }
        if self.date.is_none() {
            e.add("date", "required", "is required");
        }
        let date = self.date.unwrap_or(today);
        if status == CommsStatus::Sent && date > today {
            e.add("date", "in_future", "a message dated in the future cannot be sent yet");
        }
        e.into_result(CommsInput {
            title,
            audience,
            channel,
            date,
            owner_id: self.owner_id.unwrap_or_default(),
            status,
        })
    }
}

/// Planned messages dated `day` (the home page's "due today"), by id.
pub fn due_on(items: &[CommsItem], day: NaiveDate) -> Vec<&CommsItem> {
    let mut due: Vec<&CommsItem> = items.iter().filter(|i| i.status == CommsStatus::Planned && i.date == day).collect();
    due.sort_by_key(|i| i.id);
    due
}

/// Planned messages dated before `day`: late, oldest first.
pub fn overdue(items: &[CommsItem], day: NaiveDate) -> Vec<&CommsItem> {
    let mut late: Vec<&CommsItem> = items.iter().filter(|i| i.status == CommsStatus::Planned && i.date < day).collect();
    late.sort_by_key(|i| (i.date, i.id));
    late
}

/// One day of the calendar view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayCell {
    pub day: NaiveDate,
    /// False for the days of the previous and next months that fill the
    /// first and last weeks.
    pub in_month: bool,
    /// Items dated that day, any status, by id.
    pub item_ids: Vec<Id>,
}

/// A month as whole weeks, Monday first: 4 to 6 rows of 7 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthGrid {
    pub year: i32,
    pub month: u32,
    pub weeks: Vec<Vec<DayCell>>,
}

/// The calendar of `year`-`month`; `None` for a month that does not exist.
pub fn month_grid(year: i32, month: u32, items: &[CommsItem]) -> Option<MonthGrid> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last = first.checked_add_months(chrono::Months::new(1))?.pred_opt()?;
    let mut day = first.checked_sub_days(Days::new(first.weekday().num_days_from_monday().into()))?;
    let mut weeks = Vec::new();
    while day <= last {
        let mut week = Vec::with_capacity(7);
        for _ in 0..7 {
            let mut item_ids: Vec<Id> = items.iter().filter(|i| i.date == day).map(|i| i.id).collect();
            item_ids.sort_unstable();
            week.push(DayCell { day, in_month: day.month() == month && day.year() == year, item_ids });
            day = day.succ_opt()?;
        }
        weeks.push(week);
    }
    Some(MonthGrid { year, month, weeks })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn item(id: Id, date: &str, status: CommsStatus) -> CommsItem {
        CommsItem {
            id,
            title: format!("Message {id}"),
            audience: "All store staff".into(),
            channel: CommsChannel::Email,
            date: d(date),
            owner_id: 1,
            status,
        }
    }

    fn draft() -> CommsDraft {
        CommsDraft {
            title: Some("New returns desk".into()),
            audience: Some(" Store staff ".into()),
            channel: Some("intranet".into()),
            date: Some(d("2026-11-20")),
            owner_id: Some(3),
            status: None,
        }
    }

    #[test]
    fn keys_round_trip() {
        for s in CommsStatus::ALL {
            assert_eq!(CommsStatus::parse(s.key()), Some(s));
        }
        for c in CommsChannel::ALL {
            assert_eq!(CommsChannel::parse(c.key()), Some(c));
        }
    }

    #[test]
    fn drafts() {
        let today = d("2026-11-10");
        let ok = draft().validate(None, today).unwrap();
        assert_eq!(
            (ok.audience.as_str(), ok.channel, ok.status),
            ("Store staff", CommsChannel::Intranet, CommsStatus::Planned)
        );
        let e = CommsDraft::default().validate(None, today).unwrap_err();
        for f in ["title", "audience", "channel", "owner_id", "date"] {
            assert_eq!(e.get(f).unwrap().code, "required", "{f}");
        }
        let code = |dr: CommsDraft, cur: Option<CommsStatus>, f: &str| {
            dr.validate(cur, today).unwrap_err().get(f).unwrap().code
        };
        assert_eq!(code(CommsDraft { channel: Some("fax".into()), ..draft() }, None, "channel"), "invalid");
        assert_eq!(code(CommsDraft { status: Some("done".into()), ..draft() }, None, "status"), "invalid");
        assert_eq!(code(CommsDraft { status: Some("sent".into()), ..draft() }, None, "date"), "in_future");
        let sent_today = CommsDraft { status: Some("sent".into()), date: Some(today), ..draft() };
        assert_eq!(sent_today.validate(Some(CommsStatus::Planned), today).unwrap().status, CommsStatus::Sent);
        let reopen = CommsDraft { status: Some("planned".into()), ..draft() };
        assert!(
            reopen.validate(Some(CommsStatus::Cancelled), today).is_ok(),
            "a cancelled message may be planned again"
        );
        assert_eq!(code(reopen, Some(CommsStatus::Sent), "status"), "final");
        let keep = draft().validate(Some(CommsStatus::Cancelled), today).unwrap();
        assert_eq!(keep.status, CommsStatus::Cancelled, "no status keeps the current one");
    }

    #[test]
    fn due_and_overdue() {
        let items = [
            item(3, "2026-11-10", CommsStatus::Planned),
            item(1, "2026-11-10", CommsStatus::Planned),
            item(2, "2026-11-10", CommsStatus::Sent),
            item(4, "2026-11-10", CommsStatus::Cancelled),
            item(5, "2026-11-09", CommsStatus::Planned),
            item(6, "2026-11-02", CommsStatus::Planned),
            item(7, "2026-11-11", CommsStatus::Planned),
        ];
        let ids = |v: Vec<&CommsItem>| v.iter().map(|i| i.id).collect::<Vec<_>>();
        assert_eq!(ids(due_on(&items, d("2026-11-10"))), vec![1, 3]);
        assert_eq!(ids(overdue(&items, d("2026-11-10"))), vec![6, 5]);
        assert!(due_on(&items, d("2026-11-12")).is_empty());
    }

    #[test]
    fn month_grids() {
        // November 2026 starts on a Sunday and ends on a Monday: 6 rows.
        let items = [
            item(9, "2026-11-01", CommsStatus::Planned),
            item(2, "2026-11-01", CommsStatus::Sent),
            item(4, "2026-12-01", CommsStatus::Planned),
        ];
        let g = month_grid(2026, 11, &items).unwrap();
        assert_eq!(g.weeks.len(), 6);
        assert!(g.weeks.iter().all(|w| w.len() == 7));
        assert_eq!(g.weeks[0][0].day, d("2026-10-26"));
        assert!(!g.weeks[0][0].in_month);
        assert_eq!((g.weeks[0][6].day, g.weeks[0][6].item_ids.clone()), (d("2026-11-01"), vec![2, 9]));
        assert_eq!(g.weeks[5][0].day, d("2026-11-30"));
        assert_eq!((g.weeks[5][1].day, g.weeks[5][1].in_month), (d("2026-12-01"), false));
        assert_eq!(g.weeks[5][1].item_ids, vec![4], "neighbouring days show their items too");
        // February 2027 starts on a Monday: exactly 4 rows.
        let feb = month_grid(2027, 2, &[]).unwrap();
        assert_eq!(feb.weeks.len(), 4);
        assert_eq!((feb.weeks[0][0].day, feb.weeks[3][6].day), (d("2027-02-01"), d("2027-02-28")));
        assert!(feb.weeks.iter().flatten().all(|c| c.in_month));
        // December 2026 runs into 2027.
        let dec = month_grid(2026, 12, &[]).unwrap();
        assert_eq!(dec.weeks.last().unwrap()[6].day, d("2027-01-03"));
        assert_eq!(month_grid(2026, 13, &[]), None);
        assert_eq!(month_grid(2026, 0, &[]), None);
    }
}
