//! The files of a model folder, read and checked before anything is built from them.
//!
//! A folder holds `manifest.json` (the model's name and the SHA-256 of every other file),
//! `model.safetensors`, `tokenizer.json`, the BERT `config.json` and the sentence-transformers
//! description of the pipeline: `modules.json`, `sentence_bert_config.json` (the token limit)
//! and the pooling module's `config.json`. Every file the manifest lists is hashed and compared,
//! so a truncated download, a stray edit or a file swapped from another model stops the load
//! with a message naming the file. Only the pipeline this embedder implements is accepted:
//! a BERT encoder with absolute positions and erf GELU, mean pooling, L2 normalization.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::EmbeddingError;

/// The manifest's file name inside a model folder.
pub(crate) const MANIFEST: &str = "manifest.json";
/// The weights' file name inside a model folder.
pub(crate) const WEIGHTS: &str = "model.safetensors";
/// The tokenizer's file name inside a model folder.
pub(crate) const TOKENIZER: &str = "tokenizer.json";

/// Other keys (the conversion script records the source's checksum and the stored dtype) are
/// for people; the loader needs the name and the files.
#[derive(Deserialize)]
struct Manifest {
    name: String,
    files: BTreeMap<String, String>,
}

/// The shape of the encoder, from the model's `config.json`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
    hidden_act: String,
    #[serde(default = "absolute")]
    position_embedding_type: String,
}

fn absolute() -> String {
    "absolute".to_string()
}

