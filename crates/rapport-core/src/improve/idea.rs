//! Ideas (D4): anyone submits one for a touchpoint or an experience, people
//! vote (once each) and comment, reviewers move it through its statuses, and
//! duplicates are merged into one idea.
//!
//! The statuses and the moves allowed between them:
//!
//! ```text
//! new → under_review → approved → planned → in_sprint → implemented
//!                    ↘ rejected ↗ (back to under_review, to reconsider)
//!                                 planned → implemented (no sprint needed)
//!                                 in_sprint → planned (a sprint's scope dropped it)
//! ```
//!
//! Rejecting needs a reason, which the author is told. A rejected idea may be
//! reconsidered (back to review) because circumstances change and the board
//! should not need a duplicate to revive it. Implemented is final. Skipping
//! review is not allowed: every decision is made on an idea someone looked
//! at.
//!
//! A merged duplicate keeps its own status but points at the idea it was
//! merged into; its voters move there (a union: who voted for both counts
//! once). Merged ideas take no votes and no further moves.

use crate::validate::{optional_text, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdeaStatus {
    New,
    UnderReview,
    Approved,
    Rejected,
    Planned,
    InSprint,
    Implemented,
}

impl IdeaStatus {
    pub const ALL: [IdeaStatus; 7] = [
        IdeaStatus::New,
        IdeaStatus::UnderReview,
        IdeaStatus::Approved,
        IdeaStatus::Rejected,
        IdeaStatus::Planned,
        IdeaStatus::InSprint,
        IdeaStatus::Implemented,
    ];

    pub fn key(self) -> &'static str {
        match self {
            IdeaStatus::New => "new",
            IdeaStatus::UnderReview => "under_review",
            IdeaStatus::Approved => "approved",
            IdeaStatus::Rejected => "rejected",
            IdeaStatus::Planned => "planned",
            IdeaStatus::InSprint => "in_sprint",
            IdeaStatus::Implemented => "implemented",
        }
    }

    pub fn parse(s: &str) -> Option<IdeaStatus> {
        IdeaStatus::ALL.into_iter().find(|x| x.key() == s)
    }

    /// Rejected or implemented: no longer an idea anyone is working on.
    pub fn is_closed(self) -> bool {
        matches!(self, IdeaStatus::Rejected | IdeaStatus::Implemented)
    }

    /// Where an idea in this status may go next (the buttons a reviewer sees).
    pub fn next(self) -> &'static [IdeaStatus] {
        use IdeaStatus::*;
        match self {
            New => &[UnderReview],
            UnderReview => &[Approved, Rejected],
            Approved => &[Planned],
            Rejected => &[UnderReview],
            Planned => &[InSprint, Implemented],
            InSprint => &[Implemented, Planned],
            Implemented => &[],
        }
    }
}

/// The longest reason or comment accepted.
pub const MAX_TEXT: usize = 4000;

/// Whether an idea may move from `from` to `to`. Errors are on `status`
/// (not an allowed move) and `reason` (rejecting needs a non-blank one).
/// A reason given with another move is allowed: it is kept as a note.
pub fn transition(from: IdeaStatus, to: IdeaStatus, reason: Option<&str>) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if from == to {
        e.add("status", "unchanged", format!("the idea is already {}", to.key()));
    } else if from == IdeaStatus::Implemented {
        e.add("status", "final", "an implemented idea cannot change status");
    } else if !from.next().contains(&to) {
        let allowed: Vec<&str> = from.next().iter().map(|s| s.key()).collect();
        e.add(
            "status",
            "invalid_transition",
            format!("{} cannot go to {}; it can go to {}", from.key(), to.key(), allowed.join(" or ")),
        );
    }
    let reason = reason.map(str::trim).unwrap_or("");
    if to == IdeaStatus::Rejected && reason.is_empty() {
        e.add("reason", "required", "is required: tell the author why the idea is rejected");
    } else if reason.chars().count() > MAX_TEXT {
        e.add("reason", "too_long", format!("must be at most {MAX_TEXT} characters"));
    }
    e.into_result(())
}

