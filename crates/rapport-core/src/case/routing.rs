//! Routing: who gets a case and what is promised. Routing rules are tried
//! by position; the first whose conditions all hold (touchpoint, segment,
//! channel, listening post; an empty condition holds always) decides. What
//! a rule leaves open falls back: the assignee to the touchpoint's owner,
//! then to the listening post's governor, then to the organization's
//! default queue owner (so that a case is never left with nobody while a
//! default owner is set: a `refund` event without a touchpoint has neither
//! owner nor post); the first-response promise to the
//! listening post's, then to [`DEFAULT_FIRST_RESPONSE_HOURS`]; the
//! resolution promise to [`DEFAULT_RESOLUTION_HOURS`]. Hours are working
//! hours of the organization's calendar.

use super::triage::AssignmentReason;
use crate::validate::{optional_text, required_text, FieldErrors};
use crate::Id;
use serde::{Deserialize, Serialize};

/// One working day.
pub const DEFAULT_FIRST_RESPONSE_HOURS: i64 = 8;
/// One working week.
pub const DEFAULT_RESOLUTION_HOURS: i64 = 40;
/// A year of working hours: anything longer is a typo.
pub const MAX_PROMISE_HOURS: i64 = 2_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoutingRule {
    pub id: Id,
    pub name: String,
    /// Rules are tried from the lowest position.
    pub position: i64,
    pub touchpoint_id: Option<Id>,
    pub segment_id: Option<Id>,
    pub channel: Option<String>,
    pub listening_post_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub first_response_hours: Option<i64>,
    pub resolution_hours: Option<i64>,
}

