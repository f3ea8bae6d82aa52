//! The `math` skill: a `calculate` tool backed by a small arithmetic parser of our own. It knows
//! numbers, `+ - * / %`, `^` (or `**`) for powers, unary signs and parentheses, and nothing
//! else: no names, no calls, so there is no code to evaluate. Input length and nesting depth are
//! bounded, and every intermediate result must stay finite.
//!
//! Parameters: `tool_name` (default `calculate`).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Skill, SkillError, string_param, tool_name_schema};
use crate::agent::config::AgentConfig;
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

/// Longest expression accepted, in bytes.
pub(super) const MAX_EXPRESSION_LENGTH: usize = 256;
/// Deepest nesting of parentheses and signs accepted.
pub(super) const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Number(f64),
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    Open,
    Close,
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let bytes = input.as_bytes();
    let mut tokens = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let token = match byte {
            b' ' | b'\t' => {
                index += 1;
                continue;
            }
            b'0'..=b'9' | b'.' => {
                let start = index;
                while index < bytes.len() && (bytes[index].is_ascii_digit() || bytes[index] == b'.')
                {
                    index += 1;
                }
                let text = &input[start..index];
                let number = text
                    .parse::<f64>()
                    .map_err(|_| format!("'{text}' is not a number"))?;
                tokens.push(Token::Number(number));
                continue;
            }
            b'+' => Token::Plus,
            b'-' => Token::Minus,
            b'*' if bytes.get(index + 1) == Some(&b'*') => {
                index += 1;
                Token::Caret
            }
            b'*' | b'x' | b'X' => Token::Star,
            b'/' => Token::Slash,
            b'%' => Token::Percent,
            b'^' => Token::Caret,
            b'(' => Token::Open,
            b')' => Token::Close,
            _ => {
                let shown = input[index..].chars().next().unwrap_or('?');
                return Err(format!("unexpected character '{shown}'"));
            }
        };
        tokens.push(token);
        index += 1;
    }
    Ok(tokens)
}

/// A recursive-descent evaluator over the token list.
struct Parser {
    tokens: Vec<Token>,
    position: usize,
    depth: usize,
}

fn finite(value: f64) -> Result<f64, String> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err("the result is too large".into())
    }
}

impl Parser {
    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.position).copied()
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.peek();
        self.position += 1;
        token
    }

    fn descend(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("the expression is nested too deeply".into());
        }
        Ok(())
    }

    /// sum := product (('+' | '-') product)*
    fn sum(&mut self) -> Result<f64, String> {
        let mut value = self.product()?;
        while let Some(op @ (Token::Plus | Token::Minus)) = self.peek() {
            self.position += 1;
            let right = self.product()?;
            value = finite(if op == Token::Plus {
                value + right
            } else {
                value - right
            })?;
        }
        Ok(value)
    }

    /// product := unary (('*' | '/' | '%') unary)*
    fn product(&mut self) -> Result<f64, String> {
        let mut value = self.unary()?;
        while let Some(op @ (Token::Star | Token::Slash | Token::Percent)) = self.peek() {
            self.position += 1;
            let right = self.unary()?;
            if op != Token::Star && right == 0.0 {
                return Err("division by zero".into());
            }
            value = finite(match op {
                Token::Star => value * right,
                Token::Slash => value / right,
                _ => value % right,
            })?;
        }
        Ok(value)
    }

    /// unary := ('-' | '+') unary | power
    fn unary(&mut self) -> Result<f64, String> {
        match self.peek() {
            Some(sign @ (Token::Minus | Token::Plus)) => {
                self.position += 1;
                self.descend()?;
                let value = self.unary()?;
                self.depth -= 1;
                Ok(if sign == Token::Minus { -value } else { value })
            }
            _ => self.power(),
        }
    }

    /// power := primary ('^' unary)?   (right-associative: 2^3^2 = 2^9)
    fn power(&mut self) -> Result<f64, String> {
        let base = self.primary()?;
        if self.peek() != Some(Token::Caret) {
            return Ok(base);
        }
        self.position += 1;
        self.descend()?;
        let exponent = self.unary()?;
        self.depth -= 1;
        finite(base.powf(exponent))
    }

    /// primary := number | '(' sum ')'
    fn primary(&mut self) -> Result<f64, String> {
        match self.next() {
            Some(Token::Number(value)) => Ok(value),
            Some(Token::Open) => {
                self.descend()?;
                let value = self.sum()?;
                self.depth -= 1;
                match self.next() {
                    Some(Token::Close) => Ok(value),
                    _ => Err("a ')' is missing".into()),
                }
            }
            Some(_) => Err("an operator is out of place".into()),
            None => Err("the expression ends too early".into()),
        }
    }
}

