//! A synthetic documentation corpus of any size, the same for a given seed: English-like text
//! whose word frequencies follow Zipf's law, cut into files of chunks with sections, file names
//! and tags, plus questions of the kinds users ask of such a corpus.
//!
//! Words are made of syllables (word rank → syllables, so each rank is its own word, frequent
//! words short); about a third of the tokens are English stop words; a word sometimes carries
//! an inflection (`-s`, `-ed`, `-ing`), which stemming folds. Files belong to areas: a chunk
//! draws some of its words from its file's topic and its area's vocabulary, the rest from the
//! whole language, so terms co-occur as they do in real documentation. Each file is pre-chunked
//! JSON (`{"chunks": [{"content", "section", "tags"}]}`) under its area's folder.

use std::path::Path;

/// Distinct words of the language.
const VOCABULARY: usize = 50_000;
/// Zipf–Mandelbrot parameters of word frequencies (rank r has weight 1 / (r + Q)^S).
const S: f64 = 1.0;
const Q: f64 = 2.7;
const AREAS: usize = 40;
const TOPIC_WORDS: usize = 12;
const AREA_WORDS: usize = 30;
const CHUNKS_PER_FILE: usize = 20;

const SYLLABLES: &[&str] = &[
    "ta", "ren", "mo", "li", "sar", "ven", "dor", "ka", "pel", "tri", "nos", "gal", "bri", "son",
    "mer", "lu", "fen", "cor", "di", "van", "plo", "ster", "qua", "nit", "ob", "ex", "ul", "ham",
    "rid", "zen", "gor", "pha", "til", "mun", "dre", "ask", "bel", "cra", "fo", "wen",
];

const STOP_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "for", "that", "with", "on", "as", "by", "it",
    "this", "be", "from", "or", "are", "an", "can", "when", "which", "you", "if", "not", "each",
];

const TAGS: &[&str] = &[
    "guide",
    "api",
    "billing",
    "voice",
    "messaging",
    "security",
    "install",
    "reference",
    "faq",
    "video",
    "fax",
    "sip",
    "webhooks",
    "sdk",
    "cli",
    "storage",
    "search",
    "agents",
    "numbers",
    "compliance",
    "pricing",
    "migration",
    "release",
    "status",
    "support",
    "limits",
    "auth",
    "routing",
    "media",
    "analytics",
];

/// A small fast generator (xorshift64*), seeded per purpose so each part of the corpus can be
/// made alone.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng((seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1);
        for _ in 0..4 {
            rng.next();
        }
        rng
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// The word of rank `rank` (0 is the most frequent).
pub(crate) fn word(rank: usize) -> String {
    let mut n = rank;
    let mut word = String::new();
    loop {
        word.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            break;
        }
        n -= 1;
    }
    word
}

