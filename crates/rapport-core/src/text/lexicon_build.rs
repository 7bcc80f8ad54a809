//! Building the lexicons from the shipped files and word lists (once, on
//! first use).

use super::english as en;
use super::flags::Cue;
use super::lexicon::{sources, Effect, Entry, Lexicon, Role};
use super::phrases::{fold, PhraseTable};
use super::spanish as es;
use super::wordmap::WordMap;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

type Words = WordMap<Entry>;

/// `word<TAB>valence` lines (also `word,valence`); `#` starts a comment.
fn pairs(data: &'static str, sep: char) -> impl Iterator<Item = (&'static str, f32)> {
    data.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).filter_map(move |l| {
        let mut cols = l.trim_end_matches('\r').split(sep);
        let word = cols.next()?;
        let v = cols.next()?.trim().parse::<f32>().ok()?;
        Some((word, v))
    })
}

fn lexical(v: f32) -> Entry {
    Entry { valence: v, lexical: true, ..Entry::default() }
}

fn set_role(words: &mut Words, word: &str, role: Role) {
    words.get_or_insert_with(&fold(word), Entry::default).role = role;
}

/// Adds the phrases of a language; a phrase's first word is marked so that
/// only those words look the phrase table up.
fn phrase_table(
    words: &mut Words,
    roles: &[(&str, Role)],
    valences: impl Iterator<Item = (String, f32)>,
    first_word: impl Fn(&str) -> Entry,
) -> PhraseTable<Effect> {
    let all: Vec<(String, Effect)> = roles
        .iter()
        .map(|(p, r)| (fold(p), Effect::Role(*r)))
        .chain(valences.map(|(p, v)| (fold(&p), Effect::Valence(v))))
        .collect();
    let firsts: Vec<String> = all.iter().filter_map(|(p, _)| p.split(' ').next()).map(str::to_string).collect();
    let table = PhraseTable::new(all);
    for first in firsts {
        let e = words.get_or_insert_with(&first, || first_word(&first));
        e.phrase = table.number(&first);
    }
    table
}

fn cues(list: &[(&str, Cue)]) -> PhraseTable<Cue> {
    PhraseTable::new(list.iter().map(|(p, c)| (fold(p), *c)))
}

pub(super) fn english() -> Lexicon {
    let [vader_data, extra, ..] = sources();
    let mut vader: FxHashMap<&str, f32> = FxHashMap::default();
    let mut multi = Vec::new();
    // Later lines win, as in VADER's dict ("ok" and "xd" appear twice).
    for (w, v) in pairs(vader_data, '\t') {
        if w.contains(' ') {
            multi.push((w.to_string(), v));
        } else {
            vader.insert(w, v);
        }
    }
    let mut words = Words::default();
    for (w, v) in inflections(&vader) {
        words.insert(&w, lexical(v));
    }
    for (w, v) in &vader {
        words.insert(w, lexical(*v));
    }
    for (w, v) in pairs(extra, '\t') {
        words.insert(w, lexical(v));
    }
    for w in en::NEGATORS {
        set_role(&mut words, w, Role::Negator);
    }
    for (w, b) in en::BOOSTERS {
        set_role(&mut words, w, Role::Boost(*b));
    }
    for w in en::CONTRAST {
        set_role(&mut words, w, Role::Contrast);
    }
    for w in en::CONCESSIVE {
        set_role(&mut words, w, Role::Concessive);
    }
    let valences = en::VALENCE_PHRASES.iter().map(|(p, v)| (p.to_string(), *v)).chain(multi);
    let phrases = phrase_table(&mut words, en::ROLE_PHRASES, valences, |_| Entry::default());
    Lexicon::new(words, WordMap::default(), None, phrases, cues(en::CUES))
}

/// VADER lists "disappoint" and "disappointing" but not "poorly" or
/// "idiots": regular inflections of a lexicon word get its valence, unless
/// the lexicon has them. Short words and those whose inflection changes the
/// sense ("kinds", "fines", "means") are left alone.
fn inflections(words: &FxHashMap<&str, f32>) -> Vec<(String, f32)> {
    const SKIP: &[&str] = &["kind", "fine", "mean", "joke", "will", "mind", "free", "well", "like", "pretty"];
    let mut out = Vec::new();
    for (w, v) in words {
        if w.len() < 4 || !w.bytes().all(|b| b.is_ascii_lowercase()) || SKIP.contains(w) {
            continue;
        }
        let mut forms = vec![format!("{w}s"), format!("{w}ly"), format!("{w}ed"), format!("{w}ing")];
        if let Some(stem) = w.strip_suffix('e') {
            forms.extend([format!("{w}d"), format!("{stem}ing"), format!("{stem}y")]);
        }
        if let Some(stem) = w.strip_suffix('y') {
            forms.extend([format!("{stem}ies"), format!("{stem}ily"), format!("{stem}ied")]);
        }
        if w.ends_with(['s', 'x']) || w.ends_with("ch") || w.ends_with("sh") {
            forms.push(format!("{w}es"));
        }
        out.extend(forms.into_iter().filter(|f| !words.contains_key(f.as_str())).map(|f| (f, *v)));
    }
    // Two words may inflect alike ("bored": "bore" + "d", "bor" + "ed"):
    // the lower valence wins, so that the result does not depend on hashing.
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    out.dedup_by(|b, a| a.0 == b.0);
    out
}

