//! List fields: `field = ?List(&items)` logs a list that the JSON line format writes as a JSON
//! array (of strings), and the console format as `["a","b"]`.
//!
//! `tracing` hands a formatter only text for such values (its structured values need an
//! unstable compiler flag), so the list is written as the text of a JSON array, which
//! [`json`](super::json) recognises: a `?` value whose text is a JSON array becomes an array,
//! each string in it bounded like any other value. A plain `?vec` of plain strings reads the same
//! way; `List` makes it exact for any item (quotes, control characters) and any `Display` type.

use std::fmt;

/// A list of values to log as an array of their `Display` texts.
pub(crate) struct List<'a, T>(pub &'a [T]);

impl<T: fmt::Display> fmt::Debug for List<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (index, item) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            let text = item.to_string();
            let quoted = serde_json::to_string(&text).map_err(|_| fmt::Error)?;
            f.write_str(&quoted)?;
        }
        f.write_str("]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_written_as_the_text_of_a_json_array() {
        let items = ["plain", "with \"quotes\"", "line\nbreak"];
        let text = format!("{:?}", List(&items));
        let parsed: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, items);
        assert_eq!(format!("{:?}", List::<&str>(&[])), "[]");
    }
}
