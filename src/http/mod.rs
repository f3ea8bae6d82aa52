//! What the HTTP layers and the routes share, below both: the error answer every layer and
//! handler gives ([`ApiError`]), work moved off the async workers ([`offload`]), and the
//! shutdown grace ([`grace`]). It knows actix and the settings' types, nothing of the security
//! layers, the server's assembly, agents or search.

pub(crate) mod error;
pub(crate) mod grace;
pub(crate) mod offload;

pub(crate) use error::ApiError;
