//! Layout check: the dashboard, the wall screen, the journey map, an
//! experience's drill-down (its designed-path chart) and a few pages of
//! stacked tables (listening posts, root causes, coverage, people) at
//! 390×844 and 1920×1080, in Spanish (the longer labels), measured from
//! the element boxes the browser laid out, not by eye. Screenshots of each land in `target/screenshots/layout-*.png`.
//!
//! What "fits" means here (see [`MEASURE`]):
//! - nothing scrolls sideways: the document is no wider than the viewport,
//!   and no visible element reaches past the viewport's right edge unless a
//!   scroll box of its own holds it;
//! - no text is clipped: an element with `overflow: hidden`/`clip` holds all
//!   its content (intentional truncations, `text-overflow: ellipsis` and line
//!   clamps, and visually hidden text are left out);
//! - no overlap: tiles, cards and journey cards do not intersect their
//!   siblings, a tile's parts neither intersect each other nor stick out of
//!   the tile, and a stacked table's label (its `::before`) is no taller
//!   than its cell;
//! - the wall screen fits 1920×1080 without any scrolling;
//! - on a phone the dashboard's whole first tile is on the first screen
//!   (its top alone was there even with the filters unfolded).

use crate::page::wait_until;
use crate::{
    browser_tools, save_screenshot, screenshots_dir, session, sign_in_in_spanish, start_chromedriver, Cdp, Viewport,
};
use anyhow::{ensure, Context, Result};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

/// The script measuring the laid-out page; returns the problems found, as
/// sentences, and a few figures.
const MEASURE: &str = r#"
const vw = window.innerWidth, vh = window.innerHeight;
const problems = [];
const visible = el => {
  const cs = getComputedStyle(el);
  if (cs.display === 'none' || cs.visibility === 'hidden') return false;
  const r = el.getBoundingClientRect();
  return r.width > 1 && r.height > 1;
};
const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');
const hiddenOverflow = v => v === 'hidden' || v === 'clip';
const scrolls = v => v === 'auto' || v === 'scroll';
const intentionallyCut = (el, cs) => cs.textOverflow === 'ellipsis' || cs.webkitLineClamp !== 'none' ||
  (cs.clip && cs.clip !== 'auto') || el.closest('.visually-hidden, [aria-hidden="true"]');
// Inside a box clipped to nothing (a stacked table's hidden header row).
const clippedAway = el => {
  for (let p = el; p && p !== document.body; p = p.parentElement) {
    const cs = getComputedStyle(p);
    if (p.closest('.visually-hidden') || (cs.clip && cs.clip !== 'auto')) return true;
    const r = p.getBoundingClientRect();
    if ((hiddenOverflow(cs.overflowX) || hiddenOverflow(cs.overflowY)) && (r.width <= 1 || r.height <= 1)) return true;
  }
  return false;
};
const inScrollBox = el => {
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    if (scrolls(getComputedStyle(p).overflowX)) return true;
  }
  return false;
};
const doc = document.documentElement;
if (doc.scrollWidth > vw + 1) problems.push(`the page is ${doc.scrollWidth} px wide in a ${vw} px viewport`);
for (const el of document.body.querySelectorAll('*')) {
  if (!visible(el)) continue;
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  if (r.right > vw + 1 && !inScrollBox(el) && !clippedAway(el))
    problems.push(`${name(el)} reaches x=${Math.round(r.right)} past the ${vw} px viewport`);
  if ((hiddenOverflow(cs.overflowX) || hiddenOverflow(cs.overflowY)) && !intentionallyCut(el, cs) && el.textContent.trim()) {
    if (hiddenOverflow(cs.overflowX) && el.scrollWidth > el.clientWidth + 1)
      problems.push(`${name(el)} clips its text sideways (${el.scrollWidth} > ${el.clientWidth})`);
    if (hiddenOverflow(cs.overflowY) && el.scrollHeight > el.clientHeight + 1)
      problems.push(`${name(el)} clips its text (${el.scrollHeight} > ${el.clientHeight} px high)`);
  }
  if (el.tagName === 'svg' && el.parentElement) {
    const box = el.parentElement;
    const pcs = getComputedStyle(box);
    if (!scrolls(pcs.overflowX) && r.right > box.getBoundingClientRect().right + 1)
      problems.push(`${name(el)} sticks out of ${name(box)} by ${Math.round(r.right - box.getBoundingClientRect().right)} px`);
  }
}
const overlap = (a, b) => {
  const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return x > 1 && y > 1;
};
// Sibling boxes among tiles, cards and journey cards.
const groups = new Map();
for (const el of document.querySelectorAll('.tile, .card, .tp-card, .stage, .kpi-card')) {
  if (!visible(el) || !el.parentElement) continue;
  if (!groups.has(el.parentElement)) groups.set(el.parentElement, []);
  groups.get(el.parentElement).push(el);
}
for (const els of groups.values())
  for (let i = 0; i < els.length; i++)
    for (let j = i + 1; j < els.length; j++)
      if (overlap(els[i].getBoundingClientRect(), els[j].getBoundingClientRect()))
        problems.push(`${name(els[i])} overlaps ${name(els[j])}`);
