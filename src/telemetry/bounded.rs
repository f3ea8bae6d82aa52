//! How a logged value is written: control characters escaped (so no value can forge a line) and
//! at most a fixed number of bytes kept (`SIGNALWIRE_LOG_MAX_VALUE_BYTES`), so that no event,
//! whichever site logs it and whatever a client sent, writes more than that per value.
//!
//! A value is formatted through [`Bounded`], which passes the first bytes on to the line being
//! written and only counts the rest: a 10 MB value costs a pass over it, never a copy. A cut
//! value ends with `…[cut: N bytes]`, N being the length of the whole value before escaping.

use std::fmt::{self, Write};

/// A `fmt::Write` adapter that escapes control characters and passes at most `max` bytes of
/// output on to `out`, cut on a character boundary.
pub(super) struct Bounded<W> {
    out: W,
    /// Bytes that may still be passed on.
    room: usize,
    /// Bytes of the value as formatted, before escaping, passed on or not.
    total: usize,
    cut: bool,
}

impl<W: Write> Bounded<W> {
    pub(super) fn new(out: W, max: usize) -> Bounded<W> {
        Bounded {
            out,
            room: max,
            total: 0,
            cut: false,
        }
    }

    /// Adds the cut marker when something was left out, and hands the writer back.
    pub(super) fn finish(mut self) -> Result<W, fmt::Error> {
        if self.cut {
            write!(self.out, "…[cut: {} bytes]", self.total)?;
        }
        Ok(self.out)
    }
}

impl<W: Write> Write for Bounded<W> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.total += text.len();
        let mut rest = text;
        while !self.cut && !rest.is_empty() {
            let plain_len = rest.find(char::is_control).unwrap_or(rest.len());
            let (plain, tail) = rest.split_at(plain_len);
            if plain.len() > self.room {
                let mut end = self.room;
                while !plain.is_char_boundary(end) {
                    end -= 1;
                }
                self.out.write_str(&plain[..end])?;
                self.cut = true;
                break;
            }
            self.out.write_str(plain)?;
            self.room -= plain.len();
            let Some(control) = tail.chars().next() else {
                break;
            };
            let escaped = control.escape_unicode();
            if escaped.len() > self.room {
                self.cut = true;
                break;
            }
            self.room -= escaped.len();
            write!(self.out, "{escaped}")?;
            rest = &tail[control.len_utf8()..];
        }
        Ok(())
    }
}

/// A field value and how it is to be shown: by `Display` (`%value`, messages) or `Debug`.
#[derive(Clone, Copy)]
pub(super) enum Shown<'a> {
    Display(&'a dyn fmt::Display),
    Debug(&'a dyn fmt::Debug),
}

impl Shown<'_> {
    /// Writes the value into `out`, bounded.
    pub(super) fn write(self, out: &mut impl Write, max: usize) -> fmt::Result {
        match self {
            Shown::Display(value) => write_display(out, max, value),
            Shown::Debug(value) => write_debug(out, max, value),
        }
    }
}

/// Writes `value`'s `Display` text into `out`, bounded.
pub(super) fn write_display(
    out: &mut impl Write,
    max: usize,
    value: &dyn fmt::Display,
) -> fmt::Result {
    let mut bounded = Bounded::new(out, max);
    write!(bounded, "{value}")?;
    bounded.finish().map(drop)
}

/// Writes `value`'s `Debug` text into `out`, bounded.
pub(super) fn write_debug(out: &mut impl Write, max: usize, value: &dyn fmt::Debug) -> fmt::Result {
    let mut bounded = Bounded::new(out, max);
    write!(bounded, "{value:?}")?;
    bounded.finish().map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn display(max: usize, value: &dyn fmt::Display) -> String {
        let mut text = String::new();
        write_display(&mut text, max, value).unwrap();
        text
    }

    fn debug(max: usize, value: &dyn fmt::Debug) -> String {
        let mut text = String::new();
        write_debug(&mut text, max, value).unwrap();
        text
    }

    #[test]
    fn short_values_are_kept_whole_with_control_characters_escaped() {
        assert_eq!(display(64, &"plain"), "plain");
        assert_eq!(display(64, &"a\nb\u{1b}[31m"), "a\\u{a}b\\u{1b}[31m");
        assert_eq!(debug(64, &"q"), "\"q\"");
    }

    #[test]
    fn long_values_are_cut_on_a_character_boundary_with_the_whole_length() {
        let text = "é".repeat(10);
        assert_eq!(display(5, &text), "éé…[cut: 20 bytes]");
        let long = "x".repeat(100_000);
        let kept = display(2048, &long);
        assert_eq!(kept, format!("{}…[cut: 100000 bytes]", "x".repeat(2048)));
    }

    #[test]
    fn escapes_count_against_the_limit_and_are_never_split() {
        assert_eq!(display(8, &"ab\n\ncd"), "ab\\u{a}…[cut: 6 bytes]");
        assert_eq!(display(9, &"ab\n\ncd"), "ab\\u{a}…[cut: 6 bytes]");
        assert_eq!(display(14, &"ab\n\ncd"), "ab\\u{a}\\u{a}cd");
    }

    #[test]
    fn a_value_written_in_pieces_is_bounded_as_a_whole() {
        let mut bounded = Bounded::new(String::new(), 4);
        for piece in ["ab", "cd", "ef"] {
            bounded.write_str(piece).unwrap();
        }
        assert_eq!(bounded.finish().unwrap(), "abcd…[cut: 6 bytes]");
    }
}
