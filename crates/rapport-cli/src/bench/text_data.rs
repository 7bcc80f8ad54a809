//! The data of `rapport bench text`: a generated corpus of customer-comment
//! sentences in English and Spanish (templates × vocabulary, from a fixed
//! seed: praise and complaints, negation, boosters and dampeners, contrast,
//! capitals, emoji and emoticons), and the labelled sets the accuracy is
//! measured on, read from the repository's `crates/rapport-cli/bench-data/text/`
//! (see its README and `NOTICE`; they are not compiled into the binary) and
//! Rapport's own Spanish evaluation comments.

use anyhow::{Context, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport_core::lang::Lang;
use std::path::{Path, PathBuf};

/// Seed of the generated corpus.
const SEED: u64 = 0x7E27_5E17_2026;

/// Where the labelled sets are in a checkout of the repository.
pub fn default_data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data").join("text")
}

/// One language's templates and the words their slots take.
struct Vocabulary {
    templates: &'static [&'static str],
    things: &'static [&'static str],
    good: &'static [&'static str],
    bad: &'static [&'static str],
    boost: &'static [&'static str],
    damp: &'static [&'static str],
    people: &'static [&'static str],
}

/// Emoji and emoticons (or nothing, most often), shared by both languages.
const ENDINGS: &[&str] =
    &["", "", "", ".", ".", "!", "!!!", " 😊", " 😡", " :)", " :(", " 👍", " 🙁", " ❤️", " 😍", " 🤬"];

const EN: Vocabulary = Vocabulary {
    templates: &[
        "The {thing} was {boost}{good}{end}",
        "The {thing} was {boost}{bad}{end}",
        "The {thing} was not {good} at all{end}",
        "The {thing} wasn't {bad}, {damp}{good} actually{end}",
        "{person} was {boost}{good}, thank you!",
        "I love the new {thing}{end}",
        "I really hate how {bad} the {thing} is{end}",
        "The {thing} was {good} but the {thing2} was {boost}{bad}{end}",
        "The {thing} was {bad} but {person} was {boost}{good}{end}",
        "Never again, the {thing} was {boost}{bad}!!!",
        "I waited {n} minutes for the {thing}, {boost}{bad}{end}",
        "Not bad, the {thing} was {damp}{good}{end}",
        "THE {THING} IS {BAD}!!! I want my money back",
        "Wow, {person} fixed my {thing} in {n} minutes, {boost}{good}{end}",
        "The {thing} could be better{end}",
        "It's ok, nothing special about the {thing}{end}",
        "Nobody answered about the {thing} for {n} days{end}",
        "Honestly the {thing} is {damp}{bad} and the {thing2} is {good}{end}",
        "Best {thing} I have ever had{end}",
        "I will cancel if the {thing} stays this {bad}{end}",
    ],
    things: &[
        "delivery",
        "checkout",
        "app",
        "support team",
        "refund",
        "installation",
        "invoice",
        "room",
        "breakfast",
        "driver",
        "website",
        "price",
        "package",
        "call center",
        "technician",
        "onboarding",
    ],
    good: &[
        "good",
        "great",
        "fast",
        "friendly",
        "helpful",
        "excellent",
        "easy",
        "clean",
        "amazing",
        "reliable",
        "nice",
        "perfect",
    ],
    bad: &[
        "slow",
        "rude",
        "broken",
        "confusing",
        "expensive",
        "terrible",
        "late",
        "dirty",
        "useless",
        "disappointing",
        "awful",
        "bad",
    ],
    boost: &["", "", "very ", "really ", "extremely ", "so ", "super ", "incredibly "],
    damp: &["kind of ", "a bit ", "somewhat ", "slightly ", "fairly "],
    people: &["Anna", "Luis", "Maria", "Tom", "The driver", "The agent", "Your technician", "Priya"],
};