// A tile's parts: inside the tile, and not on each other.
for (const tile of document.querySelectorAll('.tile')) {
  if (!visible(tile)) continue;
  const t = tile.getBoundingClientRect();
  const parts = [...tile.children].filter(visible);
  for (const p of parts) {
    const r = p.getBoundingClientRect();
    if (r.left < t.left - 1 || r.right > t.right + 1 || r.top < t.top - 1 || r.bottom > t.bottom + 1)
      problems.push(`${name(p)} sticks out of ${name(tile)}`);
  }
  for (let i = 0; i < parts.length; i++)
    for (let j = i + 1; j < parts.length; j++)
      if (overlap(parts[i].getBoundingClientRect(), parts[j].getBoundingClientRect()))
        problems.push(`${name(parts[i])} overlaps ${name(parts[j])} in ${name(tile)}`);
}
// A stacked table's label is drawn by ::before: it must fit in its cell.
for (const td of document.querySelectorAll('.table-stack td[data-label]')) {
  if (!visible(td)) continue;
  const before = getComputedStyle(td, '::before');
  if (before.display === 'none' || before.content === 'none' || before.float === 'none') continue;
  const h = parseFloat(before.height) + parseFloat(before.marginTop || '0');
  const cell = td.getBoundingClientRect().height;
  if (h > cell + 1) problems.push(`the label "${td.dataset.label}" (${Math.round(h)} px) runs out of its ${Math.round(cell)} px cell`);
}
const first = document.querySelector('#tiles .tile');
const tiles = [...document.querySelectorAll('#tiles .tile')].filter(visible);
return {
  lowestTileBottom: tiles.length ? Math.max(...tiles.map(t => t.getBoundingClientRect().bottom + window.scrollY)) : null,
  problems: problems.slice(0, 40),
  count: problems.length,
  scrollHeight: doc.scrollHeight,
  innerHeight: vh,
  firstTileBottom: first ? first.getBoundingClientRect().bottom + window.scrollY : null,
};
"#;

/// A viewport: its name and size, and whether it is a phone.
#[derive(Clone, Copy)]
struct Size {
    name: &'static str,
    width: u32,
    height: u32,
    phone: bool,
}

const SIZES: [Size; 2] = [
    Size { name: "phone", width: 390, height: 844, phone: true },
    Size { name: "wall", width: 1920, height: 1080, phone: false },
];

#[tokio::test]
async fn dashboard_wall_and_journey_fit_phone_and_wall_screen() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let db = crate::common::Db::sqlite();
    let server = db.serve(&["--demo"]);
    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    let mut failures = Vec::new();
    for size in SIZES {
        let profile = tempfile::tempdir().expect("profile dir");
        let client = session(&webdriver, &chromium, profile.path(), Viewport::Desktop)
            .await
            .unwrap_or_else(|e| panic!("chromedriver session: {e}"));
        if let Err(e) = check_size(&client, &server.url, size, &mut failures).await {
            let _ =
                save_screenshot(&client, &screenshots_dir().join(format!("layout-{}-failure.png", size.name))).await;
            failures.push(format!("{}: {e:#}", size.name));
        }
        let _ = client.close().await;
    }
    assert!(
        failures.is_empty(),
        "layout problems (screenshots in target/screenshots/layout-*.png):\n{}",
        failures.join("\n")
    );
}

async fn check_size(c: &Client, base: &str, size: Size, failures: &mut Vec<String>) -> Result<()> {
    let metrics = json!({"width": size.width, "height": size.height,
        "deviceScaleFactor": if size.phone { 3 } else { 1 }, "mobile": size.phone});
    c.issue_cmd(Cdp { cmd: "Emulation.setDeviceMetricsOverride", params: metrics }).await?;
    // Spanish: the longer labels.
    sign_in_in_spanish(c, base, "admin@demo.example").await?;
    c.goto(&format!("{base}/dashboard")).await?;
    wait_until(c, "the dashboard", |path, lang| path == "/dashboard" && lang == "es").await?;
    let experience = c
        .find(Locator::Css("#dashboard-goals a[href^='/dashboard/experiences/']"))
        .await
        .context("an experience's drill-down link on the dashboard")?
        .attr("href")
        .await?
        .unwrap_or_default();
    let pages = [
        ("dashboard", "/dashboard".to_string()),
        ("wall", "/dashboard?wall=1".to_string()),
        ("journey", "/journey".to_string()),
        ("experience", experience),
        // Stacked tables with long Spanish labels, channel names, buttons.
        ("listening", "/listening".to_string()),
        ("root-causes", "/root-causes".to_string()),
        ("coverage", "/coverage".to_string()),
        ("people", "/people".to_string()),
    ];
    for (page, path) in pages {
        c.goto(&format!("{base}{path}")).await?;
        wait_until(c, page, |_, _| true).await?;
        let inner = c.execute("return window.innerWidth", vec![]).await?;
        ensure!(inner.as_u64() == Some(size.width.into()), "the viewport is {inner} px wide, not {}", size.width);
        save_screenshot(c, &screenshots_dir().join(format!("layout-{page}-{}.png", size.name))).await?;
        let m: Value = c.execute(MEASURE, vec![]).await?;
        let what = format!("{page} at {}×{}", size.width, size.height);
        for p in m["problems"].as_array().into_iter().flatten() {
            failures.push(format!("{what}: {}", p.as_str().unwrap_or_default()));
        }
        let (scroll_h, inner_h) = (m["scrollHeight"].as_f64().unwrap_or(0.0), m["innerHeight"].as_f64().unwrap_or(0.0));
        if page == "wall" && !size.phone {
            if scroll_h > inner_h + 1.0 {
                failures.push(format!(
                    "{what}: the wall screen is {scroll_h} px high in a {inner_h} px screen: it scrolls"
                ));
            }
            match m["lowestTileBottom"].as_f64() {
                Some(bottom) if bottom <= inner_h + 1.0 => {}
                bottom => {
                    failures.push(format!("{what}: the tiles end at {bottom:?} px, below the {inner_h} px screen"))
                }
            }
        }
        if page == "dashboard" && size.phone {
            match m["firstTileBottom"].as_f64() {
                Some(bottom) if bottom <= f64::from(size.height) => {}
                bottom => {
                    failures.push(format!("{what}: the first tile ends at {bottom:?} px, below the first screen"))
                }
            }
        }
    }
    Ok(())
}