/// Word ranks drawn by frequency.
pub(crate) struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub(crate) fn new() -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..VOCABULARY)
            .map(|rank| {
                total += 1.0 / (rank as f64 + Q).powf(S);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    pub(crate) fn sample(&self, rng: &mut Rng) -> usize {
        let target = rng.unit() * self.cumulative[VOCABULARY - 1];
        self.cumulative.partition_point(|c| *c < target)
    }
}

/// Ranks spread evenly on a log scale between `low` and `high`: the mid-frequency words topics
/// are made of.
fn log_uniform(rng: &mut Rng, low: usize, high: usize) -> usize {
    let (low, high) = (low as f64, high as f64);
    (low * (high / low).powf(rng.unit())) as usize
}

/// What a file is about, derived from the seed and its number alone.
pub(crate) struct FilePlan {
    pub topic: Vec<usize>,
    pub area_words: Vec<usize>,
    pub tags: Vec<String>,
    pub path: String,
    pub sections: Vec<String>,
}

impl FilePlan {
    pub(crate) fn new(seed: u64, file: usize) -> FilePlan {
        let mut rng = Rng::new(seed, 1_000_000 + file as u64);
        let area = (rng.below(AREAS * AREAS) as f64).sqrt() as usize;
        let area_words = area_vocabulary(seed, area);
        let topic: Vec<usize> = (0..TOPIC_WORDS)
            .map(|_| log_uniform(&mut rng, 200, 20_000))
            .collect();
        let mut tags = vec![TAGS[area % TAGS.len()].to_owned()];
        if rng.chance(0.3) {
            let other = TAGS[rng.below(TAGS.len())].to_owned();
            if !tags.contains(&other) {
                tags.push(other);
            }
        }
        let path = format!(
            "{}/{}-{}-{file}.json",
            word(area_words[0]),
            word(topic[0]),
            word(topic[1])
        );
        let title = format!("{} {}", capitalized(area_words[1]), word(area_words[2]));
        let sections = (0..3 + rng.below(4))
            .map(|_| {
                let words: Vec<String> = (0..1 + rng.below(3))
                    .map(|_| word(topic[rng.below(TOPIC_WORDS)]))
                    .collect();
                format!("{title} > {}", words.join(" "))
            })
            .collect();
        FilePlan {
            topic,
            area_words,
            tags,
            path,
            sections,
        }
    }

    /// The text of chunk `index` of this file, and its section.
    pub(crate) fn chunk(
        &self,
        zipf: &Zipf,
        seed: u64,
        file: usize,
        index: usize,
    ) -> (String, String) {
        let mut rng = Rng::new(seed, ((file as u64) << 20) + index as u64);
        let tokens = 25 + ((-rng.unit().max(1e-9).ln()) * 50.0) as usize;
        let mut text = String::with_capacity(tokens * 7);
        let mut sentence = 0;
        for _ in 0..tokens.min(250) {
            if sentence > 0 {
                text.push(' ');
            }
            if rng.chance(0.35) {
                text.push_str(STOP_WORDS[zipf_small(&mut rng, STOP_WORDS.len())]);
            } else {
                let rank = if rng.chance(0.15) {
                    self.topic[rng.below(TOPIC_WORDS)]
                } else if rng.chance(0.12) {
                    self.area_words[rng.below(AREA_WORDS)]
                } else {
                    zipf.sample(&mut rng)
                };
                text.push_str(&inflected(&mut rng, rank));
            }
            sentence += 1;
            if sentence > 8 && rng.chance(0.12) {
                text.push_str(".\n");
                sentence = 0;
            }
        }
        let section = self.sections[index * self.sections.len() / CHUNKS_PER_FILE].clone();
        (text, section)
    }
}

/// The vocabulary shared by the files of one area.
fn area_vocabulary(seed: u64, area: usize) -> Vec<usize> {
    let mut rng = Rng::new(seed, 2_000_000 + area as u64);
    (0..AREA_WORDS)
        .map(|_| log_uniform(&mut rng, 100, 5_000))
        .collect()
}

/// An index below `n`, small ones more likely (stop words are themselves Zipf-distributed).
fn zipf_small(rng: &mut Rng, n: usize) -> usize {
    ((n as f64).powf(rng.unit()) as usize)
        .saturating_sub(1)
        .min(n - 1)
}

fn capitalized(rank: usize) -> String {
    let word = word(rank);
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The word of `rank`, sometimes with an inflection.
pub(crate) fn inflected(rng: &mut Rng, rank: usize) -> String {
    let mut word = word(rank);
    let roll = rng.unit();
    if roll < 0.12 {
        word.push('s');
    } else if roll < 0.16 {
        word.push_str("ed");
    } else if roll < 0.20 {
        word.push_str("ing");
    }
    word
}

/// Writes `chunks` chunks (files of 20) under `dir`; returns the number of files.
pub(crate) fn write(dir: &Path, chunks: usize, seed: u64) -> std::io::Result<usize> {
    let zipf = Zipf::new();
    let files = chunks.div_ceil(CHUNKS_PER_FILE);
    for file in 0..files {
        let plan = FilePlan::new(seed, file);
        let count = CHUNKS_PER_FILE.min(chunks - file * CHUNKS_PER_FILE);
        let entries: Vec<serde_json::Value> = (0..count)
            .map(|index| {
                let (content, section) = plan.chunk(&zipf, seed, file, index);
                let mut rng = Rng::new(seed, 3_000_000 + (file * CHUNKS_PER_FILE + index) as u64);
                let mut tags = plan.tags.clone();
                if rng.chance(0.1) {
                    tags.push("code".to_owned());
                }
                serde_json::json!({"content": content, "section": section, "tags": tags})
            })
            .collect();
        let path = dir.join(&plan.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(
            path,
            serde_json::to_vec(&serde_json::json!({ "chunks": entries }))?,
        )?;
    }
    Ok(files)
}

/// A question asked of the corpus, with the tags it is filtered by (none for most).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Question {
    pub text: String,
    pub tags: Vec<String>,
}

/// `n` questions about the files of a `chunks`-chunk corpus: keywords (one to three words),
/// questions in English around two to four words, and longer descriptions (four to seven words,
/// like Cranfield's); mostly words of one file's topic and area, some common words, inflected
/// at times; one in five filtered by the file's first tag; one in thirty with a typo.
pub(crate) fn questions(chunks: usize, seed: u64, n: usize) -> Vec<Question> {
    let files = chunks.div_ceil(CHUNKS_PER_FILE);
    let mut rng = Rng::new(seed, 4_000_000);
    let zipf = Zipf::new();
    (0..n)
        .map(|_| {
            let plan = FilePlan::new(seed, rng.below(files));
            let kind = rng.unit();
            let words = if kind < 0.4 {
                1 + rng.below(3)
            } else if kind < 0.8 {
                2 + rng.below(3)
            } else {
                4 + rng.below(4)
            };
            let mut picked: Vec<String> = (0..words)
                .map(|_| {
                    let roll = rng.unit();
                    let rank = if roll < 0.6 {
                        plan.topic[rng.below(TOPIC_WORDS)]
                    } else if roll < 0.8 {
                        plan.area_words[rng.below(AREA_WORDS)]
                    } else {
                        zipf.sample(&mut rng).max(20)
                    };
                    inflected(&mut rng, rank)
                })
                .collect();
            if rng.chance(1.0 / 30.0) {
                let word = &mut picked[0];
                let at = rng.below(word.len() - 1);
                let mut bytes = word.clone().into_bytes();
                bytes.swap(at, at + 1);
                *word = String::from_utf8(bytes).unwrap_or_default();
            }
            let text = if (0.4..0.8).contains(&kind) {
                format!(
                    "how do I {} the {}",
                    picked[0],
                    picked[1..].join(" of the ")
                )
            } else {
                picked.join(" ")
            };
            let tags = if rng.chance(0.2) {
                vec![plan.tags[0].clone()]
            } else {
                Vec::new()
            };
            Question { text, tags }
        })
        .collect()
}
