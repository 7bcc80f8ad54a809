//! Sharing a survey's anonymous link: the absolute link, a QR code of it
//! (SVG) and HTML to embed it in another site.
//!
//! Policy:
//! - the link is absolute with the configured public URL (`--public-url`,
//!   what e-mails use); without one, with the address the request came to
//!   (as the API's survey links are);
//! - the QR code holds exactly that link, with medium error correction and
//!   the four-module quiet zone scanners need, black on white;
//! - the embedded page is `?embed=1` of the link: the public page without
//!   its header, and the only survey page other sites may frame.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Serialize;

/// Pixels per module of the QR code: 33 modules (a typical link) and the
/// quiet zone make about 330 px, sharp when printed at 3 cm.
pub const MODULE_PX: u32 = 8;
/// The embedded survey's height (pixels) in the snippet: a few questions
/// without inner scrolling on a desktop.
const EMBED_HEIGHT: u32 = 640;

/// `https://cx.example` (no trailing slash): where customers reach Rapport.
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    match state.config.public_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => crate::api::surveys::origin(headers),
    }
}

/// The base URL of the request's site, as an extractor for pages.
pub(crate) struct SiteBase(pub String);

impl FromRequestParts<AppState> for SiteBase {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(SiteBase(base_url(state, &parts.headers)))
    }
}

/// The anonymous public link of a survey's token.
pub(crate) fn public_link(base: &str, token: &str) -> String {
    format!("{base}/s/{token}")
}

/// The QR code of a link.
pub(crate) fn qr_code(link: &str) -> Result<QrCode, AppError> {
    QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M).map_err(|e| AppError::Internal(Box::new(e)))
}

/// The QR code of a link as an SVG document, quiet zone included.
pub(crate) fn qr_svg(link: &str) -> Result<String, AppError> {
    let code = qr_code(link)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .module_dimensions(MODULE_PX, MODULE_PX)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

fn attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// What a survey's page and the API give to share its anonymous link.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Sharing {
    pub link: String,
    /// The survey inside another page.
    pub iframe: String,
    /// A plain link to it.
    pub anchor: String,
    /// The QR code as an image, linking to the survey.
    pub qr_img: String,
    /// Where the QR code's SVG is.
    pub qr_url: String,
}

/// The snippets of a survey; `title` is the link's text and the frame's
/// title (for screen readers).
pub(crate) fn sharing(base: &str, id: i64, token: &str, title: &str) -> Sharing {
    let link = public_link(base, token);
    let qr_url = format!("{base}/api/v1/surveys/{id}/qr.svg");
    let (l, t) = (attr(&link), attr(title));
    Sharing {
        iframe: format!(
            "<iframe src=\"{l}?embed=1\" title=\"{t}\" width=\"100%\" height=\"{EMBED_HEIGHT}\" style=\"border:0;max-width:720px\" loading=\"lazy\"></iframe>"
        ),
        anchor: format!("<a href=\"{l}\">{t}</a>"),
        qr_img: format!("<a href=\"{l}\"><img src=\"{}\" alt=\"{t}\" width=\"200\" height=\"200\"></a>", attr(&qr_url)),
        qr_url,
        link,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::Color;

    /// The dark modules an SVG draws, read back from its path
    /// (`M{x} {y}h{w}v{h}H{x}V{y}` per run, in pixels).
    fn dark_modules(svg: &str, width: usize) -> Vec<bool> {
        let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let mut grid = vec![false; width * width];
        for run in d.split('M').filter(|r| !r.is_empty()) {
            let nums: Vec<u32> = run
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            let (x, y, w, h) = (nums[0], nums[1], nums[2], nums[3]);
            for yy in (y..y + h).step_by(MODULE_PX as usize) {
                for xx in (x..x + w).step_by(MODULE_PX as usize) {
                    grid[(yy / MODULE_PX) as usize * width + (xx / MODULE_PX) as usize] = true;
                }
            }
        }
        grid
    }

    #[test]
    fn the_svg_draws_exactly_the_links_code_inside_a_quiet_zone() {
        let link = "https://cx.example/s/AbCdEf0123456789AbCdEf01";
        let svg = qr_svg(link).unwrap();
        assert!(svg.starts_with("<?xml"), "{svg}");
        let root = svg.split("?>").nth(1).unwrap();
        assert!(root.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{root}");
        assert!(root.ends_with("</svg>"));
        let code = QrCode::with_error_correction_level(link, EcLevel::M).unwrap();
        let (n, quiet) = (code.width(), 4);
        let px = (n + 2 * quiet) as u32 * MODULE_PX;
        assert!(root.contains(&format!("width=\"{px}\" height=\"{px}\"")), "{root}");
        let drawn = dark_modules(&svg, n + 2 * quiet);
        let dark = drawn.iter().filter(|d| **d).count();
        assert!(dark > 0);
        // The same modules as the crate's own code of the link, none in the quiet zone.
        let colors = code.to_colors();
        for y in 0..n + 2 * quiet {
            for x in 0..n + 2 * quiet {
                let inside = (quiet..quiet + n).contains(&x) && (quiet..quiet + n).contains(&y);
                let want = inside && colors[(y - quiet) * n + (x - quiet)] == Color::Dark;
                assert_eq!(drawn[y * (n + 2 * quiet) + x], want, "module ({x}, {y})");
            }
        }
        assert_eq!(dark, colors.iter().filter(|c| **c == Color::Dark).count());
    }

    #[test]
    fn a_longer_link_makes_a_larger_code() {
        let short = qr_code("https://a.example/s/x").unwrap();
        let long = qr_code(&format!("https://cx.example/s/{}", "a".repeat(200))).unwrap();
        assert!(long.width() > short.width());
        assert!(qr_svg(&"a".repeat(200)).unwrap().len() > qr_svg("a").unwrap().len());
    }

    #[test]
    fn snippets_escape_the_title_and_embed_the_framable_page() {
        let s = sharing("https://cx.example", 7, "tok", "Fish & \"chips\" <b>");
        assert_eq!(s.link, "https://cx.example/s/tok");
        assert!(s.iframe.contains("src=\"https://cx.example/s/tok?embed=1\""), "{}", s.iframe);
        assert!(s.iframe.contains("title=\"Fish &amp; &quot;chips&quot; &lt;b&gt;\""), "{}", s.iframe);
        assert!(s.qr_img.contains("src=\"https://cx.example/api/v1/surveys/7/qr.svg\""));
        assert_eq!(s.anchor, "<a href=\"https://cx.example/s/tok\">Fish &amp; &quot;chips&quot; &lt;b&gt;</a>");
    }
}
