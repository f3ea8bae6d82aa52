//! Fuzzes SWAIG dispatch with arbitrary request bodies and tokens on a test agent whose tools
//! check bounded arguments, and the post-prompt and SIP body readers: every reply is a JSON
//! object the AI can read, and nothing panics.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    body: &'a [u8],
    token: &'a str,
}

fuzz_target!(|input: Input<'_>| {
    swml_server::fuzzing::swaig_request(input.body, input.token);
    swml_server::fuzzing::call_bodies(input.body);
});
