//! Which routes `rapport bench pages` times, and timing them.
//!
//! The routes are those a leader, an owner and an integrator open: every
//! web page that reads (dashboard, drill-downs, lists, profiles, plans),
//! the wall screen's `tiles.json`, every `GET` of the API found in its
//! OpenAPI document (lists as a first page and from a deep cursor, single
//! items by an id their list gave), and `/api/v1/metrics` for every metric
//! and interval. Each route is requested once to warm it, then `runs`
//! times in a row; the server answers one request at a time, so a figure is
//! the route's own latency.

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use rapport_core::metric::Metric;
use rapport_core::Id;
use rapport_server::api::page;
use rapport_store::TimeKey;
use serde::Serialize;
use serde_json::Value;
use std::time::Instant;

/// One route to time: what it is called in the report and how to reach it.
pub struct Route {
    pub name: String,
    pub path: String,
    /// Web pages send the session cookie; the API a bearer token.
    pub web: bool,
}

/// The figures of one route.
#[derive(Debug, Serialize)]
pub struct Timing {
    pub route: String,
    pub path: String,
    pub status: u16,
    pub bytes: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    /// The server's peak resident memory after this route (MiB): the
    /// route after which it rose is the one that raised it.
    pub peak_rss_mib: Option<u64>,
}

pub struct Client {
    pub base: String,
    pub token: String,
    pub cookie: String,
    http: reqwest::Client,
}

impl Client {
    pub fn new(base: String, token: String, cookie: String) -> Client {
        Client { base, token, cookie, http: reqwest::Client::new() }
    }

    /// Status, body and `Link` header of one GET.
    pub async fn get(&self, path: &str, web: bool) -> Result<(u16, Vec<u8>, Option<String>)> {
        let mut req = self.http.get(format!("{}{path}", self.base));
        req = if web { req.header("cookie", &self.cookie) } else { req.bearer_auth(&self.token) };
        let resp = req.send().await.with_context(|| format!("GET {path}"))?;
        let status = resp.status().as_u16();
        let link = resp.headers().get("link").and_then(|l| l.to_str().ok()).map(String::from);
        Ok((status, resp.bytes().await?.to_vec(), link))
    }

    async fn json(&self, path: &str) -> Result<Value> {
        let (status, body, _) = self.get(path, false).await?;
        if status != 200 {
            bail!("GET {path} answered {status}");
        }
        Ok(serde_json::from_slice(&body)?)
    }
}

/// Signs in through the web form and returns the session cookie.
pub async fn sign_in(base: &str, org: &str, email: &str, password: &str) -> Result<String> {
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?
        .post(format!("{base}/sign-in"))
        .form(&[("org", org), ("email", email), ("password", password)])
        .send()
        .await?;
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find(|c| c.starts_with("rapport_session="))
        .and_then(|c| c.split(';').next())
        .map(String::from);
    cookie.with_context(|| format!("signing in answered {} without a session", resp.status()))
}

