//! Text handling shared by the search index builder and the agents' skills, depending on
//! neither: HTML reduced to sectioned plain text.

pub(crate) mod html;
