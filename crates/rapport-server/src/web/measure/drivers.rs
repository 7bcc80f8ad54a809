//! Key drivers of an experience: per analysis the derived importance (LMG
//! with its bootstrap interval, Johnson's relative weight), the quadrant
//! chart of importance × performance, stated against derived importance,
//! or the reason there are no figures; and the CSV of every driver.

use crate::api::measure::drivers::{stored, Drivers};
use crate::web::charts::{paired_bars, quadrant_chart, PairedBar, QuadrantDot, QuadrantLabels};
use crate::web::dashboard::csv::Table;
use crate::web::{Page, WebPath, WebResult};
use minijinja::context;
use rapport_core::lang::Lang;
use rapport_core::model::drivers::Quadrant;
use rapport_core::role::Permission;
use rapport_core::Id;
use std::collections::HashMap;

fn label(lang: Lang, l: &rapport_core::survey::Localized) -> &str {
    match lang {
        Lang::En => &l.en,
        Lang::Es => &l.es,
    }
}

/// The quadrant's stable key (`fix_first`, ...), as serialized.
fn quadrant_key(q: Quadrant) -> String {
    serde_json::to_value(q).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn charts(page: &Page, d: &Drivers) -> (Option<String>, Option<String>) {
    let lang = page.lang();
    let a = &d.analysis;
    let names: HashMap<&str, &str> = a.drivers.iter().map(|x| (x.key.as_str(), label(lang, &x.label))).collect();
    let name = |k: &str| names.get(k).copied().unwrap_or(k).to_string();
    let quadrant = a.quadrants.as_ref().map(|q| {
        let dots: Vec<QuadrantDot> = q
            .points
            .iter()
            .map(|p| QuadrantDot {
                label: name(&p.name),
                importance: p.importance,
                performance: p.performance,
                fix_first: p.quadrant == Quadrant::FixFirst,
            })
            .collect();
        let labels = QuadrantLabels {
            title: page.t("drivers-quadrant-title"),
            x_axis: page.t("drivers-importance"),
            y_axis: page.t("drivers-performance"),
            quadrants: ["fix_first", "keep_up", "over_served", "low_priority"]
                .map(|k| page.t(&format!("quadrant-{k}"))),
        };
        quadrant_chart(&dots, (q.thresholds.importance, q.thresholds.performance), &labels)
    });
    let stated = a.stated_vs_derived.as_ref().map(|rows| {
        let bars: Vec<PairedBar> = rows
            .iter()
            .map(|r| PairedBar { label: name(&r.name), first: r.stated_share, second: r.derived_share })
            .collect();
        let (s, dv) = (page.t("drivers-stated"), page.t("drivers-derived"));
        paired_bars(&bars, (&s, &dv), &page.t("drivers-stated-title"))
    });
    (quadrant, stated)
}

pub(super) async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let exp = page.store().get_experience(page.org(), id).await?;
    let analyses = stored(&page.state, page.org(), id).await?;
    let segments: HashMap<Id, String> =
        page.read_store().list_segments(page.org()).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let lang = page.lang();
    let views: Vec<_> = analyses
        .iter()
        .map(|d| {
            let (quadrant_svg, stated_svg) = charts(&page, d);
            let a = &d.analysis;
            let quadrant_of: HashMap<&str, Quadrant> = a
                .quadrants
                .iter()
                .flat_map(|q| q.points.iter().map(|p| (p.name.as_str(), p.quadrant)))
                .collect();
            let rows: Vec<_> = a
                .report
                .iter()
                .flat_map(|r| r.drivers.iter())
                .map(|dr| {
                    let label = a.drivers.iter().find(|x| x.key == dr.name).map_or(dr.name.as_str(), |x| label(lang, &x.label));
                    context! { name => label, driver => dr, quadrant => quadrant_of.get(dr.name.as_str()).map(|q| quadrant_key(*q)) }
                })
                .collect();
            context! {
                d => d,
                title => label(lang, &a.title),
                outcome => label(lang, &a.outcome),
                segment => d.segment_id.map(|s| segments.get(&s).cloned().unwrap_or_else(|| format!("#{s}"))),
                rows => rows,
                quadrant_svg => quadrant_svg,
                stated_svg => stated_svg,
            }
        })
        .collect();
    page.render(
        "value/drivers.html",
        context! { experience => context! { id => exp.id, name => exp.name }, analyses => views },
    )
}

pub(super) async fn csv(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    page.store().get_experience(page.org(), id).await?;
    let mut table = Table::new(vec![
        "analysis",
        "survey_id",
        "segment_id",
        "n",
        "r2",
        "driver",
        "lmg",
        "lmg_share",
        "lmg_share_low",
        "lmg_share_high",
        "relative_weight",
        "relative_weight_share",
        "performance",
        "quadrant",
    ]);
    for d in stored(&page.state, page.org(), id).await? {
        let a = &d.analysis;
        let Some(report) = &a.report else { continue };
        for dr in &report.drivers {
            let quadrant = a.quadrants.iter().flat_map(|q| &q.points).find(|p| p.name == dr.name);
            let share_interval = dr.lmg.share_interval;
            table.row(vec![
                a.kind.clone(),
                d.survey_id.map(|s| s.to_string()).unwrap_or_default(),
                d.segment_id.map(|s| s.to_string()).unwrap_or_default(),
                report.n.to_string(),
                format!("{:.6}", report.r2),
                dr.name.clone(),
                format!("{:.6}", dr.lmg.raw),
                format!("{:.6}", dr.lmg.share),
                share_interval.map(|i| format!("{:.6}", i.low)).unwrap_or_default(),
                share_interval.map(|i| format!("{:.6}", i.high)).unwrap_or_default(),
                format!("{:.6}", dr.relative_weight.raw),
                format!("{:.6}", dr.relative_weight.share),
                format!("{:.4}", dr.performance.scaled.unwrap_or(dr.performance.mean)),
                quadrant.map(|p| quadrant_key(p.quadrant)).unwrap_or_default(),
            ]);
        }
    }
    table.response(&format!("drivers-{id}"))
}
