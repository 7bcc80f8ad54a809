//! Roles are enforced on every operation of the OpenAPI document: a viewer
//! reads everything (200) and is refused every write (403), which leaves the
//! data as it was.

use crate::helpers::{operations, plausible_body, seed, snapshot, Body, TestApp};
use rapport_core::role::Role;

pub async fn viewer_reads_but_cannot_write(app: TestApp) {
    let org = app.org("acme").await;
    let admin = app.client(org.id, Role::Admin).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let program = seed(&admin, "acme").await;
    let ops = operations(&app).await;
    let before = snapshot(&admin, &ops, &program).await;

    let (mut reads, mut writes) = (0, 0);
    for op in &ops {
        let url = op.url(&program);
        let r = viewer.send(op.method.clone(), &url, Body::Json(plausible_body(&program))).await;
        if op.is_admin_only() {
            r.expect_error(403, "forbidden", None);
            writes += 1;
        } else if op.is_read() {
            assert_eq!(r.status, 200, "viewer {} {url}: {}", op.method, r.text);
            reads += 1;
        } else {
            r.expect_error(403, "forbidden", None);
            writes += 1;
        }
    }
    assert_eq!(reads + writes, ops.len());
    assert!(reads >= 10 && writes >= 15, "reads {reads}, writes {writes}");
    assert_eq!(snapshot(&admin, &ops, &program).await, before, "a refused write changed data");

    // The viewer's reads are the same as the admin's (of what a viewer may read).
    let readable: Vec<_> = ops.iter().filter(|o| !o.is_admin_only()).cloned().collect();
    assert_eq!(snapshot(&viewer, &readable, &program).await, snapshot(&admin, &readable, &program).await);
}
