//! A map from words to values, made for lookups on the hot path: a word of
//! up to 16 bytes (nearly all) is its own key, packed into a `u128`, so a
//! lookup hashes one integer and compares no strings.

use rustc_hash::FxHashMap;

#[derive(Debug)]
pub(super) struct WordMap<V> {
    short: FxHashMap<u128, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap { short: FxHashMap::default(), long: FxHashMap::default() }
    }
}

/// The bytes of `w` in a `u128` with its length in the top byte (so that
/// "a" and "a\0" differ); `None` when longer than 15 bytes.
fn pack(w: &str) -> Option<u128> {
    let b = w.as_bytes();
    if b.len() > 15 {
        return None;
    }
    // Shifts rather than a copy into a buffer, which calls memmove.
    let mut k = (b.len() as u128) << 120;
    for (i, &c) in b.iter().enumerate() {
        k |= u128::from(c) << (8 * i);
    }
    Some(k)
}

impl<V> WordMap<V> {
    pub fn get(&self, w: &str) -> Option<&V> {
        match pack(w) {
            Some(k) => self.short.get(&k),
            None => self.long.get(w),
        }
    }

    pub fn insert(&mut self, w: &str, v: V) {
        match pack(w) {
            Some(k) => self.short.insert(k, v),
            None => self.long.insert(w.into(), v),
        };
    }

    /// The value of `w`, inserted by `make` when absent.
    pub fn get_or_insert_with(&mut self, w: &str, make: impl FnOnce() -> V) -> &mut V {
        match pack(w) {
            Some(k) => self.short.entry(k).or_insert_with(make),
            None => self.long.entry(w.into()).or_insert_with(make),
        }
    }
}
