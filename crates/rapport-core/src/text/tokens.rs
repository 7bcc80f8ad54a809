//! Splitting a sentence into the tokens the scorer reads: words, emoticons
//! and emoji, each with its byte range in the analysed text and its
//! lowercase forms.
//!
//! Speed matters here (every comment goes through it): tokens are byte
//! ranges, and their lowercase forms are appended to one `String` arena per
//! analysis, so the common path allocates nothing per token.

use super::lexicon;

/// A range of [`Scratch::words`].
pub(super) type Span = (u32, u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    /// ":)", "<3", ":-D" (scored from the VADER lexicon).
    Emoticon,
    /// A pictograph scored by its description (see `lexicon::emoji`).
    Emoji,
}

/// One token. The sentiment fields are filled by `lexicon::resolve`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: Kind,
    /// Lowercase, with ’ written '.
    pub lower: Span,
    /// `lower` without accents (ñ kept): what word lists match on.
    pub folded: Span,
    /// VADER's `isupper()`: has letters and all of them are capitals.
    pub caps: bool,
    /// Clause punctuation (, ; : ( ) – —) stands between this token and the
    /// previous one: negations do not reach across it, nor do boosters
    /// unless it is only a comma (VADER's "very smart, handsome").
    pub brk: bool,
    /// The punctuation before is only a comma.
    pub soft: bool,
    pub valence: f32,
    /// The valence in context (after negation, boosters, contrast).
    pub ctx: f32,
    /// The number of the phrases starting with this word (0: none).
    pub phrase: u16,
    /// A sentiment word (VADER: lexicon words are not modifiers of the next).
    pub lexical: bool,
    pub role: lexicon::Role,
}

/// Buffers reused for every sentence of one analysis.
#[derive(Default)]
pub(super) struct Scratch {
    pub words: String,
    pub tokens: Vec<Token>,
}

impl Scratch {
    /// Buffers sized for a text of `len` bytes, so they seldom grow.
    pub fn with_capacity(len: usize) -> Self {
        let tokens = len / 4 + 4;
        Scratch { words: String::with_capacity(len + 16), tokens: Vec::with_capacity(tokens) }
    }

    pub fn lower(&self, t: &Token) -> &str {
        &self.words[t.lower.0 as usize..t.lower.1 as usize]
    }

    pub fn folded(&self, t: &Token) -> &str {
        &self.words[t.folded.0 as usize..t.folded.1 as usize]
    }
}

/// Letters, digits and combining marks (a decomposed "é" stays one word).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_clause_punct(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '(' | ')' | '–' | '—' | '"' | '“' | '”')
}

/// Appends the tokens of `text[start..end]` to `scratch.tokens`.
pub(super) fn tokenize(text: &str, start: usize, end: usize, sc: &mut Scratch) {
    let b = text.as_bytes();
    let mut brk = Break::None;
    let mut i = start;
    while i < end {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c >= 0x80 {
            if let Some(w) = text[i..end].chars().next().filter(|w| w.is_whitespace()) {
                i += w.len_utf8();
                continue;
            }
        }
        // The common case in one pass: an ASCII word, maybe followed by
        // punctuation ("good", "good.", "well,").
        let mut j = i;
        while j < end && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        let mut k = j;
        while k < end && matches!(b[k], b'.' | b',' | b'!' | b'?' | b';' | b':') {
            k += 1;
        }
        if j > i && (k == end || b[k].is_ascii_whitespace()) {
            push(text, sc, (i, j), Kind::Word, 0.0, brk);
            brk = match b[j..k].iter().copied().filter(|c| matches!(c, b',' | b';' | b':')).max() {
                Some(b',') => Break::Comma,
                Some(_) => Break::Clause,
                None => Break::None,
            };
            i = k;
            continue;
        }
        let chunk_end = text[i..end].find(char::is_whitespace).map_or(end, |p| i + p);
        brk = chunk_tokens(text, i, &text[i..chunk_end], brk, sc);
        i = chunk_end;
    }
}

/// The punctuation between two tokens, as far as scopes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    None,
    Comma,
    Clause,
}

/// Whether a chunk may be an emoticon: short, with punctuation and at most
/// two letters or digits (VADER's test, which spares "good." a lookup).
fn maybe_emoticon(chunk: &str) -> bool {
    chunk.len() <= 8
        && chunk.bytes().filter(u8::is_ascii_alphanumeric).count() <= 2
        && chunk.bytes().any(|b| b.is_ascii_punctuation() && b != b'\'' && b != b'-')
}

