//! Splitting a text into sentences, as byte ranges on char boundaries.
//!
//! A sentence ends at . ! ? … or a line break, and before ¡ ¿ (which open
//! one). Not at "e.g." or "Sr." (abbreviations), "3.5" (decimals),
//! "www.x.com" (no space after), and a run "!!!" or "?!" stays with its
//! sentence, as do closing quotes and brackets.

/// Abbreviations whose dot does not end a sentence (lowercase, no dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "sra", "srta", "dra", "st", "vs", "etc", "approx", "nº", "núm", "tel",
    "aprox", "pág", "p", "ej", "av", "avda", "dpto", "depto", "inc", "ltd", "co", "jr", "ud", "uds",
];

/// The bytes where a sentence may end or start: . ! ? \n \r, and the
/// lead bytes of ¡ ¿ (C2) and … (E2); a table, as this runs on every byte.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    let bytes = [b'.', b'!', b'?', b'\n', b'\r', 0xC2, 0xE2];
    while k < bytes.len() {
        t[bytes[k] as usize] = true;
        k += 1;
    }
    t
};

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '”' | '’' | '»')
}

/// The sentences of `text`, trimmed of surrounding whitespace; none is
/// empty.
pub(super) fn split(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(4);
    let b = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    // Bytes are scanned, and chars decoded only where one of ours may start.
    while i < b.len() {
        if !SPECIAL[usize::from(b[i])] {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let here = i;
        i += c.len_utf8();
        let end = if c == '\n' || c == '\r' {
            Some((here, i))
        } else if (c == '¡' || c == '¿') && here > start {
            // "y ¿por qué?" opens a sentence too, unless after a comma.
            (!text[start..here].trim_end().ends_with([',', ';', ':'])).then_some((here, here))
        } else if is_terminal(c) {
            // The run "!!!", "?!", "..." and closing quotes stay with it.
            let mut rest = text[i..].chars();
            let mut next = rest.next();
            while let Some(n) = next.filter(|n| is_terminal(*n) || is_closing(*n)) {
                i += n.len_utf8();
                next = rest.next();
            }
            let spaced = next.is_none_or(|n| n.is_whitespace() || n == '¡' || n == '¿');
            let dot_only = c == '.' && i == here + 1;
            (spaced && !(dot_only && abbreviation(&text[start..here]))).then_some((i, i))
        } else {
            None
        };
        if let Some((cut, resume)) = end {
            push(text, start, cut, &mut out);
            start = resume;
        }
    }
    push(text, start, text.len(), &mut out);
    out
}

/// Whether the word before a single dot is an abbreviation: listed, one
/// letter ("J. Smith"), or dotted inside ("e.g", "p.ej").
fn abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    if word.is_empty() {
        return false;
    }
    word.contains('.')
        || word.chars().count() == 1 && word.chars().all(char::is_alphabetic)
        || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

fn push(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let s = &text[start..end];
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        let offset = start + (s.len() - s.trim_start().len());
        out.push((offset, offset + trimmed.len()));
    }
}
