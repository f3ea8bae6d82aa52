//! Loading refuses damaged or foreign model folders, naming the file at fault.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tempfile::TempDir;

use super::*;

fn model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_MODEL_DIR)
}

const FILES: [&str; 7] = [
    "manifest.json",
    "model.safetensors",
    "tokenizer.json",
    "config.json",
    "modules.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
];

/// A copy of the committed model folder with `change` applied to it; with `rehash` the
/// manifest is brought up to date with the changed files, so only the change itself is wrong.
fn altered_copy(change: impl FnOnce(&Path), rehash: bool) -> TempDir {
    let copy = tempfile::tempdir().unwrap();
    std::fs::create_dir(copy.path().join("1_Pooling")).unwrap();
    for name in FILES {
        let (from, to) = (model_dir().join(name), copy.path().join(name));
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).unwrap();
        }
    }
    change(copy.path());
    if rehash {
        let manifest_path = copy.path().join("manifest.json");
        let mut manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
        for name in &FILES[1..] {
            let bytes = std::fs::read(copy.path().join(name)).unwrap();
            manifest["files"][name] = hex::encode(Sha256::digest(&bytes)).into();
        }
        std::fs::remove_file(&manifest_path).unwrap();
        std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    }
    copy
}

/// Replaces a file (never writes through a hard link into the committed model).
fn rewrite(dir: &Path, name: &str, edit: impl FnOnce(String) -> String) {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
}

fn load_error(dir: &Path) -> EmbeddingError {
    match Embedder::load(dir) {
        Ok(_) => panic!("{} loaded", dir.display()),
        Err(error) => error,
    }
}

#[test]
fn loading_a_missing_folder_names_the_folder() {
    let missing = tempfile::tempdir().unwrap().path().join("no-model-here");
    let error = load_error(&missing);
    assert!(matches!(error, EmbeddingError::MissingFolder(_)));
    assert!(error.to_string().contains("no-model-here"), "{error}");
}

#[test]
fn a_file_that_differs_from_the_manifest_is_refused_by_name() {
    let copy = altered_copy(
        |dir| rewrite(dir, "config.json", |text| text.replace("384", "385")),
        false,
    );
    let error = load_error(copy.path());
    assert!(matches!(error, EmbeddingError::Checksum { .. }), "{error}");
    assert!(error.to_string().contains("config.json"), "{error}");
}

#[test]
fn a_missing_file_is_refused_by_name() {
    let copy = altered_copy(
        |dir| std::fs::remove_file(dir.join("tokenizer.json")).unwrap(),
        false,
    );
    let error = load_error(copy.path());
    assert!(matches!(error, EmbeddingError::Io { .. }), "{error}");
    assert!(error.to_string().contains("tokenizer.json"), "{error}");
}

#[test]
fn a_pooling_dimension_other_than_the_models_is_refused() {
    let copy = altered_copy(
        |dir| {
            rewrite(dir, "1_Pooling/config.json", |text| {
                text.replace("384", "768")
            })
        },
        true,
    );
    let error = load_error(copy.path());
    assert!(
        matches!(
            error,
            EmbeddingError::Dimension {
                expected: 384,
                actual: 768,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("1_Pooling"), "{error}");
}

#[test]
fn a_pipeline_other_than_mean_pooling_and_normalization_is_refused() {
    let cls = altered_copy(
        |dir| {
            rewrite(dir, "1_Pooling/config.json", |text| {
                text.replace(
                    "\"pooling_mode_cls_token\": false",
                    "\"pooling_mode_cls_token\": true",
                )
            })
        },
        true,
    );
    assert!(load_error(cls.path()).to_string().contains("mean pooling"));

    let unnormalized = altered_copy(
        |dir| {
            rewrite(dir, "modules.json", |text| {
                text.replace("Normalize", "Dense")
            })
        },
        true,
    );
    let error = load_error(unnormalized.path());
    assert!(error.to_string().contains("modules.json"), "{error}");
}

#[test]
fn a_token_limit_beyond_the_position_table_is_refused() {
    let copy = altered_copy(
        |dir| {
            rewrite(dir, "sentence_bert_config.json", |text| {
                text.replace("256", "1024")
            })
        },
        true,
    );
    let error = load_error(copy.path());
    assert!(
        error.to_string().contains("sentence_bert_config.json"),
        "{error}"
    );
    assert!(error.to_string().contains("max_seq_length"), "{error}");
}

#[test]
fn weights_of_another_shape_are_refused_naming_the_tensor() {
    let copy = altered_copy(
        |dir| rewrite(dir, "config.json", |text| text.replace("1536", "1024")),
        true,
    );
    let error = load_error(copy.path());
    assert!(error.to_string().contains("model.safetensors"), "{error}");
    assert!(
        error.to_string().contains("intermediate.dense.weight"),
        "{error}"
    );
}
