//! The field schema of every index this server builds, and the check that an index on disk has
//! it (an index built by something else, or by an older format, is refused with a reason).

use tantivy::schema::{
    FAST, Field, FieldType, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::Language;

use super::SearchError;
use super::analyzer::{terms_tokenizer_name, tokenizer_name};

pub(crate) const ID: &str = "id";
pub(crate) const CONTENT: &str = "content";
pub(crate) const TEXT: &str = "text";
pub(crate) const SECTION: &str = "section";
pub(crate) const FILENAME: &str = "filename";
pub(crate) const TAGS: &str = "tags";
pub(crate) const CHUNK_INDEX: &str = "chunk_index";
pub(crate) const WORD_COUNT: &str = "word_count";
pub(crate) const METADATA: &str = "metadata";
pub(crate) const PAIRS: &str = "pairs";

/// Handles to the fields of a loaded index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Stable chunk id (hash of filename and chunk index); a fast field so ties break on it.
    pub id: Field,
    /// The content, indexed (from tokens the builder computed once) but not stored.
    pub content: Field,
    /// The content as stored and returned.
    pub text: Field,
    pub section: Field,
    pub filename: Field,
    /// Tags, untokenized, so the tag filter is an exact term match.
    pub tags: Field,
    pub chunk_index: Field,
    pub word_count: Field,
    /// JSON metadata of pre-chunked input, stored as text; never searched.
    pub metadata: Field,
    /// Neighbouring term pairs of the content (see `pairs`), the proximity signal; not stored.
    pub pairs: Field,
}

fn analyzed(language: Language, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(&tokenizer_name(language))
            .set_index_option(record),
    )
}

/// A field indexed (not stored) from terms the builder analyzed: tantivy only splits them.
fn terms(language: Language) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(&terms_tokenizer_name(language))
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

/// The schema for an index in `language`. No field keeps positions: proximity is indexed as
/// word pairs, so queries never read positions.
pub(crate) fn build_schema(language: Language) -> Schema {
    let mut builder = Schema::builder();
    builder.add_u64_field(ID, FAST | STORED);
    builder.add_text_field(CONTENT, terms(language));
    builder.add_text_field(TEXT, STORED);
    builder.add_text_field(SECTION, analyzed(language, IndexRecordOption::WithFreqs));
    builder.add_text_field(FILENAME, analyzed(language, IndexRecordOption::WithFreqs));
    builder.add_text_field(
        TAGS,
        TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    builder.add_u64_field(CHUNK_INDEX, STORED);
    builder.add_u64_field(WORD_COUNT, STORED);
    builder.add_text_field(METADATA, STORED);
    builder.add_text_field(PAIRS, terms(language));
    builder.build()
}

impl Fields {
    /// Resolves and checks every field of `schema`: present, of the expected type, and text
    /// fields analyzed by this language's analyzer.
    pub fn resolve(schema: &Schema, language: Language) -> Result<Fields, SearchError> {
        let analyzer = tokenizer_name(language);
        let terms = terms_tokenizer_name(language);
        let text = |name: &str, tokenizer: Option<&str>| -> Result<Field, SearchError> {
            let field = lookup(schema, name)?;
            match schema.get_field_entry(field).field_type() {
                FieldType::Str(options) => {
                    let actual = options.get_indexing_options().map(|i| i.tokenizer());
                    if actual == tokenizer {
                        Ok(field)
                    } else {
                        Err(mismatch(name, "its tokenizer differs"))
                    }
                }
                _ => Err(mismatch(name, "it is not a text field")),
            }
        };
        let number = |name: &str| -> Result<Field, SearchError> {
            let field = lookup(schema, name)?;
            match schema.get_field_entry(field).field_type() {
                FieldType::U64(_) => Ok(field),
                _ => Err(mismatch(name, "it is not an unsigned integer field")),
            }
        };
        Ok(Fields {
            id: number(ID)?,
            content: text(CONTENT, Some(&terms))?,
            text: text(TEXT, None)?,
            section: text(SECTION, Some(&analyzer))?,
            filename: text(FILENAME, Some(&analyzer))?,
            tags: text(TAGS, Some("raw"))?,
            chunk_index: number(CHUNK_INDEX)?,
            word_count: number(WORD_COUNT)?,
            metadata: text(METADATA, None)?,
            pairs: text(PAIRS, Some(&terms))?,
        })
    }
}

fn lookup(schema: &Schema, name: &str) -> Result<Field, SearchError> {
    schema
        .get_field(name)
        .map_err(|_| SearchError::Manifest(format!("schema has no field '{name}'")))
}

fn mismatch(name: &str, why: &str) -> SearchError {
    SearchError::Manifest(format!("schema field '{name}' is unexpected: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_schema_resolves_in_its_own_language_only() {
        let schema = build_schema(Language::English);
        assert!(Fields::resolve(&schema, Language::English).is_ok());
        assert!(Fields::resolve(&schema, Language::French).is_err());
    }
}