/// The first `n` ids of an API list (bare array or `{items}` envelope).
fn ids(list: &Value, field: &str, n: usize) -> Vec<String> {
    let items = list.get("items").unwrap_or(list).as_array().cloned().unwrap_or_default();
    items
        .iter()
        .filter_map(|i| match &i[field] {
            Value::Number(x) => Some(x.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        })
        .take(n)
        .collect()
}

/// Where a deep page of a long list starts: a cursor built from an item
/// nine tenths down the list (the lists read newest first).
pub struct Deep {
    pub response: Option<(DateTime<Utc>, Id)>,
    pub event: Option<(DateTime<Utc>, Id)>,
    pub customer: Option<String>,
}

fn deep_cursor(list: &str, deep: &Deep) -> Option<String> {
    match list {
        "/api/v1/responses" => deep.response.map(|(at, id)| page::encode("responses", &TimeKey { at, id })),
        "/api/v1/events" => deep.event.map(|(at, id)| page::encode("events", &TimeKey { at, id })),
        "/api/v1/customers" => deep.customer.as_ref().map(|c| page::encode("customers", c)),
        _ => None,
    }
}

/// The `after` of a `Link: <...after=CURSOR...>; rel="next"` header.
fn next_cursor(link: &str) -> Option<String> {
    let after = link.split("after=").nth(1)?;
    Some(after.split(['&', '>']).next()?.to_string())
}

/// Every route to time, given the server's OpenAPI document.
pub async fn routes(client: &Client, deep: &Deep) -> Result<Vec<Route>> {
    let web = |name: &str, path: String| Route { name: name.into(), path, web: true };
    let api = |name: &str, path: String| Route { name: name.into(), path, web: false };
    let mut out = Vec::new();
    for path in [
        "/",
        "/dashboard",
        "/dashboard/tiles.json",
        "/journey",
        "/experiences",
        "/segments",
        "/surveys",
        "/listening",
        "/people",
        "/customers",
        "/cases",
        "/cases/rules",
        "/ideas",
        "/sprints",
        "/root-causes",
        "/announcements",
        "/engagement",
        "/coverage",
        "/comms",
        "/value",
        "/value/at-risk",
        "/value/roce",
        "/experiences/1/drivers",
        "/notifications",
        "/admin/accounts",
        "/admin/audit",
    ] {
        out.push(web(path, path.into()));
    }
    out.push(web("/customers?q=", "/customers?q=cust-00042".into()));
    // The feedback inbox, unfiltered and by each kind of filter.
    for query in [
        "sentiment=negative",
        "flag=anger",
        "flag=wow",
        "has_comment=true&language=es",
        "sentiment=positive&experience=1",
        "sentiment=negative&segment=1",
        "q=late%20delivery",
        "q=entrega",
        "theme=1",
        "theme=3&sentiment=negative",
        // A theme and a sentiment that rarely meet (28 of its 306,073
        // mentions at 10M are negative).
        "theme=4&sentiment=negative",
        // A channel few responses came by (about 0.06% of them).
        "channel=chat",
        "channel=chat&language=es",
    ] {
        out.push(web(&format!("/feedback?{query}"), format!("/feedback?{query}")));
    }
    out.push(web("/feedback", "/feedback".into()));
    out.push(web("/feedback/themes", "/feedback/themes".into()));
    let experiences = client.json("/api/v1/experiences").await?;
    for id in ids(&experiences, "id", 3) {
        out.push(web("/dashboard/experiences/{id}", format!("/dashboard/experiences/{id}")));
        out.push(web("/experiences/{id}", format!("/experiences/{id}")));
        out.push(web("/experiences/{id}/plan", format!("/experiences/{id}/plan")));
    }
    let touchpoints = client.json("/api/v1/touchpoints").await?;
    for id in ids(&touchpoints, "id", 3) {
        out.push(web("/dashboard/touchpoints/{id}", format!("/dashboard/touchpoints/{id}")));
        // A touchpoint's complaints; the generated program's second and
        // third touchpoints have no responses.
        let complaints = format!("/feedback?touchpoint={id}&sentiment=negative");
        out.push(web("/feedback?touchpoint={id}&sentiment=negative", complaints));
        // The theme table's link when a touchpoint is chosen.
        out.push(web("/feedback?theme=1&touchpoint={id}", format!("/feedback?theme=1&touchpoint={id}")));
    }
    let customers = client.json("/api/v1/customers?limit=3").await?;
    let first_touchpoint = ids(&touchpoints, "id", 1).pop().unwrap_or_default();
    for id in ids(&customers, "external_id", 1) {
        out.push(web("/customers/{external_id}", format!("/customers/{id}")));
        let complaints = format!("/feedback?customer={id}&sentiment=negative");
        out.push(web("/feedback?customer={external_id}&sentiment=negative", complaints));
        let events = format!("/api/v1/events?customer={id}&touchpoint={first_touchpoint}&limit=50");
        out.push(api("/api/v1/events?customer={external_id}&touchpoint={id}", events));
    }
    let responses = client.json("/api/v1/responses?limit=3&has_comment=true").await?;
    for id in ids(&responses, "id", 1) {
        out.push(web("/feedback/{id}", format!("/feedback/{id}")));
    }
    let cases = client.json("/api/v1/cases?limit=3").await?;
    for id in ids(&cases, "id", 1) {
        out.push(web("/cases/{id}", format!("/cases/{id}")));
    }

    // A perfect behaviour is measured by its id: the first experience's
    // first one, when the program has any (the generated one has none).
    let mut behaviour = None;
    if let Some(x) = ids(&experiences, "id", 1).first() {
        behaviour = ids(&client.json(&format!("/api/v1/experiences/{x}/behaviours")).await?, "id", 1).pop();
    }
    for metric in Metric::ALL {
        let key = metric.key();
        let by = match (metric, &behaviour) {
            (Metric::PerfectBehaviour, Some(b)) => format!("&behaviour={b}"),
            (Metric::PerfectBehaviour, None) => continue,
            _ => String::new(),
        };
        for interval in ["day", "week", "month", "quarter", "year", "all"] {
            out.push(api(
                &format!("/api/v1/metrics?metric={key}&interval={interval}"),
                format!("/api/v1/metrics?metric={key}{by}&interval={interval}"),
            ));
        }
        if let Some(id) = ids(&experiences, "id", 1).first() {
            out.push(api(
                &format!("/api/v1/metrics?metric={key}&experience"),
                format!("/api/v1/metrics?metric={key}{by}&experience={id}&interval=month"),
            ));
        }
    }

    let doc = client.json("/api/openapi.json").await?;
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    let mut lists: Vec<String> = Vec::new();
    for (path, item) in &paths {
        // The event stream never ends; metrics are listed above.
        if item.get("get").is_none() || path.ends_with("/stream") || path == "/api/v1/metrics" {
            continue;
        }
        if !path.contains('{') {
            lists.push(path.clone());
        }
    }
    for list in &lists {
        let first = format!("{list}?limit=50");
        // A signed-in account's own lists (notifications): the session, as
        // the top bar asks; a token has none.
        let by_session = list.starts_with("/api/v1/notifications");
        let (status, body, link) = client.get(&first, by_session).await?;
        out.push(Route { name: list.clone(), path: first, web: by_session });
        if status != 200 {
            continue;
        }
        let cursor = deep_cursor(list, deep).or_else(|| link.as_deref().and_then(next_cursor));
        if let Some(cursor) = cursor {
            let name = format!("{list}?after=(deep)");
            out.push(Route { name, path: format!("{list}?limit=50&after={cursor}"), web: by_session });
        }
        // Single items under this list, by an id its first page gave.
        let listed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        for (path, item) in &paths {
            let Some(rest) = path.strip_prefix(list.as_str()) else { continue };
            let is_item = rest.starts_with("/{") && rest.ends_with('}') && !rest[1..].contains('/');
            if !is_item || item.get("get").is_none() {
                continue;
            }
            let field = if rest.contains("external_id") { "external_id" } else { "id" };
            if let Some(id) = ids(&listed, field, 1).first() {
                out.push(api(path, format!("{list}/{id}")));
                let timeline = format!("{path}/timeline");
                if paths.contains_key(&timeline) {
                    out.push(api(&timeline, format!("{list}/{id}/timeline")));
                }
            }
        }
    }
    Ok(out)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Times `route`: one warm-up request, then `runs` timed ones.
pub async fn time(client: &Client, route: &Route, runs: usize) -> Result<Timing> {
    let (status, body, _) = client.get(&route.path, route.web).await?;
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        client.get(&route.path, route.web).await?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    let round = |x: f64| (x * 10.0).round() / 10.0;
    Ok(Timing {
        route: route.name.clone(),
        path: route.path.clone(),
        status,
        bytes: body.len(),
        p50_ms: round(percentile(&ms, 0.5)),
        p95_ms: round(percentile(&ms, 0.95)),
        max_ms: round(ms.last().copied().unwrap_or(0.0)),
        peak_rss_mib: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let xs: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&xs, 0.5), 10.0);
        assert_eq!(percentile(&xs, 0.95), 19.0);
        assert_eq!(percentile(&[3.0], 0.95), 3.0);
    }

    #[test]
    fn the_next_cursor_comes_from_the_link_header() {
        let link = "</api/v1/people?limit=50&after=WyJwZW9wbGUiLDNd>; rel=\"next\"";
        assert_eq!(next_cursor(link).as_deref(), Some("WyJwZW9wbGUiLDNd"));
        assert_eq!(next_cursor("</api/v1/people?limit=50>; rel=\"next\""), None);
    }
}