/// How an idea arrived. E-mail cannot name a touchpoint, so only e-mailed
/// ideas may arrive unfiled; a reviewer files them before approving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdeaSource {
    #[default]
    Web,
    Api,
    Email,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Idea {
    pub id: Id,
    pub title: String,
    pub body: Option<String>,
    pub author_id: Id,
    pub source: IdeaSource,
    pub touchpoint_id: Option<Id>,
    pub experience_id: Option<Id>,
    pub status: IdeaStatus,
    /// Why it was rejected (or the note of the last move).
    pub status_reason: Option<String>,
    pub votes: i64,
    pub comments: i64,
    /// Set when this idea was merged into another as a duplicate.
    pub merged_into: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdeaDraft {
    pub title: Option<String>,
    pub body: Option<String>,
    pub touchpoint_id: Option<Id>,
    pub experience_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IdeaInput {
    pub title: String,
    pub body: Option<String>,
    pub touchpoint_id: Option<Id>,
    pub experience_id: Option<Id>,
    pub source: IdeaSource,
}

impl IdeaDraft {
    pub fn validate(&self, source: IdeaSource) -> Result<IdeaInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = required_text(&mut e, "title", self.title.as_deref(), 200);
        let body = optional_text(&mut e, "body", self.body.as_deref(), 10_000);
        if source != IdeaSource::Email {
            if let Err(f) = check_filed(self.touchpoint_id, self.experience_id) {
                e.0.extend(f.0);
            }
        }
        e.into_result(IdeaInput {
            title,
            body,
            touchpoint_id: self.touchpoint_id,
            experience_id: self.experience_id,
            source,
        })
    }
}

/// An idea is about a touchpoint or an experience (or both). Checked on
/// submission from the web and the API, and before approving any idea.
pub fn check_filed(touchpoint_id: Option<Id>, experience_id: Option<Id>) -> Result<(), FieldErrors> {
    if touchpoint_id.is_none() && experience_id.is_none() {
        return Err(FieldErrors::single(
            "touchpoint_id",
            "required",
            "choose the touchpoint or the experience the idea improves",
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentDraft {
    pub body: Option<String>,
}

impl CommentDraft {
    /// The comment's trimmed text.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let body = required_text(&mut e, "body", self.body.as_deref(), MAX_TEXT);
        e.into_result(body)
    }
}

/// Votes go to live ideas: not merged (vote for the idea it went into) and
/// not closed.
pub fn vote_check(idea: &Idea) -> Result<(), FieldErrors> {
    if let Some(into) = idea.merged_into {
        return Err(FieldErrors::single(
            "idea",
            "merged",
            format!("this idea was merged into idea {into}; vote there"),
        ));
    }
    if idea.status.is_closed() {
        return Err(FieldErrors::single("idea", "closed", format!("the idea is {}", idea.status.key())));
    }
    Ok(())
}

/// Whether `duplicate` may be merged into `target`: two different ideas,
/// neither already merged nor closed. Errors on `target_id`.
pub fn merge_check(target: &Idea, duplicate: &Idea) -> Result<(), FieldErrors> {
    let fail = |code, message: String| Err(FieldErrors::single("target_id", code, message));
    if target.id == duplicate.id {
        return fail("same_idea", "an idea cannot be merged into itself".into());
    }
    if let Some(into) = duplicate.merged_into {
        return fail("already_merged", format!("idea {} was already merged into idea {into}", duplicate.id));
    }
    if let Some(into) = target.merged_into {
        // Chains would make "where did my vote go" a walk; merge into the end.
        return fail("target_merged", format!("idea {} was merged into idea {into}; merge into that one", target.id));
    }
    for idea in [target, duplicate] {
        if idea.status.is_closed() {
            return fail(
                "closed",
                format!("idea {} is {} and cannot take part in a merge", idea.id, idea.status.key()),
            );
        }
    }
    Ok(())
}

/// The voters of a merged pair: the union, sorted. `added` are the voters of
/// the duplicate the target did not have, whose votes storage moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteMerge {
    pub voters: Vec<Id>,
    pub added: Vec<Id>,
}

pub fn merge_voters(target: &[Id], duplicate: &[Id]) -> VoteMerge {
    let mut voters: Vec<Id> = target.to_vec();
    voters.sort_unstable();
    voters.dedup();
    let mut added: Vec<Id> = duplicate.iter().copied().filter(|v| voters.binary_search(v).is_err()).collect();
    added.sort_unstable();
    added.dedup();
    voters.extend(&added);
    voters.sort_unstable();
    VoteMerge { voters, added }
}

/// What the idea of the day is chosen from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IdeaScore {
    pub id: Id,
    pub votes: i64,
    pub created_at: DateTime<Utc>,
    pub status: IdeaStatus,
    pub merged: bool,
}

/// Ideas older than this many days are not "recent".
pub const IDEA_OF_THE_DAY_DAYS: i64 = 30;
/// How many of the best-voted recent ideas take turns.
pub const IDEA_OF_THE_DAY_POOL: usize = 5;

/// The idea shown on the home page on `today`: among ideas created in the
/// last 30 days (today included), not rejected, not merged and with at least
/// one vote, the five best-voted (ties: newer first, then lower id) take
/// turns. Each candidate gets a pseudo-random weight from (day, id) and the
/// lowest wins — so the choice is the same all day, and a vote that
/// reshuffles the pool moves it only if the winner leaves the pool. The
/// winner the same pool would give yesterday is left out when there is
/// another candidate, so the idea changes every day.
pub fn idea_of_the_day(ideas: &[IdeaScore], today: NaiveDate) -> Option<Id> {
    let oldest = today.checked_sub_days(chrono::Days::new(IDEA_OF_THE_DAY_DAYS as u64 - 1)).unwrap_or(NaiveDate::MIN);
    let mut pool: Vec<&IdeaScore> = ideas
        .iter()
        .filter(|i| !i.merged && i.status != IdeaStatus::Rejected && i.votes > 0)
        .filter(|i| (oldest..=today).contains(&i.created_at.date_naive()))
        .collect();
    pool.sort_by(|a, b| b.votes.cmp(&a.votes).then(b.created_at.cmp(&a.created_at)).then(a.id.cmp(&b.id)));
    pool.truncate(IDEA_OF_THE_DAY_POOL);
    let ids: Vec<Id> = pool.iter().map(|i| i.id).collect();
    let yesterday = today.pred_opt().and_then(|y| pick(&ids, y));
    let today_ids: Vec<Id> = ids.iter().copied().filter(|id| ids.len() < 2 || Some(*id) != yesterday).collect();
    pick(&today_ids, today)
}

fn pick(ids: &[Id], day: NaiveDate) -> Option<Id> {
    ids.iter().copied().min_by_key(|id| (mix(day.num_days_from_ce() as u64, *id as u64), *id))
}

/// SplitMix64's finaliser over the day and the id: a fixed, well-spread
/// hash, the same on every server and every release (std's hasher is not
/// promised to be).
fn mix(day: u64, id: u64) -> u64 {
    let mut z = day.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ id.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn idea(id: Id, status: IdeaStatus) -> Idea {
        let at = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
        Idea {
            id,
            title: format!("Idea {id}"),
            body: None,
            author_id: 1,
            source: IdeaSource::Web,
            touchpoint_id: Some(7),
            experience_id: None,
            status,
            status_reason: None,
            votes: 0,
            comments: 0,
            merged_into: None,
            created_at: at,
            updated_at: at,
        }
    }

    fn code(r: Result<(), FieldErrors>, field: &str) -> &'static str {
        let e = r.unwrap_err();
        e.get(field).unwrap_or_else(|| panic!("{field}: {e}")).code
    }

    #[test]
    fn status_keys_round_trip() {
        for s in IdeaStatus::ALL {
            assert_eq!(IdeaStatus::parse(s.key()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.key()));
        }
        assert_eq!(IdeaStatus::parse("done"), None);
    }

    #[test]
    fn the_happy_path_is_allowed() {
        use IdeaStatus::*;
        let path = [New, UnderReview, Approved, Planned, InSprint, Implemented];
        for w in path.windows(2) {
            assert!(transition(w[0], w[1], None).is_ok(), "{:?} → {:?}", w[0], w[1]);
        }
        assert!(transition(Planned, Implemented, None).is_ok(), "not every idea needs a sprint");
        assert!(transition(InSprint, Planned, Some("dropped from the sprint's scope")).is_ok());
        assert!(transition(Rejected, UnderReview, None).is_ok(), "reconsidering");
    }

    #[test]
    fn other_moves_are_refused() {
        use IdeaStatus::*;
        assert_eq!(code(transition(New, Approved, None), "status"), "invalid_transition", "no skipping review");
        assert_eq!(code(transition(New, Rejected, Some("no")), "status"), "invalid_transition");
        assert_eq!(code(transition(Rejected, Approved, None), "status"), "invalid_transition");
        assert_eq!(code(transition(Approved, InSprint, None), "status"), "invalid_transition");
        assert_eq!(code(transition(Planned, Planned, None), "status"), "unchanged");
        for to in IdeaStatus::ALL.into_iter().filter(|s| *s != Implemented) {
            assert_eq!(code(transition(Implemented, to, Some("x")), "status"), "final");
        }
        let e = transition(UnderReview, Planned, None).unwrap_err();
        assert!(e.get("status").unwrap().message.contains("approved or rejected"), "{e}");
        // Every listed move passes, and only those.
        for from in IdeaStatus::ALL {
            for to in IdeaStatus::ALL {
                let ok = transition(from, to, Some("because")).is_ok();
                assert_eq!(ok, from.next().contains(&to), "{from:?} → {to:?}");
            }
        }
    }

    #[test]
    fn rejecting_needs_a_reason() {
        use IdeaStatus::*;
        for blank in [None, Some(""), Some("  \n ")] {
            assert_eq!(code(transition(UnderReview, Rejected, blank), "reason"), "required");
        }
        assert!(transition(UnderReview, Rejected, Some("Out of budget this year")).is_ok());
        let long = "x".repeat(MAX_TEXT + 1);
        assert_eq!(code(transition(UnderReview, Approved, Some(&long)), "reason"), "too_long");
        // Both problems are reported at once.
        let e = transition(New, Rejected, None).unwrap_err();
        assert!(e.get("status").is_some() && e.get("reason").is_some());
    }

    #[test]
    fn drafts_need_a_title_and_a_home_except_by_email() {
        let e = IdeaDraft::default().validate(IdeaSource::Web).unwrap_err();
        assert_eq!(e.get("title").unwrap().code, "required");
        assert_eq!(e.get("touchpoint_id").unwrap().code, "required");
        let draft = IdeaDraft { title: Some(" Shorter queue ".into()), body: Some("  ".into()), ..Default::default() };
        assert!(draft.validate(IdeaSource::Api).is_err());
        let ok = draft.validate(IdeaSource::Email).unwrap();
        assert_eq!((ok.title.as_str(), ok.body, ok.source), ("Shorter queue", None, IdeaSource::Email));
        let filed = IdeaDraft { experience_id: Some(3), ..draft };
        assert_eq!(filed.validate(IdeaSource::Web).unwrap().experience_id, Some(3));
        assert!(check_filed(Some(1), None).is_ok() && check_filed(None, None).is_err());
        assert_eq!(CommentDraft { body: Some(" +1, and… ".into()) }.validate().unwrap(), "+1, and…");
        assert_eq!(CommentDraft::default().validate().unwrap_err().get("body").unwrap().code, "required");
    }

    #[test]
    fn votes_go_to_live_ideas() {
        assert!(vote_check(&idea(1, IdeaStatus::Approved)).is_ok());
        assert_eq!(code(vote_check(&idea(1, IdeaStatus::Rejected)), "idea"), "closed");
        assert_eq!(code(vote_check(&idea(1, IdeaStatus::Implemented)), "idea"), "closed");
        let merged = Idea { merged_into: Some(9), ..idea(1, IdeaStatus::New) };
        assert_eq!(code(vote_check(&merged), "idea"), "merged");
    }

    #[test]
    fn merge_checks() {
        let (a, b) = (idea(1, IdeaStatus::New), idea(2, IdeaStatus::UnderReview));
        assert!(merge_check(&a, &b).is_ok());
        assert_eq!(code(merge_check(&a, &a), "target_id"), "same_idea");
        let gone = Idea { merged_into: Some(5), ..b.clone() };
        assert_eq!(code(merge_check(&a, &gone), "target_id"), "already_merged");
        assert_eq!(code(merge_check(&gone, &a), "target_id"), "target_merged");
        assert_eq!(code(merge_check(&idea(3, IdeaStatus::Rejected), &b), "target_id"), "closed");
        assert_eq!(code(merge_check(&a, &idea(3, IdeaStatus::Implemented)), "target_id"), "closed");
        assert!(merge_check(&idea(3, IdeaStatus::InSprint), &b).is_ok(), "a planned idea can absorb a duplicate");
    }

    #[test]
    fn merged_votes_are_a_union() {
        let m = merge_voters(&[4, 1, 9], &[9, 2, 2, 4, 7]);
        assert_eq!(m.voters, vec![1, 2, 4, 7, 9]);
        assert_eq!(m.added, vec![2, 7], "who voted for both counts once");
        let m = merge_voters(&[], &[3]);
        assert_eq!((m.voters, m.added), (vec![3], vec![3]));
        assert_eq!(merge_voters(&[1], &[]).added, Vec::<Id>::new());
    }

    fn score(id: Id, votes: i64, day: u32) -> IdeaScore {
        let created_at = Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap();
        IdeaScore { id, votes, created_at, status: IdeaStatus::UnderReview, merged: false }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn idea_of_the_day_eligibility() {
        let today = day("2026-11-30");
        assert_eq!(idea_of_the_day(&[], today), None);
        let only = |s: IdeaScore| idea_of_the_day(&[s], today);
        assert_eq!(only(score(1, 3, 10)), Some(1));
        assert_eq!(only(score(1, 0, 10)), None, "no votes, not well-voted");
        assert_eq!(only(IdeaScore { status: IdeaStatus::Rejected, ..score(1, 9, 10) }), None);
        assert_eq!(only(IdeaScore { merged: true, ..score(1, 9, 10) }), None);
        assert_eq!(only(IdeaScore { status: IdeaStatus::Implemented, ..score(1, 9, 10) }), Some(1));
        // The window is the 30 days ending today: 1 November is the first.
        assert_eq!(only(score(1, 3, 1)), Some(1));
        let october = IdeaScore { created_at: Utc.with_ymd_and_hms(2026, 10, 31, 23, 0, 0).unwrap(), ..score(1, 3, 1) };
        assert_eq!(only(october), None);
        assert_eq!(idea_of_the_day(&[score(1, 3, 10)], day("2026-11-09")), None, "not yet created");
    }

    #[test]
    fn idea_of_the_day_is_stable_within_a_day_and_rotates_among_the_best() {
        // Ten ideas; 1-5 are the best-voted, 6-10 trail.
        let ideas: Vec<IdeaScore> = (1..=10).map(|id| score(id, 100 - id, 1 + id as u32)).collect();
        let start = day("2026-11-20");
        let mut seen = std::collections::BTreeSet::new();
        let mut last = None;
        for offset in 0..10u64 {
            let today = start + chrono::Days::new(offset);
            let pick = idea_of_the_day(&ideas, today).unwrap();
            assert_eq!(idea_of_the_day(&ideas, today), Some(pick), "same all day");
            let mut reversed = ideas.clone();
            reversed.reverse();
            assert_eq!(idea_of_the_day(&reversed, today), Some(pick), "input order does not matter");
            assert!(pick <= 5, "{today}: {pick} is not among the best-voted");
            assert_ne!(Some(pick), last, "{today}: changes daily");
            last = Some(pick);
            seen.insert(pick);
        }
        assert!(seen.len() >= 3, "rotates: {seen:?}");
        // A vote among the trailing ideas does not move today's choice.
        let today = day("2026-11-24");
        let pick = idea_of_the_day(&ideas, today).unwrap();
        let mut voted = ideas.clone();
        voted[8].votes += 1;
        assert_eq!(idea_of_the_day(&voted, today), Some(pick));
    }
}
