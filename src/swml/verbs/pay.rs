//! `pay`: card payments through a payment connector.

use serde::Serialize;
use serde_json::Value;

use super::body_of;
use crate::swml::Verb;

/// `pay`: collects a card payment through a payment connector.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Pay {
    pub payment_connector_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charge_amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_postal_code_length: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_code: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    /// `"one-time"` or `"reusable"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_card_types: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice: Option<String>,
}

impl Pay {
    pub fn new(payment_connector_url: impl Into<String>) -> Pay {
        Pay {
            payment_connector_url: payment_connector_url.into(),
            ..Pay::default()
        }
    }
}

typed_verb!(Pay, "pay");

pub fn pay(options: &Pay) -> Verb {
    Verb::new("pay", body_of(options))
}
