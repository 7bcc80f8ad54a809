//! Multi-word expressions ("kind of", "sin embargo", "above and beyond"),
//! matched on consecutive tokens of one clause, longest first.

use super::tokens::{Scratch, Token};
use super::wordmap::WordMap;

/// Phrases by their first word (folded: lowercase, no accents).
pub(super) struct PhraseTable<T> {
    /// Index into `lists`, by first word.
    by_first: WordMap<u16>,
    /// The rest of each phrase and its value, longest first.
    lists: Vec<Vec<(Vec<Box<str>>, T)>>,
}

impl<T: Copy> PhraseTable<T> {
    pub fn new(phrases: impl IntoIterator<Item = (String, T)>) -> Self {
        let mut table = PhraseTable { by_first: WordMap::default(), lists: Vec::new() };
        for (phrase, value) in phrases {
            let mut words = phrase.split_whitespace();
            let Some(first) = words.next() else { continue };
            let next = table.lists.len() as u16;
            let k = *table.by_first.get_or_insert_with(first, || next);
            if usize::from(k) == table.lists.len() {
                table.lists.push(Vec::new());
            }
            table.lists[usize::from(k)].push((words.map(Box::from).collect(), value));
        }
        for list in &mut table.lists {
            list.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        }
        table
    }

    /// The number (from 1) of the phrases starting with `first`; 0 for none.
    /// The lexicon keeps it with the word, to spare a second lookup.
    pub fn number(&self, first: &str) -> u16 {
        self.by_first.get(first).map_or(0, |k| k + 1)
    }

    /// The longest phrase starting at `tokens[i]`: its length in tokens and
    /// value. A phrase never spans clause punctuation.
    pub fn at(&self, tokens: &[Token], i: usize, sc: &Scratch) -> Option<(usize, T)> {
        self.numbered(self.number(sc.folded(&tokens[i])), tokens, i, sc)
    }

    /// [`Self::at`] for a word whose [`Self::number`] is known.
    pub fn numbered(&self, number: u16, tokens: &[Token], i: usize, sc: &Scratch) -> Option<(usize, T)> {
        let list = self.lists.get(usize::from(number).checked_sub(1)?)?;
        list.iter().find_map(|(rest, value)| {
            let follows = tokens.get(i + 1..i + 1 + rest.len())?;
            let same = follows.iter().zip(rest).all(|(t, w)| !t.brk && sc.folded(t) == &**w);
            same.then_some((1 + rest.len(), *value))
        })
    }
}

/// Lowercases and folds a phrase of a word list, as tokens are.
pub(super) fn fold(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len());
    super::tokens::fold_into(phrase, &mut out);
    out
}
