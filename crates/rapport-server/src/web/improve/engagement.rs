//! Engagement (`/engagement`): who submits ideas, whose are implemented,
//! participation by department and the months' series.

use super::Names;
use crate::web::charts::sparkline;
use crate::web::{Page, WebResult};
use minijinja::context;
use rapport_core::improve::engagement;
use rapport_core::role::Permission;
use std::collections::BTreeMap;

pub(super) async fn show(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let rows = page.store().idea_rows(page.org()).await?;
    let mut heads: BTreeMap<String, u32> = BTreeMap::new();
    for person in page.store().list_people(page.org()).await? {
        if let (Some(d), None) = (person.department, person.left_on) {
            *heads.entry(d).or_default() += 1;
        }
    }
    let headcounts: Vec<(String, u32)> = heads.into_iter().collect();
    let e = engagement(&rows, &headcounts);
    let names = Names::load(&page).await?;
    let people: Vec<_> = e
        .people
        .iter()
        .map(|p| context! { name => names.person(p.person_id), department => &p.department, submitted => p.submitted, implemented => p.implemented })
        .collect();
    let top = e.months.iter().map(|m| m.submitted).max().unwrap_or(0).max(1);
    let months: Vec<_> = e
        .months
        .iter()
        .map(|m| {
            context! {
                month => &m.month, submitted => m.submitted, submitters => m.submitters, implemented => m.implemented,
                width => f64::from(m.submitted) * 100.0 / f64::from(top),
            }
        })
        .collect();
    let series: Vec<Option<f64>> = e.months.iter().map(|m| Some(f64::from(m.submitted))).collect();
    let spark = (series.len() > 1).then(|| sparkline(&series, 160.0, 32.0));
    page.render(
        "improve/engagement.html",
        context! { people => people, departments => &e.departments, months => months, spark => spark },
    )
}
