//! Plain SWML services: the typed verbs ([`verbs`]), the service builder and its checks
//! ([`builder`]), and the shipped `ivr` over a real socket ([`ivr`]).

mod builder;
mod ivr;
mod verbs;
