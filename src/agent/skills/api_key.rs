//! [`ApiKey`]: the secret a skill sends to an outside API. It is given as a parameter or read
//! from an environment variable when the agent is built, and it never shows itself: `Debug`,
//! `Display` and the parameters checked against the skill's schema all read `***`, so neither a
//! startup error nor a log line can carry it.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::SkillError;
use crate::config::secret::Secret;

/// An outside API's key.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Secret);

impl ApiKey {
    pub fn new(value: impl Into<String>) -> ApiKey {
        ApiKey(Secret::new(value))
    }

    /// The key itself, for the one header or query parameter that carries it.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The given key, else the environment variable `variable`; an error naming both when
    /// neither is set.
    pub(crate) fn resolve(given: Option<&ApiKey>, variable: &str) -> Result<ApiKey, SkillError> {
        if let Some(key) = given.filter(|key| !key.0.is_empty()) {
            return Ok(key.clone());
        }
        match std::env::var(variable) {
            Ok(value) if !value.trim().is_empty() => Ok(ApiKey::new(value.trim())),
            _ => Err(SkillError::parameter(
                "api_key",
                format!("missing: give it or set the environment variable {variable}"),
            )),
        }
    }
}

impl From<&str> for ApiKey {
    fn from(value: &str) -> ApiKey {
        ApiKey::new(value)
    }
}

impl From<String> for ApiKey {
    fn from(value: String) -> ApiKey {
        ApiKey::new(value)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl Serialize for ApiKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("***")
    }
}

impl<'de> Deserialize<'de> for ApiKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ApiKey, D::Error> {
        String::deserialize(deserializer).map(ApiKey::new)
    }
}

impl JsonSchema for ApiKey {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ApiKey".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string"})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_never_formats_or_serializes_its_value() {
        let key = ApiKey::new("k-123");
        assert!(!format!("{key:?}").contains("k-123"));
        assert_eq!(serde_json::to_string(&key).unwrap(), "\"***\"");
        assert_eq!(key.expose(), "k-123");
    }

    #[test]
    fn a_given_key_wins_over_the_environment() {
        let key = ApiKey::resolve(Some(&ApiKey::new("given")), "SWML_TEST_NEVER_SET_KEY").unwrap();
        assert_eq!(key.expose(), "given");
        let missing = ApiKey::resolve(None, "SWML_TEST_NEVER_SET_KEY").unwrap_err();
        assert!(missing.to_string().contains("SWML_TEST_NEVER_SET_KEY"));
    }
}
