//! Stories of training (E. People), on both backends.

use super::{add_stage, conflict, intent, invalid, not_found, org, touchpoint};
use chrono::{Duration, NaiveDate};
use rapport_core::people::training::{
    Audience, ChoiceDraft, ModuleDraft, ModuleKind, QuestionDraft, QuizDraft, Status,
};
use rapport_core::person::PersonInput;
use rapport_core::role::Role;
use rapport_core::Id;
use rapport_store::accounts::NewUser;
use rapport_store::training::{NewMedia, ProgressAfter, ProgressBy};
use rapport_store::Store;
use serde_json::json;

async fn person(s: &dyn Store, o: Id, name: &str, department: &str) -> Id {
    let p = PersonInput {
        name: name.into(),
        email: format!("{}@training.test", name.to_lowercase()),
        department: Some(department.into()),
        role: None,
        joined_on: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
    };
    s.create_person(o, &p).await.unwrap().id
}

fn choice(t: &str, correct: bool) -> ChoiceDraft {
    ChoiceDraft { text_en: Some(t.into()), text_es: Some(format!("{t} (es)")), correct }
}

fn module(title: &str, audience: Audience, quiz: bool) -> ModuleDraft {
    ModuleDraft {
        title_en: Some(title.into()),
        title_es: Some(format!("{title} (es)")),
        body_en: Some("# Steps\n\n1. Say sorry\n\n![Map](/media/1)".into()),
        body_es: Some("# Pasos".into()),
        audience,
        due_days: Some(7),
        quiz: quiz.then(|| QuizDraft {
            questions: vec![
                QuestionDraft {
                    text_en: Some("First?".into()),
                    text_es: None,
                    multiple: false,
                    choices: vec![choice("Apologise", true), choice("Blame", false)],
                },
                QuestionDraft {
                    text_en: Some("Which?".into()),
                    text_es: None,
                    multiple: true,
                    choices: vec![choice("A", true), choice("B", true), choice("C", false)],
                },
            ],
            pass_mark: Some(100),
        }),
    }
}

