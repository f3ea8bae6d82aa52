//! `pay`: card payments through a payment connector, with the typed pieces the verb takes:
//! custom prompts ([`PayPrompt`], each a list of [`PayAction`]s) and connector parameters
//! ([`PayParameter`]). Numbers and booleans are rendered as the schema types them (the
//! reference SDK sends some as strings, which the schema refuses).

use serde::Serialize;

use super::body_of;
use crate::swml::Verb;

/// How the card details are collected: the schema knows only the keypad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PayInput {
    #[serde(rename = "dtmf")]
    Dtmf,
}

/// What is collected: the schema knows only cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PaymentMethod {
    #[serde(rename = "credit-card")]
    CreditCard,
}

/// Whether to ask for the postal code, or the postal code itself when it is already known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PostalCode {
    Ask(bool),
    Known(String),
}

/// Whether a [`PayAction`] speaks a text or plays an audio URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PayActionKind {
    Say,
    Play,
}

/// One thing a payment prompt does: `{"type": "Say"|"Play", "phrase": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayAction {
    #[serde(rename = "type")]
    pub kind: PayActionKind,
    /// The sentence to say, or the `http(s)` URL to play.
    pub phrase: String,
}

impl PayAction {
    pub fn say(text: impl Into<String>) -> PayAction {
        PayAction {
            kind: PayActionKind::Say,
            phrase: text.into(),
        }
    }

    pub fn play(url: impl Into<String>) -> PayAction {
        PayAction {
            kind: PayActionKind::Play,
            phrase: url.into(),
        }
    }
}

/// A custom prompt for one situation of the payment (`payment-card-number`,
/// `expiration-date`, `payment-completed`, ...), optionally only for some card or error types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayPrompt {
    #[serde(rename = "for")]
    pub for_situation: String,
    pub actions: Vec<PayAction>,
    /// Space-separated attempt numbers this prompt is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<String>,
    /// Space-separated card types (`visa amex`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_type: Option<String>,
    /// Space-separated error types (`timeout invalid-card-number`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
}

impl PayPrompt {
    pub fn new(
        for_situation: impl Into<String>,
        actions: impl IntoIterator<Item = PayAction>,
    ) -> PayPrompt {
        PayPrompt {
            for_situation: for_situation.into(),
            actions: actions.into_iter().collect(),
            attempts: None,
            card_type: None,
            error_type: None,
        }
    }

    pub fn attempts(mut self, attempts: impl Into<String>) -> Self {
        self.attempts = Some(attempts.into());
        self
    }

    pub fn card_type(mut self, card_type: impl Into<String>) -> Self {
        self.card_type = Some(card_type.into());
        self
    }

    pub fn error_type(mut self, error_type: impl Into<String>) -> Self {
        self.error_type = Some(error_type.into());
        self
    }
}

/// A name/value pair passed to the payment connector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayParameter {
    pub name: String,
    pub value: String,
}

impl PayParameter {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> PayParameter {
        PayParameter {
            name: name.into(),
            value: value.into(),
        }
    }
}

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
    pub input: Option<PayInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_postal_code_length: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<PayParameter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<PaymentMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<PostalCode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<PayPrompt>,
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

    /// Adds a custom prompt.
    pub fn prompt(mut self, prompt: PayPrompt) -> Self {
        self.prompts.push(prompt);
        self
    }

    /// Adds a parameter for the payment connector.
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.push(PayParameter::new(name, value));
        self
    }
}

typed_verb!(Pay, "pay");

pub fn pay(options: &Pay) -> Verb {
    Verb::new("pay", body_of(options))
}