/// Tokens of one whitespace-separated chunk (the general path); returns the
/// break pending after it.
fn chunk_tokens(text: &str, base: usize, chunk: &str, mut brk: Break, sc: &mut Scratch) -> Break {
    // Emoticons are whole chunks, or glued to the end of a word ("great:)").
    if maybe_emoticon(chunk) {
        if let Some(v) = lexicon::emoticon(chunk) {
            push(text, sc, (base, base + chunk.len()), Kind::Emoticon, v, brk);
            return Break::None;
        }
    }
    let mut tail = None;
    if let Some(p) = chunk.rfind([':', ';', '=', '<']).filter(|&p| p > 0 && chunk.len() - p <= 4) {
        let (head, t) = chunk.split_at(p);
        if head.ends_with(char::is_alphanumeric) {
            tail = lexicon::emoticon(t).map(|v| (p, v));
        }
    }
    let body = &chunk[..tail.map_or(chunk.len(), |t| t.0)];
    let mut word_start: Option<usize> = None;
    let mut iter = body.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '&' && word_start.is_none() {
            // An HTML entity ("&gt;", "&amp;") pasted from a web page.
            if let Some(len) = entity_len(&body[i..]) {
                while iter.peek().is_some_and(|&(j, _)| j < i + len) {
                    iter.next();
                }
                continue;
            }
        }
        let inner_apostrophe =
            is_apostrophe(c) && word_start.is_some() && iter.peek().is_some_and(|&(_, n)| is_word_char(n));
        if is_word_char(c) || inner_apostrophe {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(ws) = word_start.take() {
            push(text, sc, (base + ws, base + i), Kind::Word, 0.0, brk);
            brk = Break::None;
        }
        if c == ',' {
            brk = brk.max(Break::Comma);
        } else if is_clause_punct(c) {
            brk = Break::Clause;
        } else if let Some(v) = lexicon::emoji(c).filter(|_| !c.is_ascii()) {
            push(text, sc, (base + i, base + i + c.len_utf8()), Kind::Emoji, v, brk);
            brk = Break::None;
        }
    }
    if let Some(ws) = word_start {
        push(text, sc, (base + ws, base + body.len()), Kind::Word, 0.0, brk);
        brk = Break::None;
    }
    if let Some((t, v)) = tail {
        push(text, sc, (base + t, base + chunk.len()), Kind::Emoticon, v, brk);
        brk = Break::None;
    }
    brk
}

/// The length of an HTML entity at the start of `s` ("&gt;", "&#39;").
fn entity_len(s: &str) -> Option<usize> {
    let end = s.bytes().take(10).position(|b| b == b';')?;
    let name = &s.as_bytes()[1..end];
    (!name.is_empty() && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'#')).then_some(end + 1)
}

fn push(text: &str, sc: &mut Scratch, (start, end): (usize, usize), kind: Kind, valence: f32, brk: Break) {
    let raw = &text[start..end];
    let l0 = sc.words.len();
    let (mut upper, mut lower) = (false, false);
    let ascii = raw.is_ascii();
    if ascii {
        for &c in raw.as_bytes() {
            upper |= c.is_ascii_uppercase();
            lower |= c.is_ascii_lowercase();
        }
        sc.words.push_str(raw);
        if upper {
            sc.words[l0..].make_ascii_lowercase();
        }
    } else {
        for c in raw.chars() {
            upper |= c.is_uppercase();
            lower |= c.is_lowercase();
            if c == '’' {
                sc.words.push('\'');
            } else {
                sc.words.extend(c.to_lowercase());
            }
        }
    }
    let l1 = sc.words.len();
    let folded = if ascii || sc.words[l0..l1].is_ascii() {
        (l0, l1)
    } else {
        // Folded from the source, as the arena cannot be read while it grows.
        for c in raw.chars().flat_map(char::to_lowercase) {
            if let Some(f) = fold_char(if c == '’' { '\'' } else { c }) {
                sc.words.push(f);
            }
        }
        (l1, sc.words.len())
    };
    sc.tokens.push(Token {
        start: start as u32,
        end: end as u32,
        kind,
        lower: (l0 as u32, l1 as u32),
        folded: (folded.0 as u32, folded.1 as u32),
        caps: upper && !lower,
        brk: brk != Break::None,
        soft: brk == Break::Comma,
        valence,
        ctx: 0.0,
        phrase: 0,
        lexical: false,
        role: lexicon::Role::Plain,
    });
}

/// A lowercase char without its accent (ñ kept; combining marks dropped).
pub(super) fn fold_char(c: char) -> Option<char> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        '\u{300}'..='\u{36f}' => return None,
        c => c,
    })
}

/// `s` lowercased and folded, appended to `out` (for word lists and themes).
pub(super) fn fold_into(s: &str, out: &mut String) {
    for c in s.chars().flat_map(char::to_lowercase) {
        if let Some(f) = fold_char(if c == '’' { '\'' } else { c }) {
            out.push(f);
        }
    }
}

/// The words of a text (letters, digits, inner apostrophes), for themes.
pub(super) fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(is_word_char(c) || is_apostrophe(c)))
        .map(|w| w.trim_matches(is_apostrophe))
        .filter(|w| !w.is_empty())
}