pub async fn training_story(s: &dyn Store) {
    let o = org(s, "training").await.id;
    let now = rapport_store::rows::now();
    let ana = person(s, o, "Ana", "Support").await;
    let ben = person(s, o, "Ben", "Delivery").await;
    let cat = person(s, o, "Cat", "Sales").await;
    // Cat signs in as an agent, in Spanish.
    let user = s
        .create_user(
            o,
            &NewUser {
                email: "cat@training.test".into(),
                role: Role::Agent,
                password_hash: "x".into(),
                person_id: Some(cat),
            },
        )
        .await
        .unwrap();
    s.set_user_language(o, user.id, Some(rapport_core::lang::Lang::Es)).await.unwrap();
    let stage = add_stage(s, o, "Receive", None).await;
    let mut tp_in = touchpoint("Delivery", stage, Some(ana));
    tp_in.description = Some("Call the customer before you arrive.".into());
    tp_in.department = Some("Delivery".into());
    let tp = s.create_touchpoint(o, &tp_in).await.unwrap();

    // Images: stored, read back in the organization only.
    let png = [&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13][..], b"IHDR", &[0; 8]].concat();
    let media =
        s.store_media(o, &NewMedia { content_type: "image/png", bytes: &png, version: "abc" }, "user:1").await.unwrap();
    let got = s.get_media(o, media).await.unwrap();
    assert_eq!((got.content_type.as_str(), got.bytes.clone()), ("image/png", png.clone()));
    let other = org(s, "training-other").await.id;
    not_found(s.get_media(other, media).await);

    // By department (ignoring case): Ana only.
    let support = Audience { departments: vec!["support".into()], ..Default::default() };
    let late =
        s.create_module(o, &module("Late delivery", support, true).validate().unwrap(), "user:1", now).await.unwrap();
    assert_eq!(late.kind, ModuleKind::Custom);
    let mine = s.assignments_of(o, ana, now).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].module_id, mine[0].status), (late.id, Status::Open));
    assert_eq!(mine[0].due_at, now + Duration::days(7));
    assert!(s.assignments_of(o, ben, now).await.unwrap().is_empty());
    // By role: Cat (an agent account).
    let agents = Audience { roles: vec![Role::Agent], ..Default::default() };
    let brew =
        s.create_module(o, &module("Brew guide", agents, false).validate().unwrap(), "user:1", now).await.unwrap();
    assert_eq!(s.assignments_of(o, cat, now).await.unwrap().len(), 1);
    // By touchpoint: its owner (Ana) and its department's people (Ben).
    let at_tp = Audience { touchpoints: vec![tp.id], ..Default::default() };
    let tp_mod =
        s.create_module(o, &module("Delivery basics", at_tp, false).validate().unwrap(), "user:1", now).await.unwrap();
    assert_eq!(tp_mod.audience.touchpoints, vec![tp.id]);
    assert_eq!(s.assignments_of(o, ana, now).await.unwrap().len(), 2);
    assert_eq!(s.assignments_of(o, ben, now).await.unwrap().len(), 1);
    // An unknown touchpoint names its field and writes nothing.
    let bad = Audience { touchpoints: vec![tp.id + 10_000], ..Default::default() };
    invalid(
        s.create_module(o, &module("Bad", bad, false).validate().unwrap(), "user:1", now).await,
        "audience.touchpoints[0]",
    );
    assert_eq!(s.list_modules(o, None, 0).await.unwrap().len(), 3);

    // Someone who joins the department later gets it on the next run.
    let dan = person(s, o, "Dan", "Support").await;
    assert!(s.assignments_of(o, dan, now).await.unwrap().is_empty());
    assert_eq!(s.assign_training(o, None, now).await.unwrap(), 1);
    assert_eq!(s.assign_training(o, None, now).await.unwrap(), 0, "once");
    assert!(s.training_orgs().await.unwrap().contains(&o));

    // Quiz attempts: scored in the core, best and last kept, complete on the first pass.
    let (r, a) = s.attempt_quiz(o, late.id, ana, &vec![vec![0], vec![0]], now).await.unwrap();
    assert_eq!((r.score, r.passed, r.wrong.clone()), (50, false, vec![1]));
    assert_eq!((a.attempts, a.best_score, a.last_score, a.status), (1, Some(50), Some(50), Status::Open));
    let (r, a) = s.attempt_quiz(o, late.id, ana, &vec![vec![0], vec![1, 0]], now).await.unwrap();
    assert!(r.passed);
    assert_eq!((a.attempts, a.best_score, a.status), (2, Some(100), Status::Completed));
    let (_, a) = s.attempt_quiz(o, late.id, ana, &vec![vec![1], vec![]], now).await.unwrap();
    assert_eq!((a.attempts, a.best_score, a.last_score, a.status), (3, Some(100), Some(0), Status::Completed));
    invalid(s.attempt_quiz(o, late.id, ben, &vec![vec![0]], now).await, "person_id");
    invalid(s.attempt_quiz(o, late.id, ana, &vec![vec![7]], now).await, "answers[0]");
    invalid(s.attempt_quiz(o, brew.id, cat, &vec![vec![0]], now).await, "answers");
    invalid(s.acknowledge_module(o, late.id, dan, now).await, "quiz");
    let a = s.acknowledge_module(o, brew.id, cat, now).await.unwrap();
    assert_eq!(a.status, Status::Completed);

    // The intent module: generated on the first version, assigned to everyone.
    let v1 = s.create_intent_version(o, &intent("We make coffee easy.", vec![]), Some("user:1"), None).await.unwrap();
    let intent_mod =
        s.list_modules(o, None, 0).await.unwrap().into_iter().find(|m| m.kind == ModuleKind::Intent).unwrap();
    assert_eq!((intent_mod.revision, intent_mod.intent_version), (1, Some(v1.version)));
    assert!(intent_mod.body_en.contains("We make coffee easy."));
    assert!(intent_mod.body_en.contains("Call the customer before you arrive."), "the touchpoint's delivery notes");
    assert!(intent_mod.body_es.contains("La declaración de intención"));
    for p in [ana, ben, cat, dan] {
        let a = s.assignment(o, intent_mod.id, p, now).await.unwrap().expect("assigned to everyone");
        assert_eq!(a.revision, 1);
    }
    s.acknowledge_module(o, intent_mod.id, ana, now).await.unwrap();
    s.acknowledge_module(o, intent_mod.id, ben, now).await.unwrap();
    let progress = s.training_progress(o, ProgressBy::Person, now, None, 0).await.unwrap();
    let ana_row = progress.iter().find(|r| r.id == Some(ana)).unwrap();
    assert_eq!((ana_row.assigned, ana_row.completed), (3, 2));
    conflict(
        s.update_module(
            o,
            intent_mod.id,
            &module("x", Audience { everyone: true, ..Default::default() }, false).validate().unwrap(),
            now,
        )
        .await,
        "id",
    );
    conflict(s.delete_module(o, intent_mod.id).await, "id");

    // Acceptance: publishing a new intent version re-assigns the intent
    // module, and completions of the old version no longer count.
    s.create_intent_version(o, &intent("We make coffee easy, every time.", vec![]), Some("user:1"), None)
        .await
        .unwrap();
    let again = s.get_module(o, intent_mod.id).await.unwrap();
    assert_eq!((again.revision, again.intent_version), (2, Some(v1.version + 1)));
    assert!(again.body_en.contains("every time."));
    for p in [ana, ben, cat, dan] {
        let a = s.assignment(o, intent_mod.id, p, now).await.unwrap().expect("re-assigned");
        assert_eq!((a.revision, a.status), (2, Status::Open), "person {p}");
    }
    let progress = s.training_progress(o, ProgressBy::Person, now, None, 0).await.unwrap();
    let ana_row = progress.iter().find(|r| r.id == Some(ana)).unwrap();
    assert_eq!((ana_row.assigned, ana_row.completed), (3, 1), "the old version's completion does not count");
    assert_eq!(s.assignments_of(o, ana, now).await.unwrap().len(), 3, "current revisions only");

    // Progress by department and touchpoint, paged.
    let deps = s.training_progress(o, ProgressBy::Department, now, None, 0).await.unwrap();
    let names: Vec<&str> = deps.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, vec!["Delivery", "Sales", "Support"]);
    let support_row = &deps[2];
    assert_eq!((support_row.assigned, support_row.completed), (5, 1));
    assert_eq!(support_row.average_score, Some(100.0));
    let page = s
        .training_progress(o, ProgressBy::Department, now, Some(ProgressAfter::Name("Delivery".into())), 1)
        .await
        .unwrap();
    assert_eq!(page[0].name, "Sales");
    let by_tp = s.training_progress(o, ProgressBy::Touchpoint, now, None, 0).await.unwrap();
    assert_eq!(by_tp.len(), 1);
    assert_eq!((by_tp[0].id, by_tp[0].assigned, by_tp[0].completed), (Some(tp.id), 2, 0));
    let page = s.training_progress(o, ProgressBy::Person, now, Some(ProgressAfter::Id(ana)), 1).await.unwrap();
    assert_eq!(page[0].id, Some(ben));

    // Who delivers the touchpoint without its training: Ana (owner) and Ben (department).
    let gaps = s.training_gaps(o, now).await.unwrap();
    let who: Vec<(Id, Id)> = gaps.iter().map(|g| (g.person_id, g.module_id)).collect();
    assert_eq!(who, vec![(ana, tp_mod.id), (ben, tp_mod.id)]);
    s.acknowledge_module(o, tp_mod.id, ben, now).await.unwrap();
    assert_eq!(s.training_gaps(o, now).await.unwrap().len(), 1);

    // Overdue reminders through the outbox, once per assignment per period.
    let later = now + Duration::days(8);
    let due: Vec<_> =
        s.pending_training_reminders(later, 1000).await.unwrap().into_iter().filter(|r| r.org == o).collect();
    // Open at day 8 (due day 7): Ana's delivery basics, Dan's late delivery;
    // the intent module (due day 14) is not overdue yet.
    let mut pairs: Vec<(Id, Id)> = due.iter().map(|r| (r.person_id, r.module_id)).collect();
    pairs.sort_unstable();
    let mut want = vec![(ana, tp_mod.id), (dan, late.id)];
    want.sort_unstable();
    assert_eq!(pairs, want);
    let to_ana = due.iter().find(|r| r.person_id == ana).unwrap();
    assert_eq!((to_ana.email.as_str(), to_ana.language), ("ana@training.test", None));
    let payload = json!({ "email_to": [to_ana.email], "title": "Reminder" });
    assert!(s.send_training_reminder(o, to_ana.assignment_id, later, &payload).await.unwrap());
    assert!(!s.send_training_reminder(o, to_ana.assignment_id, later, &payload).await.unwrap(), "not twice");
    let after: Vec<_> =
        s.pending_training_reminders(later, 1000).await.unwrap().into_iter().filter(|r| r.org == o).collect();
    assert_eq!(after.len(), 1, "Ana's was sent");
    let much_later = later + Duration::days(tr_days());
    assert!(
        s.send_training_reminder(o, to_ana.assignment_id, much_later, &payload).await.unwrap(),
        "again after the period"
    );
    let cat_intent = s.assignment(o, intent_mod.id, cat, now).await.unwrap().unwrap();
    let cat_due = s.pending_training_reminders(now + Duration::days(15), 1000).await.unwrap();
    let cat_due = cat_due.iter().find(|r| r.assignment_id == cat_intent.id).unwrap();
    assert_eq!(cat_due.language, Some(rapport_core::lang::Lang::Es), "the account's language");
    while s.fan_out(much_later, 1000).await.unwrap() > 0 {}
    let deliveries = s.list_deliveries(o, None, 100).await.unwrap();
    let reminders: Vec<_> = deliveries.iter().filter(|d| d.event == "training.reminder").collect();
    assert_eq!(reminders.len(), 2, "once per period: {reminders:?}");
    assert_eq!(reminders[0].recipient.as_deref(), Some("ana@training.test"));

    // A module goes with its assignments.
    s.delete_module(o, late.id).await.unwrap();
    not_found(s.get_module(o, late.id).await);
    assert_eq!(s.assignments_of(o, dan, now).await.unwrap().len(), 1, "the intent module's");
    not_found(s.get_module(other, brew.id).await);
}

fn tr_days() -> i64 {
    rapport_core::people::training::REMIND_EVERY_DAYS
}
