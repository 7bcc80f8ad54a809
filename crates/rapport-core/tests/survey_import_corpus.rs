//! Imports every survey of the corpus (`tests/fixtures/surveys/`, real files
//! from public repositories, listed in its SOURCES.md) and prints, per
//! format, how much was kept and why the rest was not.
//!
//! A question counts as kept only when it was imported as an equivalent
//! question: nothing of it (a condition, a comment box) left out. Text
//! blocks count as questions on both sides; the Qualtrics trash, hidden and
//! calculated elements are not questions.

use rapport_core::survey_import::{import, Format};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The reason without the names it quotes, to group alike reasons.
fn reason_kind(reason: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in reason.chars() {
        if c == '"' {
            quoted = !quoted;
            if quoted {
                out.push_str("\"…\"");
            }
        } else if !quoted {
            out.push(c);
        }
    }
    out.split(" (").next().unwrap_or("").to_string()
}

#[test]
fn the_corpus_imports() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/surveys");
    let (mut all_files, mut all_ok, mut all_in, mut all_kept, mut panics) = (0, 0, 0, 0, 0);
    for (format, sub) in [(Format::Lss, "lss"), (Format::Qsf, "qsf"), (Format::SurveyJs, "surveyjs")] {
        let mut paths: Vec<_> = std::fs::read_dir(dir.join(sub)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        let (mut files, mut ok, mut asks, mut in_file, mut kept) = (0, 0, 0, 0, 0);
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap();
            let source = String::from_utf8_lossy(&bytes);
            files += 1;
            let result = catch_unwind(AssertUnwindSafe(|| import(format, &source)));
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let imported = match result {
                Err(_) => {
                    panics += 1;
                    eprintln!("PANIC {name}");
                    continue;
                }
                Ok(Err(e)) => {
                    eprintln!("refused {name}: {e}");
                    *reasons.entry(format!("file refused: {}", reason_kind(&e.to_string()))).or_default() += 1;
                    continue;
                }
                Ok(Ok(i)) => i,
            };
            for s in &imported.report {
                assert!(!s.reason.trim().is_empty() && !s.element.is_empty(), "{name}: a report entry without reason");
                *reasons.entry(reason_kind(&s.reason)).or_default() += 1;
            }
            match imported.draft(1).validate() {
                Ok(input) => {
                    ok += 1;
                    asks += usize::from(rapport_core::survey::check_publishable(&input.questions).is_ok());
                }
                Err(e) => eprintln!("invalid {name}: {e}"),
            }
            in_file += imported.counts.in_file;
            kept += imported.counts.kept;
        }
        let pct = |a: usize, b: usize| if b == 0 { 100.0 } else { 100.0 * a as f64 / b as f64 };
        println!(
            "{}: {files} files, {ok} imported ({:.1}%, {asks} asking at least one question), {in_file} questions \
             in files, {kept} kept ({:.1}%)",
            format.name(),
            pct(ok, files),
            pct(kept, in_file)
        );
        let mut top: Vec<_> = reasons.into_iter().collect();
        top.sort_by_key(|r| std::cmp::Reverse(r.1));
        for (reason, n) in top.iter().take(12) {
            println!("  {n:5}  {reason}");
        }
        (all_files, all_ok, all_in, all_kept) = (all_files + files, all_ok + ok, all_in + in_file, all_kept + kept);
    }
    println!(
        "all: {all_files} files, {all_ok} imported, {all_in} questions, {all_kept} kept ({:.1}%)",
        100.0 * all_kept as f64 / all_in.max(1) as f64
    );
    assert_eq!(panics, 0);
    assert!(all_files >= 100, "the corpus has {all_files} files");
    // Issue 21 asks for 95% of files and 90% of questions. A file is refused
    // only when it is not a survey; one whose questions Rapport cannot ask
    // (only text, file uploads, images, hot spots) imports as a draft with
    // what it can keep, which must ask something before it is published.
    assert!(all_ok * 100 >= all_files * 95, "{all_ok} of {all_files} files imported");
    assert!(all_kept * 100 >= all_in * 90, "{all_kept} of {all_in} questions kept");
}
