//! Text analytics as storage sees it (C6): what is kept of each comment's
//! analysis, and recomputing it after the analyser or the themes change.

use crate::error::Result;
use async_trait::async_trait;
use chrono::NaiveDate;
use rapport_core::measure::Tally;
use rapport_core::text::{ThemeDef, ThemeInput};
use rapport_core::Id;
use serde::Serialize;

/// How often a theme was mentioned over a period, and the mentioning
/// comments' sentiment (from `theme_days`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ThemeCount {
    pub theme_id: Id,
    pub n: i64,
    pub sentiment_sum: f64,
}

/// A response's themes, found and tagged (see [`TextAnalytics::response_themes`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ResponseThemes {
    pub matched: Vec<Id>,
    pub tagged: Vec<Id>,
}

/// One step of [`TextAnalytics::rebuild_text`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TextRebuilt {
    /// Responses read in this step.
    pub read: u64,
    /// Of those, the ones whose stored analysis changed.
    pub changed: u64,
    /// The last response id read: the next step starts after it; `None`
    /// when there was nothing left.
    pub last: Option<Id>,
}

#[async_trait]
pub trait TextAnalytics {
    /// Recomputes the stored analysis of at most `limit` responses with an
    /// id above `after`, in id order, in one write transaction, from what
    /// each customer wrote (`rapport_core::feedback::written_text`); rows
    /// whose analysis is unchanged are not written, so a rebuild with
    /// nothing changed writes nothing.
    async fn rebuild_text(&self, org: Id, after: Id, limit: i64) -> Result<TextRebuilt>;

    /// Responses with something written, analysed.
    async fn count_written(&self, org: Id) -> Result<i64>;

    /// The organization's themes, by name.
    async fn list_themes(&self, org: Id) -> Result<Vec<ThemeDef>>;

    /// A new theme; it applies to comments stored from now on (and to
    /// older ones after `rebuild_text`). A name taken is `Conflict`.
    async fn create_theme(&self, org: Id, theme: &ThemeInput) -> Result<ThemeDef>;

    async fn update_theme(&self, org: Id, id: Id, theme: &ThemeInput) -> Result<ThemeDef>;

    /// Deletes a theme with its mentions and counts.
    async fn delete_theme(&self, org: Id, id: Id) -> Result<()>;

    /// Each theme's mentions on the days `from..to` (end excluded), at one
    /// touchpoint or all; themes never mentioned then are left out.
    async fn theme_counts(
        &self,
        org: Id,
        touchpoint: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ThemeCount>>;

    /// The themes of a response: those its comment mentions (keyword
    /// matches) and those a person tagged it with, each by id ascending.
    async fn response_themes(&self, org: Id, response: Id) -> Result<ResponseThemes>;

    /// Tags a response with a theme by hand (`on`), or takes the tag off;
    /// `actor` is recorded. An unknown response or theme is `NotFound`.
    async fn tag_response(&self, org: Id, response: Id, theme: Id, on: bool, actor: &str) -> Result<()>;

    /// The comments' sentiment per day on `from..to` (end excluded), at one
    /// touchpoint or all, in thousandths (`rapport_core::text::trend`);
    /// days without comments are left out.
    async fn sentiment_by_day(
        &self,
        org: Id,
        touchpoint: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Tally)>>;
}
