//! Fuzzes the chunkers (sentence, sliding, paragraph, page, markdown, pre-chunked JSON) and the
//! HTML reducer with arbitrary text and options: no empty chunk, no lost word, no panic.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    text: &'a str,
    max_sentences: u8,
    chunk_size: u8,
    overlap: u8,
}

fuzz_target!(|input: Input<'_>| {
    swml_server::fuzzing::chunk_text(
        input.text,
        input.max_sentences,
        input.chunk_size,
        input.overlap,
    );
});