/// Evaluates an arithmetic expression; the error says what is wrong with it.
pub fn evaluate(expression: &str) -> Result<f64, String> {
    if expression.len() > MAX_EXPRESSION_LENGTH {
        return Err(format!(
            "the expression is longer than {MAX_EXPRESSION_LENGTH} characters"
        ));
    }
    let tokens = tokenize(expression)?;
    if tokens.is_empty() {
        return Err("the expression is empty".into());
    }
    let mut parser = Parser {
        tokens,
        position: 0,
        depth: 0,
    };
    let value = parser.sum()?;
    if parser.position < parser.tokens.len() {
        return Err("there is something left after the expression".into());
    }
    // `-0` reads oddly to a caller.
    Ok(if value == 0.0 { 0.0 } else { value })
}

/// A number as a person would say it: no `.0` on whole numbers, at most 10 decimals.
pub(super) fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{value:.0}");
    }
    let text = format!("{value:.10}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Arguments {
    /// The expression, e.g. (12.5 + 3) * 4 or 2 ^ 10
    expression: String,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Math;

impl Skill for Math {
    fn name(&self) -> &'static str {
        "math"
    }

    fn parameters(&self) -> Value {
        json!({"type": "object", "properties": {"tool_name": tool_name_schema("calculate")},
               "additionalProperties": false})
    }

    fn apply(&self, params: &Value, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let name = string_param(params, "tool_name", "calculate");
        // Evaluation is bounded by the expression's length and depth limits: answer on the
        // worker, without the blocking pool's thread hop of a sync handler.
        let tool = Tool::typed_async(
            name,
            "Calculate the result of an arithmetic expression",
            |args: Arguments, _: ToolCall| {
                std::future::ready(match evaluate(&args.expression) {
                    Ok(value) => FunctionResult::new(format!(
                        "{} = {}",
                        args.expression.trim(),
                        format_number(value)
                    )),
                    Err(reason) => FunctionResult::new(format!(
                        "I could not calculate '{}': {reason}.",
                        args.expression.trim()
                    )),
                })
            },
        );
        agent.add_tool(tool)?;
        agent.add_section(PomSection::new("Calculations").body(format!(
            "Use {name} for any arithmetic instead of calculating yourself."
        )));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_follows_the_usual_precedence() {
        assert_eq!(evaluate("1 + 2 * 3"), Ok(7.0));
        assert_eq!(evaluate("(1 + 2) * 3"), Ok(9.0));
        assert_eq!(evaluate("2 ^ 3 ^ 2"), Ok(512.0));
        assert_eq!(evaluate("2 ** 10"), Ok(1024.0));
        assert_eq!(evaluate("-2 ^ 2"), Ok(-4.0));
        assert_eq!(evaluate("10 % 4 - -1"), Ok(3.0));
        assert_eq!(evaluate("7 / 2"), Ok(3.5));
        assert_eq!(evaluate("3 x 4"), Ok(12.0));
    }

    #[test]
    fn bad_input_is_explained_not_evaluated() {
        assert_eq!(evaluate("1 / 0"), Err("division by zero".into()));
        assert_eq!(evaluate(""), Err("the expression is empty".into()));
        assert_eq!(evaluate("(1 + 2"), Err("a ')' is missing".into()));
        assert_eq!(evaluate("1 +"), Err("the expression ends too early".into()));
        assert_eq!(
            evaluate("1 2"),
            Err("there is something left after the expression".into())
        );
        assert_eq!(
            evaluate("std::process::exit(1)"),
            Err("unexpected character 's'".into())
        );
        assert_eq!(evaluate("1.2.3"), Err("'1.2.3' is not a number".into()));
        assert_eq!(evaluate("10 ^ 400"), Err("the result is too large".into()));
    }

    #[test]
    fn length_and_depth_are_bounded() {
        let long = "1+".repeat(200) + "1";
        assert!(evaluate(&long).unwrap_err().contains("longer than"));
        let deep = "(".repeat(40) + "1" + &")".repeat(40);
        assert_eq!(
            evaluate(&deep),
            Err("the expression is nested too deeply".into())
        );
        let signs = "-".repeat(100) + "1";
        assert_eq!(
            evaluate(&signs),
            Err("the expression is nested too deeply".into())
        );
    }

    #[test]
    fn results_read_naturally() {
        assert_eq!(format_number(42.0), "42");
        assert_eq!(format_number(3.5), "3.5");
        assert_eq!(format_number(1.0 / 3.0), "0.3333333333");
        assert_eq!(format_number(-0.25), "-0.25");
    }
}