const ES: Vocabulary = Vocabulary {
    templates: &[
        "El {thing} fue {boost}{good}{end}",
        "El {thing} fue {boost}{bad}{end}",
        "El {thing} no fue {good} para nada{end}",
        "El {thing} no estuvo {bad}, fue {damp}{good}{end}",
        "{person} fue {boost}{good}, ¡gracias!",
        "Me encantó el {thing}{end}",
        "No me gustó nada el {thing}{end}",
        "El {thing} estuvo {good} pero el {thing2} fue {boost}{bad}{end}",
        "El {thing} fue {bad} pero {person} fue {boost}{good}{end}",
        "¡Nunca más! El {thing} fue {boost}{bad}{end}",
        "Esperé {n} minutos por el {thing}, {boost}{bad}{end}",
        "No está mal, el {thing} fue {damp}{good}{end}",
        "¡EL {THING} ES {BAD}!!! Quiero mi dinero",
        "¡Increíble! {person} arregló mi {thing} en {n} minutos, {boost}{good}{end}",
        "El {thing} podría mejorar{end}",
        "Normal, nada especial con el {thing}{end}",
        "Nadie me respondió sobre el {thing} en {n} días{end}",
        "La verdad el {thing} es {damp}{bad} y el {thing2} es {good}{end}",
        "Es una estafa, el {thing} es {boost}{bad}{end}",
        "Voy a darme de baja si el {thing} sigue tan {bad}{end}",
    ],
    things: &[
        "envío",
        "pedido",
        "técnico",
        "servicio",
        "precio",
        "pago",
        "reembolso",
        "hotel",
        "desayuno",
        "repartidor",
        "soporte",
        "trámite",
        "producto",
        "paquete",
        "centro de atención",
        "alta",
    ],
    good: &[
        "bueno",
        "rápido",
        "amable",
        "excelente",
        "fácil",
        "limpio",
        "increíble",
        "puntual",
        "útil",
        "atento",
        "perfecto",
        "estupendo",
    ],
    bad: &[
        "lento",
        "caro",
        "malo",
        "horrible",
        "pésimo",
        "sucio",
        "inútil",
        "complicado",
        "desastroso",
        "decepcionante",
        "lamentable",
        "grosero",
    ],
    boost: &["", "", "muy ", "súper ", "realmente ", "bastante ", "extremadamente "],
    damp: &["un poco ", "algo ", "medio ", "ligeramente "],
    people: &["Ana", "Luis", "María", "Tomás", "El repartidor", "La agente", "Su técnico", "Lucía"],
};

fn pick<'a>(rng: &mut StdRng, words: &[&'a str]) -> &'a str {
    words[rng.gen_range(0..words.len())]
}

/// One sentence from a random template of `v`, its slots filled at random.
fn sentence(rng: &mut StdRng, v: &Vocabulary) -> String {
    let template = pick(rng, v.templates);
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("a closed slot");
        let word = match &rest[open + 1..close] {
            "thing" | "thing2" => pick(rng, v.things).to_string(),
            "THING" => pick(rng, v.things).to_uppercase(),
            "good" => pick(rng, v.good).to_string(),
            "bad" => pick(rng, v.bad).to_string(),
            "BAD" => pick(rng, v.bad).to_uppercase(),
            "boost" => pick(rng, v.boost).to_string(),
            "damp" => pick(rng, v.damp).to_string(),
            "person" => pick(rng, v.people).to_string(),
            "end" => pick(rng, ENDINGS).to_string(),
            "n" => rng.gen_range(5..=90).to_string(),
            other => unreachable!("unknown slot {other}"),
        };
        out.push_str(&word);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// `n` generated sentences in `lang`, the same for the same `n` on every run.
pub fn corpus(lang: Lang, n: usize) -> Vec<String> {
    let (v, salt) = match lang {
        Lang::En => (&EN, 1),
        Lang::Es => (&ES, 2),
    };
    let mut rng = StdRng::seed_from_u64(SEED ^ salt);
    (0..n).map(|_| sentence(&mut rng, v)).collect()
}

/// A labelled set: texts with whether they are positive.
pub struct LabelledSet {
    /// A short name, e.g. `uci_amazon`.
    pub name: &'static str,
    pub lang: Lang,
    pub items: Vec<(String, bool)>,
}

fn read(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| {
        format!(
            "cannot read {} (the labelled sets are in the repository, in crates/rapport-cli/bench-data/text/; \
             pass --data DIR when running from elsewhere)",
            path.display()
        )
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The UCI Sentiment Labelled Sentences (Kotzias et al. 2015), as the npm
/// `sentiment` 5.0.2 package's test fixtures: a JSON array of `{text, class}`
/// with class 1 positive, 0 negative; records without a class or text are
/// left out.
fn uci(dir: &Path, file: &str) -> Result<Vec<(String, bool)>> {
    let path = dir.join(file);
    let v: serde_json::Value =
        serde_json::from_str(&read(&path)?).with_context(|| format!("{} is not JSON", path.display()))?;
    Ok(v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| Some((d["text"].as_str()?.trim().to_string(), d["class"].as_i64()? == 1)))
        .filter(|(t, _)| !t.is_empty())
        .collect())
}

/// VADER's ground truth (Hutto & Gilbert 2014): `id<TAB>mean valence<TAB>text`;
/// items with |mean| < 0.5 (no clear polarity) are left out.
fn ground_truth(dir: &Path, file: &str) -> Result<Vec<(String, bool)>> {
    Ok(read(&dir.join(file))?
        .lines()
        .filter_map(|l| {
            let mut c = l.splitn(3, '\t');
            let (_, m, t) = (c.next()?, c.next()?.trim().parse::<f64>().ok()?, c.next()?.trim());
            (m.abs() >= 0.5 && !t.is_empty()).then(|| (t.to_string(), m > 0.0))
        })
        .collect())
}

/// Rapport's labelled Spanish comments: `1|0<TAB>text`, `#` comments.
fn spanish(raw: &str) -> Vec<(String, bool)> {
    raw.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (label, text) = l.split_once('\t')?;
            let label = label.trim();
            (label == "1" || label == "0").then(|| (text.trim().to_string(), label == "1"))
        })
        .collect()
}

