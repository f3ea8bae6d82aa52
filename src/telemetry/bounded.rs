//! How a logged value is written: control characters escaped (so no value can forge a line) and
//! at most a fixed number of bytes kept (`SIGNALWIRE_LOG_MAX_VALUE_BYTES`), so that no event,
//! whichever site logs it and whatever a client sent, writes more than that per value.
//!
//! A value is formatted through [`Bounded`], which keeps the first bytes and only counts the
//! rest: a 10 MB value costs a pass over it, never a copy. A cut value ends with
//! `…[cut: N bytes]`, N being the length of the whole value before escaping.

use std::fmt::{self, Write};

/// A `fmt::Write` sink that escapes control characters and keeps at most `max` bytes of output,
/// cut on a character boundary.
pub struct Bounded {
    kept: String,
    max: usize,
    /// Bytes of the value as formatted, before escaping, kept or not.
    total: usize,
    cut: bool,
}

impl Bounded {
    pub fn new(max: usize) -> Bounded {
        Bounded {
            kept: String::new(),
            max,
            total: 0,
            cut: false,
        }
    }

    /// `value`'s `Display` text, bounded.
    pub fn display(max: usize, value: &dyn fmt::Display) -> String {
        let mut bounded = Bounded::new(max);
        // Writing into a `Bounded` never fails; a value's own formatting error leaves what was
        // written so far, which is all a log line can show anyway.
        let _ = write!(bounded, "{value}");
        bounded.finish()
    }

    /// `value`'s `Debug` text, bounded.
    pub fn debug(max: usize, value: &dyn fmt::Debug) -> String {
        let mut bounded = Bounded::new(max);
        let _ = write!(bounded, "{value:?}");
        bounded.finish()
    }

    /// The text kept, with the cut marker when something was left out.
    pub fn finish(mut self) -> String {
        if self.cut {
            let _ = write!(self.kept, "…[cut: {} bytes]", self.total);
        }
        self.kept
    }

    fn keep(&mut self, piece: &str) -> bool {
        if self.kept.len() + piece.len() > self.max {
            self.cut = true;
            return false;
        }
        self.kept.push_str(piece);
        true
    }
}

impl Write for Bounded {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.total += text.len();
        if self.cut {
            return Ok(());
        }
        for (at, c) in text.char_indices() {
            let kept = if c.is_control() {
                self.keep(&c.escape_unicode().to_string())
            } else {
                self.keep(&text[at..at + c.len_utf8()])
            };
            if !kept {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_kept_whole_with_control_characters_escaped() {
        assert_eq!(Bounded::display(64, &"plain"), "plain");
        assert_eq!(
            Bounded::display(64, &"a\nb\u{1b}[31m"),
            "a\\u{a}b\\u{1b}[31m"
        );
        assert_eq!(Bounded::debug(64, &"q"), "\"q\"");
    }

    #[test]
    fn long_values_are_cut_on_a_character_boundary_with_the_whole_length() {
        let text = "é".repeat(10);
        assert_eq!(Bounded::display(5, &text), "éé…[cut: 20 bytes]");
        let long = "x".repeat(100_000);
        let kept = Bounded::display(2048, &long);
        assert_eq!(kept, format!("{}…[cut: 100000 bytes]", "x".repeat(2048)));
    }

    #[test]
    fn escapes_count_against_the_limit_and_are_never_split() {
        assert_eq!(Bounded::display(8, &"ab\n\ncd"), "ab\\u{a}…[cut: 6 bytes]");
    }

    #[test]
    fn a_value_written_in_pieces_is_bounded_as_a_whole() {
        let mut bounded = Bounded::new(4);
        for piece in ["ab", "cd", "ef"] {
            bounded.write_str(piece).unwrap();
        }
        assert_eq!(bounded.finish(), "abcd…[cut: 6 bytes]");
    }
}
