//! Helpers that act on the open page like a user: click, fill, choose, wait
//! for a path or a text, read rendered text, open the phone menu.

use crate::WAIT;
use anyhow::{bail, ensure, Context, Result};
use fantoccini::{Client, Locator};
use std::time::{Duration, Instant};

/// Opens the menu down to `target` like a user: on a phone the navigation
/// sits behind `#nav-menu-toggle`, and every entry sits in its program
/// step's group (`details.nav-group`), a drop-down on wide screens. When
/// `target` is hidden, open the phone menu if its toggle is shown, then the
/// target's group by its summary.
pub(crate) async fn open_menu_if_collapsed(c: &Client, target: &str) -> Result<()> {
    let el = c.find(Locator::Css(target)).await.with_context(|| format!("{target} is on the page"))?;
    if el.is_displayed().await? {
        return Ok(());
    }
    if let Ok(toggle) = c.find(Locator::Css("#nav-menu-toggle")).await {
        let menu_open = c.execute("return document.getElementById('nav-menu').open", vec![]).await?;
        if toggle.is_displayed().await? && menu_open != serde_json::Value::Bool(true) {
            toggle.click().await?;
        }
    }
    let group: serde_json::Value = c
        .execute(
            "const d = arguments[0].closest('details.nav-group'); return d && !d.open ? d.id : null;",
            vec![serde_json::to_value(&el)?],
        )
        .await?;
    if let Some(group) = group.as_str() {
        click(c, &format!("#{group}-toggle")).await?;
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while !el.is_displayed().await? {
        if Instant::now() > deadline {
            bail!("{target} is not displayed, even after opening #nav-menu-toggle");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// The element's rendered text; falls back to `innerText` where WebDriver
/// deems the element hidden (see `open_menu_if_collapsed`).
pub(crate) async fn shown_text(c: &Client, css: &str) -> Result<String> {
    let el = c.find(Locator::Css(css)).await.with_context(|| format!("{css} is on the page"))?;
    let text = el.text().await?;
    if !text.trim().is_empty() {
        return Ok(text.trim().to_string());
    }
    Ok(el.prop("innerText").await?.unwrap_or_default().trim().to_string())
}

/// Clicks like a user. Where WebDriver refuses because it deems the element
/// hidden although it is rendered (a link inside a closed `<details>` that CSS
/// shows, see `open_menu_if_collapsed`), clicks it from script instead.
pub(crate) async fn click(c: &Client, css: &str) -> Result<()> {
    let el = c.find(Locator::Css(css)).await.with_context(|| format!("{css} is on the page"))?;
    match el.click().await {
        Ok(()) => Ok(()),
        Err(e) if e.to_string().contains("not interactable") => {
            eprintln!("note: WebDriver deems {css} not interactable; clicking it from script");
            c.execute("arguments[0].click()", vec![serde_json::to_value(&el)?]).await?;
            Ok(())
        }
        Err(e) => Err(e).with_context(|| format!("click {css}")),
    }
}

/// Fills a text field.
pub(crate) async fn fill(c: &Client, css: &str, text: &str) -> Result<()> {
    let el = c.find(Locator::Css(css)).await.with_context(|| format!("{css} is on the page"))?;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(())
}

/// Selects a radio button by id: the input itself, else its label (a styled
/// scale may hide the input), else from script.
pub(crate) async fn choose(c: &Client, id: &str) -> Result<()> {
    let input = c.find(Locator::Id(id)).await.with_context(|| format!("#{id} is on the page"))?;
    if input.click().await.is_err() {
        let label = c.find(Locator::Css(&format!("label[for=\"{id}\"]"))).await;
        let clicked = match label {
            Ok(l) => l.click().await.is_ok(),
            Err(_) => false,
        };
        if !clicked {
            c.execute("arguments[0].click()", vec![serde_json::to_value(&input)?]).await?;
        }
    }
    ensure!(input.prop("checked").await?.as_deref() == Some("true"), "#{id} is checked after clicking it");
    Ok(())
}

/// Chooses an option of a `<select>` by its value.
pub(crate) async fn select_value(c: &Client, css: &str, value: &str) -> Result<()> {
    let el = c.find(Locator::Css(css)).await.with_context(|| format!("{css} is on the page"))?;
    el.select_by_value(value).await.with_context(|| format!("{css} has the option {value}"))?;
    Ok(())
}

/// Polls until `ok(path, html lang)` holds.
pub(crate) async fn wait_until(c: &Client, what: &str, ok: impl Fn(&str, &str) -> bool) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    loop {
        let url = c.current_url().await?;
        let lang = match c.find(Locator::Css("html")).await {
            Ok(html) => html.attr("lang").await.ok().flatten().unwrap_or_default(),
            Err(_) => String::new(),
        };
        // A page still streaming in already has its <html lang>, but not
        // yet the elements the next step looks for.
        let loaded = c.execute("return document.readyState", vec![]).await.ok();
        let loaded = loaded.as_ref().and_then(|v| v.as_str()) == Some("complete");
        if loaded && ok(url.path(), &lang) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("timed out waiting for {what} (at {url}, lang {lang:?}, loaded: {loaded})");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn wait_path(c: &Client, path: &str) -> Result<()> {
    wait_until(c, &format!("path {path}"), |p, _| p == path).await
}

pub(crate) async fn wait_text(c: &Client, css: &str, expected: &str) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    loop {
        let text = shown_text(c, css).await.unwrap_or_default();
        if text == expected {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{css} is {text:?}, expected {expected:?} (at {})", c.current_url().await?);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The path's id after `prefix`, e.g. `/ideas/12` → `12`.
pub(crate) async fn id_in_path(c: &Client, prefix: &str) -> Result<String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let url = c.current_url().await?;
        if let Some(id) = url.path().strip_prefix(prefix).filter(|s| !s.is_empty() && !s.contains('/')) {
            return Ok(id.to_string());
        }
        if Instant::now() > deadline {
            bail!("timed out waiting for {prefix}ID (at {url})");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// No horizontal scrolling at the phone's width.
pub(crate) async fn fits_the_phone(c: &Client, what: &str) -> Result<()> {
    let wide = c.execute("return document.documentElement.scrollWidth", vec![]).await?;
    let view = c.execute("return window.innerWidth", vec![]).await?;
    let (wide, view) = (wide.as_f64().unwrap_or(0.0), view.as_f64().unwrap_or(0.0));
    ensure!(wide <= view + 1.0, "{what} scrolls sideways on a phone ({wide} px wide in {view} px)");
    Ok(())
}
