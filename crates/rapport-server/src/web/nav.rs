//! The menu, grouped by the step of the program each page serves (plan →
//! listen → measure → act → improve, and the people side), the way the
//! `web/` and `api/` folders are grouped. One list here rather than links
//! spelled out in `base.html`, so that which page belongs where, and which
//! entry a page lights up, is decided once and tested.

use minijinja::{context, Value};

/// One entry: its element id (`nav-…`, which is also its catalogue key),
/// where it goes, and the paths that count as "on" it.
struct Item {
    id: &'static str,
    href: &'static str,
    /// Paths that start with one of these are this entry's pages.
    prefixes: &'static [&'static str],
    /// Paths that end with one of these are too, and win over any prefix
    /// (`/experiences/3/gaps` is the gap analysis, not the experiences).
    suffixes: &'static [&'static str],
}

const fn item(id: &'static str, href: &'static str, prefixes: &'static [&'static str]) -> Item {
    Item { id, href, prefixes, suffixes: &[] }
}

struct Group {
    /// Element id (`nav-group-…`) and catalogue key.
    id: &'static str,
    items: &'static [Item],
}

const MENU: [Group; 6] = [
    Group {
        id: "nav-group-plan",
        items: &[
            item("nav-experiences", "/experiences", &["/experiences"]),
            item("nav-journey", "/journey", &["/journey", "/touchpoints"]),
            item("nav-people", "/people", &["/people"]),
            item("nav-segments", "/segments", &["/segments"]),
            item("nav-coverage", "/coverage", &["/coverage"]),
            item("nav-intent", "/intent", &["/intent"]),
            item("nav-council", "/council", &["/council"]),
        ],
    },
    Group {
        id: "nav-group-listen",
        items: &[
            item("nav-surveys", "/surveys", &["/surveys", "/waves", "/triggers"]),
            item("nav-listening", "/listening", &["/listening"]),
            item("nav-feedback", "/feedback", &["/feedback"]),
            item("nav-customers", "/customers", &["/customers"]),
        ],
    },
    Group {
        id: "nav-group-measure",
        items: &[
            item("nav-dashboard", "/dashboard", &["/dashboard"]),
            Item { id: "nav-value", href: "/value", prefixes: &["/value"], suffixes: &["/drivers"] },
            item("nav-diagnostic", "/diagnostic", &["/diagnostic"]),
            Item { id: "nav-gaps", href: "/gaps", prefixes: &["/gaps"], suffixes: &["/gaps"] },
        ],
    },
    Group {
        id: "nav-group-act",
        items: &[item("nav-cases", "/cases", &["/cases"]), item("nav-root-causes", "/root-causes", &["/root-causes"])],
    },
    Group {
        id: "nav-group-improve",
        items: &[
            item("nav-ideas", "/ideas", &["/ideas", "/engagement"]),
            item("nav-sprints", "/sprints", &["/sprints"]),
            item("nav-announcements", "/announcements", &["/announcements"]),
            item("nav-comms", "/comms", &["/comms"]),
        ],
    },
    Group {
        id: "nav-group-people",
        items: &[
            item("nav-training", "/training", &["/training"]),
            item("nav-knowledge", "/knowledge", &["/knowledge"]),
            item("nav-recognition", "/recognition", &["/recognition"]),
            item("nav-staffing", "/staffing", &["/staffing"]),
        ],
    },
];

/// Whether `path` starts with `prefix` as a whole segment (`/people/3`
/// is on `/people`, `/peoples` is not).
fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The entry a path lights up: a suffix match first, else the longest
/// prefix; `None` on pages outside the menu (home, notifications, …).
fn current(path: &str) -> Option<&'static str> {
    let items = || MENU.iter().flat_map(|g| g.items.iter());
    if let Some(i) = items().find(|i| i.suffixes.iter().any(|s| path.ends_with(s))) {
        return Some(i.id);
    }
    items()
        .filter_map(|i| i.prefixes.iter().filter(|p| under(path, p)).map(|p| p.len()).max().map(|len| (len, i.id)))
        .max_by_key(|(len, _)| *len)
        .map(|(_, id)| id)
}

/// The menu for a page at `here` (path and query): groups with their
/// entries, the current entry and group marked.
pub fn menu(here: &str) -> Value {
    let path = here.split(['?', '#']).next().unwrap_or("/");
    let on = current(path);
    let groups: Vec<Value> = MENU
        .iter()
        .map(|g| {
            let items: Vec<Value> =
                g.items.iter().map(|i| context! { id => i.id, href => i.href, current => on == Some(i.id) }).collect();
            context! { id => g.id, items => items, current => g.items.iter().any(|i| on == Some(i.id)) }
        })
        .collect();
    context! { groups => groups, home => path == "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_lights_one_entry() {
        assert_eq!(current("/experiences"), Some("nav-experiences"));
        assert_eq!(current("/experiences/3/plan"), Some("nav-experiences"));
        assert_eq!(current("/experiences/3/gaps"), Some("nav-gaps"));
        assert_eq!(current("/experiences/3/drivers"), Some("nav-value"));
        assert_eq!(current("/touchpoints/4/empathy"), Some("nav-journey"));
        assert_eq!(current("/root-causes"), Some("nav-root-causes"));
        assert_eq!(current("/cases/12"), Some("nav-cases"));
        assert_eq!(current("/engagement"), Some("nav-ideas"));
        assert_eq!(current("/council/meetings/2"), Some("nav-council"));
        assert_eq!(current("/"), None);
        assert_eq!(current("/notifications"), None);
        assert_eq!(current("/peoples"), None);
    }

    #[test]
    fn every_entry_is_in_one_group_once() {
        let mut ids: Vec<&str> = MENU.iter().flat_map(|g| g.items.iter().map(|i| i.id)).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "an entry is listed twice");
        for g in &MENU {
            assert!(!g.items.is_empty(), "{} is empty", g.id);
            for i in g.items {
                assert!(i.prefixes.iter().any(|p| under(i.href, p)), "{} does not light itself", i.id);
            }
        }
    }

    #[test]
    fn the_menu_marks_the_current_group() {
        let m = menu("/sprints/4?lang=es");
        let groups = m.get_attr("groups").unwrap();
        let improve =
            groups.try_iter().unwrap().find(|g| g.get_attr("id").unwrap().as_str() == Some("nav-group-improve"));
        assert!(improve.unwrap().get_attr("current").unwrap().is_true());
    }
}