#[derive(Deserialize)]
struct Module {
    path: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct SentenceConfig {
    max_seq_length: usize,
}

#[derive(Deserialize)]
struct PoolingConfig {
    word_embedding_dimension: usize,
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
    #[serde(default)]
    pooling_mode_mean_sqrt_len_tokens: bool,
}

/// A model folder whose files match its manifest, with its configuration parsed.
pub(crate) struct ModelFiles {
    pub name: String,
    /// SHA-256 of the weights file, as recorded in the manifest and checked.
    pub weights_sha256: String,
    pub weights: Mmap,
    pub tokenizer: Mmap,
    pub config: BertConfig,
    /// Inputs are cut to this many tokens, the special tokens included.
    pub max_tokens: usize,
}

impl ModelFiles {
    /// Reads the folder, checks every file against the manifest and the pipeline against what
    /// the embedder implements.
    pub(crate) fn read(dir: &Path) -> Result<ModelFiles, EmbeddingError> {
        if !dir.is_dir() {
            return Err(EmbeddingError::MissingFolder(dir.to_path_buf()));
        }
        let manifest_path = dir.join(MANIFEST);
        let manifest_bytes =
            std::fs::read(&manifest_path).map_err(|source| EmbeddingError::Io {
                path: manifest_path.clone(),
                source,
            })?;
        let manifest: Manifest = parse(&manifest_path, &manifest_bytes)?;
        for required in [WEIGHTS, TOKENIZER] {
            if !manifest.files.contains_key(required) {
                return Err(invalid(&manifest_path, format!("does not list {required}")));
            }
        }
        let mut contents = BTreeMap::new();
        for (name, expected) in &manifest.files {
            let path = dir.join(name);
            let bytes = read(&path)?;
            let actual = hex::encode(Sha256::digest(&*bytes));
            if !actual.eq_ignore_ascii_case(expected) {
                return Err(EmbeddingError::Checksum {
                    path,
                    expected: expected.clone(),
                    actual,
                });
            }
            contents.insert(name.as_str(), bytes);
        }
        let mut take = |name: &str| -> Result<Mmap, EmbeddingError> {
            contents
                .remove(name)
                .ok_or_else(|| invalid(&manifest_path, format!("does not list {name}")))
        };
        let config_path = dir.join("config.json");
        let config: BertConfig = parse(&config_path, &take("config.json")?)?;
        check_encoder(&config_path, &config)?;
        let max_tokens = check_pipeline(dir, &config, &mut take)?;
        let weights_sha256 = manifest.files[WEIGHTS].to_ascii_lowercase();
        Ok(ModelFiles {
            name: manifest.name,
            weights_sha256,
            weights: take(WEIGHTS)?,
            tokenizer: take(TOKENIZER)?,
            config,
            max_tokens,
        })
    }
}

/// The SHA-256 of the weights a model folder's manifest declares, read without loading or
/// hashing anything: whether an index's vectors were made with this model.
pub(crate) fn declared_weights_sha256(dir: &Path) -> Result<String, EmbeddingError> {
    let manifest_path = dir.join(MANIFEST);
    let bytes = std::fs::read(&manifest_path).map_err(|source| EmbeddingError::Io {
        path: manifest_path.clone(),
        source,
    })?;
    let manifest: Manifest = parse(&manifest_path, &bytes)?;
    manifest
        .files
        .get(WEIGHTS)
        .map(|sha| sha.to_ascii_lowercase())
        .ok_or_else(|| invalid(&manifest_path, format!("does not list {WEIGHTS}")))
}

/// Refuses encoders this implementation would compute wrongly rather than fail loudly.
fn check_encoder(path: &Path, config: &BertConfig) -> Result<(), EmbeddingError> {
    if config.hidden_act != "gelu" {
        return Err(invalid(
            path,
            format!(
                "hidden_act {:?} is not supported (only \"gelu\")",
                config.hidden_act
            ),
        ));
    }
    if config.position_embedding_type != "absolute" {
        return Err(invalid(
            path,
            "only absolute position embeddings are supported",
        ));
    }
    let heads = config.num_attention_heads;
    if heads == 0 || !config.hidden_size.is_multiple_of(heads) {
        return Err(invalid(
            path,
            "hidden_size must split evenly across the attention heads",
        ));
    }
    if config.type_vocab_size == 0 {
        return Err(invalid(path, "type_vocab_size must be at least 1"));
    }
    Ok(())
}

/// Checks the sentence-transformers modules (encoder, mean pooling, normalization, in that
/// order) and returns the token limit.
fn check_pipeline(
    dir: &Path,
    config: &BertConfig,
    take: &mut dyn FnMut(&str) -> Result<Mmap, EmbeddingError>,
) -> Result<usize, EmbeddingError> {
    let modules_path = dir.join("modules.json");
    let modules: Vec<Module> = parse(&modules_path, &take("modules.json")?)?;
    let kinds: Vec<&str> = modules.iter().map(|m| m.kind.as_str()).collect();
    let expected = [
        "sentence_transformers.models.Transformer",
        "sentence_transformers.models.Pooling",
        "sentence_transformers.models.Normalize",
    ];
    if kinds != expected {
        return Err(invalid(
            &modules_path,
            format!("the pipeline must be Transformer, Pooling, Normalize; found {kinds:?}"),
        ));
    }
    let pooling_name = format!("{}/config.json", modules[1].path);
    let pooling_path = dir.join(&pooling_name);
    let pooling: PoolingConfig = parse(&pooling_path, &take(&pooling_name)?)?;
    let mean_only = pooling.pooling_mode_mean_tokens
        && !pooling.pooling_mode_cls_token
        && !pooling.pooling_mode_max_tokens
        && !pooling.pooling_mode_mean_sqrt_len_tokens;
    if !mean_only {
        return Err(invalid(&pooling_path, "only mean pooling is supported"));
    }
    if pooling.word_embedding_dimension != config.hidden_size {
        return Err(EmbeddingError::Dimension {
            path: pooling_path,
            expected: config.hidden_size,
            actual: pooling.word_embedding_dimension,
        });
    }
    let sentence_path = dir.join("sentence_bert_config.json");
    let sentence: SentenceConfig = parse(&sentence_path, &take("sentence_bert_config.json")?)?;
    if sentence.max_seq_length < 2 || sentence.max_seq_length > config.max_position_embeddings {
        return Err(invalid(
            &sentence_path,
            format!(
                "max_seq_length {} must be between 2 and max_position_embeddings ({})",
                sentence.max_seq_length, config.max_position_embeddings
            ),
        ));
    }
    Ok(sentence.max_seq_length)
}

/// The bytes of a file, mapped rather than copied: the weights are read once, converted, and
/// dropped, and a mapping leaves no 45 MB buffer behind in the allocator's free memory.
#[allow(unsafe_code)]
fn read(path: &Path) -> Result<Mmap, EmbeddingError> {
    let io = |source| EmbeddingError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    // SAFETY: the mapping is read-only and lives only for this load. Model files belong to
    // the installed release and are not written in place while a server runs; replacing one
    // (a new file renamed over it) leaves this mapping on the old contents.
    unsafe { Mmap::map(&file) }.map_err(io)
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, EmbeddingError> {
    serde_json::from_slice(bytes).map_err(|error| invalid(path, error.to_string()))
}

fn invalid(path: &Path, message: impl Into<String>) -> EmbeddingError {
    EmbeddingError::Invalid {
        path: PathBuf::from(path),
        message: message.into(),
    }
}
