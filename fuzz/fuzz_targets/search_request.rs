//! Fuzzes the `POST /search` body parser: accepted requests respect every documented bound,
//! refusals are 400s naming a field, nothing panics.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    swml_server::fuzzing::search_request(body);
});