/// What routing knows of the feedback that opens a case.
#[derive(Debug, Clone, Default)]
pub struct CaseContext {
    pub touchpoint_id: Option<Id>,
    /// The customer's segments.
    pub segments: Vec<Id>,
    pub channel: Option<String>,
    pub listening_post_id: Option<Id>,
    pub touchpoint_owner: Option<Id>,
    pub post_governor: Option<Id>,
    pub post_response_hours: Option<i64>,
    /// The organization's default queue owner (an active person), if set.
    pub default_owner: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing {
    pub assignee_id: Option<Id>,
    /// The routing rule that decided, if any.
    pub rule_id: Option<Id>,
    pub first_response_hours: i64,
    pub resolution_hours: i64,
}

impl RoutingRule {
    fn holds(&self, c: &CaseContext) -> bool {
        fn ok<T: PartialEq>(want: &Option<T>, have: Option<&T>) -> bool {
            want.as_ref().is_none_or(|w| have == Some(w))
        }
        ok(&self.touchpoint_id, c.touchpoint_id.as_ref())
            && self.segment_id.is_none_or(|s| c.segments.contains(&s))
            && match (&self.channel, &c.channel) {
                (None, _) => true,
                (Some(w), Some(h)) => w.eq_ignore_ascii_case(h),
                (Some(_), None) => false,
            }
            && ok(&self.listening_post_id, c.listening_post_id.as_ref())
    }
}

pub fn route(rules: &[RoutingRule], c: &CaseContext) -> Routing {
    assign(rules, c).0
}

/// [`route`], with the step that chose the assignee (`None`: nobody, only
/// when no default owner is set either).
pub fn assign(rules: &[RoutingRule], c: &CaseContext) -> (Routing, Option<AssignmentReason>) {
    let mut sorted: Vec<&RoutingRule> = rules.iter().collect();
    sorted.sort_by_key(|r| (r.position, r.id));
    let rule = sorted.into_iter().find(|r| r.holds(c));
    let first =
        rule.and_then(|r| r.first_response_hours).or(c.post_response_hours).unwrap_or(DEFAULT_FIRST_RESPONSE_HOURS);
    let resolution = rule.and_then(|r| r.resolution_hours).unwrap_or(DEFAULT_RESOLUTION_HOURS);
    let chosen = [
        (rule.and_then(|r| r.assignee_id), AssignmentReason::RoutingRule),
        (c.touchpoint_owner, AssignmentReason::TouchpointOwner),
        (c.post_governor, AssignmentReason::PostGovernor),
        (c.default_owner, AssignmentReason::DefaultOwner),
    ]
    .into_iter()
    .find_map(|(who, why)| who.map(|w| (w, why)));
    let routing = Routing {
        assignee_id: chosen.map(|c| c.0),
        rule_id: rule.map(|r| r.id),
        first_response_hours: first,
        // A resolution cannot be promised before the first response.
        resolution_hours: resolution.max(first),
    };
    (routing, chosen.map(|c| c.1))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoutingRuleDraft {
    pub name: Option<String>,
    pub position: Option<i64>,
    pub touchpoint_id: Option<Id>,
    pub segment_id: Option<Id>,
    pub channel: Option<String>,
    pub listening_post_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub first_response_hours: Option<i64>,
    pub resolution_hours: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoutingRuleInput {
    pub name: String,
    pub position: i64,
    pub touchpoint_id: Option<Id>,
    pub segment_id: Option<Id>,
    pub channel: Option<String>,
    pub listening_post_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub first_response_hours: Option<i64>,
    pub resolution_hours: Option<i64>,
}

impl RoutingRuleDraft {
    pub fn validate(&self) -> Result<RoutingRuleInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), 120);
        let channel = optional_text(&mut e, "channel", self.channel.as_deref(), 60).map(|c| c.to_lowercase());
        for (field, v) in
            [("first_response_hours", self.first_response_hours), ("resolution_hours", self.resolution_hours)]
        {
            if v.is_some_and(|h| !(1..=MAX_PROMISE_HOURS).contains(&h)) {
                e.add(field, "out_of_range", format!("must be between 1 and {MAX_PROMISE_HOURS} working hours"));
            }
        }
        if let (Some(f), Some(r)) = (self.first_response_hours, self.resolution_hours) {
            if r < f {
                e.add("resolution_hours", "before_first_response", "cannot be shorter than the first-response promise");
            }
        }
        e.into_result(RoutingRuleInput {
            name,
            position: self.position.unwrap_or(0),
            touchpoint_id: self.touchpoint_id,
            segment_id: self.segment_id,
            channel,
            listening_post_id: self.listening_post_id,
            assignee_id: self.assignee_id,
            first_response_hours: self.first_response_hours,
            resolution_hours: self.resolution_hours,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: Id, position: i64) -> RoutingRule {
        RoutingRule {
            id,
            name: format!("r{id}"),
            position,
            touchpoint_id: None,
            segment_id: None,
            channel: None,
            listening_post_id: None,
            assignee_id: Some(100 + id),
            first_response_hours: None,
            resolution_hours: None,
        }
    }

    fn ctx() -> CaseContext {
        CaseContext {
            touchpoint_id: Some(1),
            segments: vec![10, 11],
            channel: Some("Email".into()),
            listening_post_id: Some(20),
            touchpoint_owner: Some(7),
            post_governor: Some(8),
            post_response_hours: Some(4),
            default_owner: Some(9),
        }
    }

    #[test]
    fn nobody_else_means_the_default_owner_and_the_reason_says_which_step() {
        let bare = CaseContext { default_owner: Some(9), ..Default::default() };
        assert_eq!(assign(&[], &bare).0.assignee_id, Some(9));
        assert_eq!(assign(&[], &bare).1, Some(AssignmentReason::DefaultOwner));
        assert_eq!(assign(&[], &CaseContext::default()), (route(&[], &CaseContext::default()), None));
        assert_eq!(assign(&[], &ctx()).1, Some(AssignmentReason::TouchpointOwner));
        let governed = CaseContext { post_governor: Some(8), default_owner: Some(9), ..Default::default() };
        assert_eq!(assign(&[], &governed).1, Some(AssignmentReason::PostGovernor));
        assert_eq!(assign(&[rule(1, 0)], &ctx()), (route(&[rule(1, 0)], &ctx()), Some(AssignmentReason::RoutingRule)));
        assert_eq!(assign(&[rule(1, 0)], &ctx()).0.assignee_id, Some(101));
    }

    #[test]
    fn without_rules_the_owner_gets_it_with_the_posts_promise() {
        let r = route(&[], &ctx());
        assert_eq!(r, Routing { assignee_id: Some(7), rule_id: None, first_response_hours: 4, resolution_hours: 40 });
        let bare = route(&[], &CaseContext::default());
        assert_eq!(bare.assignee_id, None);
        assert_eq!(bare.first_response_hours, DEFAULT_FIRST_RESPONSE_HOURS);
        let governed = route(&[], &CaseContext { post_governor: Some(8), ..Default::default() });
        assert_eq!(governed.assignee_id, Some(8), "the governor when the touchpoint has no owner");
    }

    #[test]
    fn the_first_rule_by_position_whose_conditions_all_hold_decides() {
        let mut vip = rule(1, 2);
        vip.segment_id = Some(11);
        vip.first_response_hours = Some(1);
        vip.resolution_hours = Some(8);
        let mut phone = rule(2, 1);
        phone.channel = Some("phone".into());
        let mut elsewhere = rule(3, 0);
        elsewhere.touchpoint_id = Some(99);
        let r = route(&[vip.clone(), phone, elsewhere], &ctx());
        assert_eq!(
            r,
            Routing { assignee_id: Some(101), rule_id: Some(1), first_response_hours: 1, resolution_hours: 8 }
        );
        let mut email = rule(4, 5);
        email.channel = Some("email".into());
        email.assignee_id = None;
        let r = route(&[email], &ctx());
        assert_eq!((r.rule_id, r.assignee_id), (Some(4), Some(7)), "channel ignores case; owner fills the gap");
    }

    #[test]
    fn the_resolution_promise_is_never_before_the_first_response() {
        let mut slow = rule(1, 0);
        slow.first_response_hours = Some(60);
        let r = route(&[slow], &ctx());
        assert_eq!((r.first_response_hours, r.resolution_hours), (60, 60));
    }

    #[test]
    fn drafts_check_promises() {
        let d = RoutingRuleDraft {
            name: Some("VIP".into()),
            first_response_hours: Some(0),
            resolution_hours: Some(3000),
            ..Default::default()
        };
        let e = d.validate().unwrap_err();
        assert_eq!(e.get("first_response_hours").unwrap().code, "out_of_range");
        assert_eq!(e.get("resolution_hours").unwrap().code, "out_of_range");
        let d = RoutingRuleDraft {
            name: Some("x".into()),
            first_response_hours: Some(8),
            resolution_hours: Some(4),
            ..Default::default()
        };
        assert_eq!(d.validate().unwrap_err().get("resolution_hours").unwrap().code, "before_first_response");
        let ok = RoutingRuleDraft { name: Some("x".into()), channel: Some(" Phone ".into()), ..Default::default() };
        assert_eq!(ok.validate().unwrap().channel.as_deref(), Some("phone"));
    }
}