/// Every labelled set: the English ones from `dir`, then the Spanish one.
pub fn labelled_sets(dir: &Path) -> Result<Vec<LabelledSet>> {
    let en = |name, items| LabelledSet { name, lang: Lang::En, items };
    let mut sets = vec![
        en("uci_amazon", uci(dir, "amazon.json")?),
        en("uci_imdb", uci(dir, "imdb.json")?),
        en("uci_yelp", uci(dir, "yelp.json")?),
        en("vader_amazon_reviews", ground_truth(dir, "amazonReviewSnippets_GroundTruth.txt")?),
        en("vader_movie_reviews", ground_truth(dir, "movieReviewSnippets_GroundTruth.txt")?),
        en("vader_nyt_editorials", ground_truth(dir, "nytEditorialSnippets_GroundTruth.txt")?),
        en("vader_tweets", ground_truth(dir, "tweets_GroundTruth.txt")?),
    ];
    sets.push(LabelledSet {
        name: "rapport_es",
        lang: Lang::Es,
        items: spanish(include_str!("../../../rapport-core/data/text/eval_es.tsv")),
    });
    Ok(sets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_deterministic_and_fills_every_slot() {
        for lang in Lang::ALL {
            let a = corpus(lang, 2000);
            assert_eq!(a, corpus(lang, 2000));
            assert!(a.iter().all(|s| !s.contains('{') && !s.contains('}') && !s.is_empty()), "{a:?}");
            let distinct: std::collections::HashSet<&String> = a.iter().collect();
            assert!(distinct.len() > 1500, "{} distinct of 2000", distinct.len());
        }
        assert_ne!(corpus(Lang::En, 10), corpus(Lang::Es, 10));
    }

    #[test]
    fn the_labelled_sets_are_read() {
        let sets = labelled_sets(&default_data_dir()).expect("the sets in the repository");
        let size = |name: &str| sets.iter().find(|s| s.name == name).map(|s| s.items.len());
        // 1000 each; one amazon record has no class.
        assert_eq!(size("uci_amazon"), Some(1000));
        assert_eq!(size("uci_imdb"), Some(1000));
        assert_eq!(size("uci_yelp"), Some(1000));
        assert!(size("vader_tweets").is_some_and(|n| n > 3000));
        assert!(size("rapport_es").is_some_and(|n| n >= 100));
        for s in &sets {
            let pos = s.items.iter().filter(|(_, p)| *p).count();
            assert!(pos > 0 && pos < s.items.len(), "{}: both labels", s.name);
            assert!(s.items.iter().all(|(t, _)| !t.ends_with('\r')), "{}", s.name);
        }
    }
}
