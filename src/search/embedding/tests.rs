//! Tests of the embedder against the committed model in `models/all-minilm-l6-v2/`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};

use super::*;

fn model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_MODEL_DIR)
}

/// One load shared by the tests that only read the model.
fn model() -> &'static Embedder {
    static MODEL: OnceLock<Embedder> = OnceLock::new();
    MODEL.get_or_init(|| Embedder::load(&model_dir()).expect("the committed model loads"))
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum();
    let norm = |v: &[f32]| v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    dot / (norm(a) * norm(b))
}

#[derive(serde::Deserialize)]
struct Reference {
    text: String,
    tokens: usize,
    vector: Vec<f32>,
}

/// The first 8 dimensions of each reference vector in `testdata/reference.json`, written out
/// here so a reader sees the numbers the test holds the model to.
const FIRST_DIMENSIONS: [[f32; 8]; 5] = [
    [
        -0.0042326, 0.0202474, -0.0141135, -0.0545841, -0.066878, -0.0238013, -0.018284, -0.0475389,
    ],
    [
        0.0287679, -0.0322611, -0.0808789, -0.0169618, -0.0246362, -0.0288103, -0.0969679,
        0.0121701,
    ],
    [
        -0.0290279, -0.0161919, -0.0085299, -0.01049, -0.0143378, -0.0715393, -0.0968989, 0.0039788,
    ],
    [
        -0.0132032, 0.0773652, 0.0116543, 0.0074434, 0.0050088, 0.0495566, 0.0278706, 0.0738101,
    ],
    [
        -0.0472747, -0.0096668, 0.0096414, -0.0385905, -0.0058609, -0.0010929, -0.0394197,
        0.0358207,
    ],
];

/// The reference vectors were computed once, outside this repository, by
/// `scripts/reference_embeddings.py`: a numpy forward pass in float64 over the original fp32
/// `model.safetensors` (SHA-256 53aa5117…28d9db, see models/README.md), tokenized by the
/// Python `tokenizers` package from the same tokenizer.json. The committed model is its
/// float16 copy, computed here in float32: it must agree to within what float16 storage
/// costs.
#[test]
fn embeddings_match_an_independent_numpy_forward_pass_over_the_fp32_weights() {
    let references: Vec<Reference> =
        serde_json::from_str(include_str!("testdata/reference.json")).unwrap();
    assert_eq!(references.len(), FIRST_DIMENSIONS.len());
    let texts: Vec<&str> = references.iter().map(|r| r.text.as_str()).collect();
    let vectors = model().embed(&texts).unwrap();
    for ((reference, vector), first) in references.iter().zip(&vectors).zip(FIRST_DIMENSIONS) {
        assert_eq!(
            model().tokenizer.ids(&reference.text).unwrap().len(),
            reference.tokens
        );
        assert_eq!(&reference.vector[..8], &first[..]);
        for (got, want) in vector.iter().zip(first) {
            assert!(
                (got - want).abs() < 1e-3,
                "{}: {got} vs {want}",
                reference.text
            );
        }
        let similarity = cosine(vector, &reference.vector);
        assert!(
            similarity > 0.9999,
            "{}: cosine {similarity}",
            reference.text
        );
    }
}

/// SHA-256 of the committed model files, as `models/README.md` lists them.
const COMMITTED: [(&str, &str); 7] = [
    (
        "model.safetensors",
        "1412996879d32323c08ebaab855fa26bf876057b4290314af56ebe0c29270541",
    ),
    (
        "tokenizer.json",
        "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    ),
    (
        "config.json",
        "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    ),
    (
        "modules.json",
        "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    ),
    (
        "sentence_bert_config.json",
        "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
    ),
    (
        "1_Pooling/config.json",
        "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    ),
    (
        "manifest.json",
        "4612518201cd26f7697e2f6710986bff64421ad1be1b8c42b91ddf1b5b399b2d",
    ),
];

#[test]
fn the_committed_model_files_have_their_recorded_checksums() {
    for (name, expected) in COMMITTED {
        let bytes = std::fs::read(model_dir().join(name)).unwrap();
        assert_eq!(hex::encode(Sha256::digest(&bytes)), expected, "{name}");
    }
    assert_eq!(model().info().sha256, COMMITTED[0].1);
}

#[test]
fn the_model_describes_itself_and_gives_unit_vectors_of_its_dimension() {
    let info = model().info();
    assert_eq!(
        (info.name.as_str(), info.dimension, info.max_tokens),
        ("all-minilm-l6-v2", 384, 256)
    );
    for text in ["", "tls", "how do I enable TLS with a certificate?"] {
        let vector = model().embed_query(text).unwrap();
        assert_eq!(vector.len(), 384);
        let norm: f32 = vector.iter().map(|v| v * v).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "{text:?}: norm {norm}");
    }
}

#[test]
fn a_batch_gives_the_vectors_of_its_texts_embedded_one_by_one() {
    let texts = [
        "short",
        "a somewhat longer question about rate limits",
        "tls",
    ];
    let together = model().embed(&texts).unwrap();
    for (text, vector) in texts.iter().zip(&together) {
        let alone = model().embed_query(text).unwrap();
        let largest = alone
            .iter()
            .zip(vector)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(largest < 1e-5, "{text}: differs by {largest}");
    }
    assert!(model().embed(&[]).unwrap().is_empty());
}

#[test]
fn batches_hold_whole_texts_within_the_token_budget() {
    let ids: Vec<Vec<u32>> = [3, 4, 2, 9, 1].iter().map(|&n| vec![0; n]).collect();
    let lengths: Vec<Vec<usize>> = batches(&ids, 8)
        .iter()
        .map(|batch| batch.iter().map(|t| t.len()).collect())
        .collect();
    assert_eq!(lengths, vec![vec![3, 4], vec![2], vec![9], vec![1]]);
}

#[test]
fn text_beyond_the_token_limit_is_cut_off() {
    let long = "the pressure gradient along the wing ".repeat(60);
    let longer = format!("{long} and then a completely different subject: cooking pasta");
    assert_eq!(model().tokenizer.ids(&longer).unwrap().len(), 256);
    let vectors = model().embed(&[&long, &longer]).unwrap();
    assert_eq!(vectors[0], vectors[1]);
}

#[test]
fn a_question_is_closer_to_its_answer_than_to_an_unrelated_passage() {
    let question = model().embed_query("how do I turn on HTTPS?").unwrap();
    let passages = model()
        .embed(&[
            "Set tls.cert_file and tls.key_file to serve HTTPS with your certificate.",
            "The boundary layer separates from the wing at high angles of attack.",
        ])
        .unwrap();
    assert!(cosine(&question, &passages[0]) > cosine(&question, &passages[1]) + 0.2);
}

#[test]
fn the_cache_loads_nothing_until_asked_then_shares_one_model_per_folder() {
    let cache = EmbedderCache::new();
    assert!(cache.is_empty());
    let first = cache.get(&model_dir()).unwrap();
    let again = cache
        .get(&model_dir().join("..").join("all-minilm-l6-v2"))
        .unwrap();
    assert!(Arc::ptr_eq(&first, &again));
    assert_eq!(cache.len(), 1);
}

#[test]
fn the_cache_does_not_remember_a_folder_that_failed_to_load() {
    let cache = EmbedderCache::new();
    let missing = tempfile::tempdir().unwrap().path().join("absent");
    assert!(matches!(
        cache.get(&missing),
        Err(EmbeddingError::MissingFolder(_))
    ));
    assert!(cache.is_empty());
}
