//! In-app notifications and how each person wants them (P4).
//!
//! Policy: every kind is shown in the app by default and nothing is
//! e-mailed until the person asks for it, per kind, either at once or in a
//! daily digest (people on idea boards complain first about unwanted mail).
//! A digest goes out once the oldest thing it would carry is a day old, so
//! a person hears at most once a day and never waits more than a day.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// What a notification tells of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An announcement whose audience includes the person, to acknowledge.
    Announcement,
    /// A customer case assigned to the person.
    CaseAssigned,
    /// A case the person holds passed its promised time.
    CaseBreached,
    /// The status of the person's idea changed.
    IdeaStatus,
    /// Someone commented on the person's idea.
    IdeaComment,
    /// Someone gave the person (or their team) kudos.
    Kudos,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::Announcement, Kind::CaseAssigned, Kind::CaseBreached, Kind::IdeaStatus, Kind::IdeaComment, Kind::Kudos];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Announcement => "announcement",
            Kind::CaseAssigned => "case_assigned",
            Kind::CaseBreached => "case_breached",
            Kind::IdeaStatus => "idea_status",
            Kind::IdeaComment => "idea_comment",
            Kind::Kudos => "kudos",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How a person wants one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// In the notification centre only.
    InApp,
    /// In the centre, and by e-mail at once.
    Email,
    /// In the centre, and in one e-mail a day.
    Digest,
    /// Not at all.
    Off,
}

impl Delivery {
    pub const ALL: [Delivery; 4] = [Delivery::InApp, Delivery::Email, Delivery::Digest, Delivery::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::InApp => "in_app",
            Delivery::Email => "email",
            Delivery::Digest => "digest",
            Delivery::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// A kind's delivery when the person has not chosen: in the app only.
    pub fn default_for(_kind: Kind) -> Delivery {
        Delivery::InApp
    }
}

/// How long the oldest item of a digest waits before the digest goes.
pub const DIGEST_EVERY: Duration = Duration::hours(24);

/// Whether a person's digest is due, given when its oldest undelivered
/// item was written.
pub fn digest_due(oldest_pending: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - oldest_pending >= DIGEST_EVERY
}

/// Notifications a person can hold unread before the oldest are dropped
/// from the count (the centre pages through all of them).
pub const UNREAD_SHOWN_MAX: i64 = 99;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn names_round_trip_and_defaults_stay_quiet() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
            assert_eq!(Delivery::default_for(k), Delivery::InApp, "no e-mail unless asked for: {k:?}");
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        for d in Delivery::ALL {
            assert_eq!(Delivery::parse(d.as_str()), Some(d));
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
        }
        assert_eq!(Kind::parse("Announcement"), None);
        assert_eq!(Delivery::parse("weekly"), None);
    }

    #[test]
    fn a_digest_waits_a_day_for_its_oldest_item() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        assert!(!digest_due(t, t));
        assert!(!digest_due(t, t + Duration::hours(23) + Duration::minutes(59)));
        assert!(digest_due(t, t + Duration::hours(24)));
        assert!(digest_due(t, t + Duration::days(3)));
    }
}
