//! Slack's incoming-webhook format: `{"text": "*<title>*\n<summary>\n<link|Open in Rapport>"}`,
//! built from the payload's `title`, `summary` and `url` (producers fill
//! them; the event name stands in for a missing title).

use serde_json::{json, Value};

/// Slack reads `&`, `<` and `>` as markup: escape them in our text.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

pub fn message(event: &str, payload: &Value, public_url: Option<&str>) -> Value {
    let mut text = format!("*{}*", escape(super::title(payload, event)));
    if let Some(summary) = super::summary(payload) {
        text.push('\n');
        text.push_str(&escape(summary));
    }
    if let Some(link) = super::link(payload, public_url) {
        text.push_str(&format!("\n<{}|Open in Rapport>", link.replace('|', "%7C").replace('>', "%3E")));
    }
    json!({ "text": text })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_title_summary_and_link() {
        let p = json!({"title": "Case <7>", "summary": "A & B", "url": "/cases/7"});
        assert_eq!(
            message("case.opened", &p, Some("https://cx.example"))["text"],
            "*Case &lt;7&gt;*\nA &amp; B\n<https://cx.example/cases/7|Open in Rapport>"
        );
        assert_eq!(message("webhook.test", &json!({}), None)["text"], "*webhook.test*");
    }
}