pub(super) fn spanish() -> Lexicon {
    let [_, _, sentileak, extra, _] = sources();
    let stemmer = Stemmer::create(Algorithm::Spanish);
    let mut stems: WordMap<f32> = WordMap::default();
    for (s, v) in pairs(sentileak, ',') {
        stems.insert(s, v);
    }
    let mut words = Words::default();
    for (w, v) in pairs(extra, '\t') {
        match w.strip_prefix('~') {
            Some(stem) => stems.insert(stem, v),
            None => words.insert(&fold(w), lexical(v)),
        }
    }
    let stem_of = |w: &str| {
        let v = stems.get(&stemmer.stem(w)).copied().filter(|v| *v != 0.0);
        v.map_or_else(Entry::default, lexical)
    };
    // Frequent words are looked up by their form, so they are never stemmed
    // (the slow path). Function words and numbers carry no sentiment, though
    // some stem like a sentiment word ("mis" like "miseria").
    for w in es::LIGHT.iter().chain(COMMON_ES) {
        words.get_or_insert_with(&fold(w), Entry::default);
    }
    for w in es::STOP_WORDS {
        let f = fold(w);
        words.get_or_insert_with(&f, || stem_of(&f));
    }
    // Function words carry no valence of their own.
    for (list, role) in [(es::LIGHT, Role::Light), (es::NEGATORS, Role::Negator)] {
        for w in list {
            *words.get_or_insert_with(&fold(w), Entry::default) = Entry { role, ..Entry::default() };
        }
    }
    for (w, b) in es::BOOSTERS {
        set_role(&mut words, w, Role::Boost(*b));
    }
    for w in es::CONTRAST {
        set_role(&mut words, w, Role::Contrast);
    }
    for w in es::CONCESSIVE {
        set_role(&mut words, w, Role::Concessive);
    }
    let valences = es::VALENCE_PHRASES.iter().map(|(p, v)| (p.to_string(), *v));
    let phrases = phrase_table(&mut words, es::ROLE_PHRASES, valences, stem_of);
    Lexicon::new(words, stems, Some(Algorithm::Spanish), phrases, cues(es::CUES))
}

/// More frequent Spanish words that carry no sentiment.
const COMMON_ES: &[&str] = &[
    "a", "que", "qué", "y", "o", "e", "u", "es", "son", "era", "eran", "fue", "fueron", "ha", "han", "he", "has",
    "hemos", "hay", "había", "ser", "estar", "está", "están", "estaba", "estoy", "tengo", "tiene", "tienen", "tener",
    "hace", "hizo", "muy", "ya", "si", "sí", "cuando", "donde", "porque", "pues", "este", "esta", "estos", "estas",
    "ese", "esa", "eso", "esto", "aquí", "allí", "ahí", "yo", "tú", "él", "ella", "ellos", "ellas", "nosotros",
    "usted", "ustedes", "mis", "tu", "tus", "su", "sus", "nuestro", "nuestra", "cada", "otro", "otra", "otros",
    "todos", "todas", "toda", "día", "días", "vez", "veces", "hora", "horas", "minutos", "semana", "mes", "año",
    "pedido", "compra", "tienda", "cliente", "clientes", "empresa", "personal", "servicio", "producto", "precio",
    "después", "antes", "hoy", "ayer", "mañana", "ahora", "luego", "también", "solo", "sólo", "hasta", "desde",
    "sobre", "entre", "sin", "tras", "hacia", "según", "durante", "mis", "mío", "mía", "tuyo", "suyo", "suya", "uno",
    "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "once", "doce", "quince", "veinte", "treinta",
    "cien", "mil", "primer", "primera", "primero", "segundo", "segunda", "tercer", "media", "medio",
];

/// VADER entries that are emoticons: they hold ASCII punctuation.
pub(super) fn emoticons(vader: &'static str) -> FxHashMap<&'static str, f32> {
    pairs(vader, '\t')
        .filter(|(w, _)| !w.contains(' ') && w.bytes().any(|b| b.is_ascii_punctuation() && b != b'\'' && b != b'-'))
        .collect()
}

/// Each single-character emoji's valence: the sum of the valences of the
/// words of its description ("smiling face with hearts"), which is what
/// VADER scores after replacing the emoji by its description. An emoji
/// written with a presentation selector ("❤️") counts for its base char.
pub(super) fn emojis(data: &'static str, english: &Lexicon) -> FxHashMap<char, f32> {
    let mut out = FxHashMap::default();
    for line in data.lines() {
        let mut cols = line.trim_end_matches('\r').split('\t');
        let (Some(emoji), Some(description)) = (cols.next(), cols.next()) else { continue };
        let mut chars = emoji.chars();
        let Some(c) = chars.next() else { continue };
        if chars.any(|x| x != '\u{fe0f}') {
            continue;
        }
        let v: f32 = description
            .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '\'')
            .filter(|w| !w.is_empty())
            .filter_map(|w| english.word(&w.to_ascii_lowercase()).map(|e| e.valence))
            .sum();
        if v != 0.0 {
            out.entry(c).or_insert(v);
        }
    }
    out.extend(en::EMOJI_EXTRA.iter().copied());
    out
}
