//! Anthropic's Messages API: `POST {base}/v1/messages` with `x-api-key` and
//! `anthropic-version`, structured output by `output_config.format` (JSON Schema) or by a
//! forced tool whose `input_schema` is the answer's schema.

use std::time::Duration;

use serde_json::{Value, json};

use super::{CallFuture, Completion, Provider, Reply, Stop, Usage, clip, post_json, trim_base};
use crate::llm::error::ProviderError;
use crate::llm::schema::{Dialect, for_dialect};

/// The API version header sent with every call.
pub const API_VERSION: &str = "2023-06-01";
/// The default endpoint.
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
/// The default model (`CLAUDE_MODEL`).
pub const DEFAULT_MODEL: &str = "claude-sonnet-4-5";
/// The name of the forced tool in [`StructuredOutput::Tool`] mode.
pub const TOOL_NAME: &str = "emit_records";

/// How the answer's JSON Schema is imposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructuredOutput {
    /// `output_config: {format: {type: "json_schema", schema}}`: the answer is a text block.
    JsonSchema,
    /// `tools: [{name, input_schema}]` with `tool_choice: {type: "tool"}`: the answer is the
    /// tool call's `input`.
    Tool,
}

/// The Anthropic provider.
#[derive(Debug, Clone)]
pub struct Anthropic {
    client: reqwest::Client,
    base: String,
    api_key: String,
    model: String,
    max_tokens: u32,
    temperature: f32,
    timeout: Duration,
    output: StructuredOutput,
}

impl Anthropic {
    /// A provider for `model` at `base` (without `/v1`).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        client: reqwest::Client,
        base: &str,
        api_key: &str,
        model: &str,
        max_tokens: u32,
        temperature: f32,
        timeout: Duration,
        output: StructuredOutput,
    ) -> Anthropic {
        Anthropic {
            client,
            base: trim_base(base),
            api_key: api_key.to_owned(),
            model: model.to_owned(),
            max_tokens,
            temperature,
            timeout,
            output,
        }
    }

    /// The request body for `c`.
    pub fn body(&self, c: &Completion) -> Value {
        let schema = for_dialect(&c.schema, Dialect::Anthropic);
        let mut body = json!({
            "model": self.model,
            "max_tokens": c.max_tokens.min(self.max_tokens),
            "temperature": self.temperature,
            "system": c.system,
            "messages": [{"role": "user", "content": c.prompt}],
        });
        match self.output {
            StructuredOutput::JsonSchema => {
                body["output_config"] = json!({"format": {"type": "json_schema", "schema": schema}});
            }
            StructuredOutput::Tool => {
                body["tools"] = json!([{
                    "name": TOOL_NAME,
                    "description": "Emit the generated records.",
                    "input_schema": schema,
                }]);
                body["tool_choice"] = json!({"type": "tool", "name": TOOL_NAME});
            }
        }
        body
    }

    async fn call(&self, c: &Completion) -> Result<Reply, ProviderError> {
        let url = format!("{}/v1/messages", self.base);
        let request = self
            .client
            .post(&url)
            .header("x-api-key", &self.api_key)
            .header("anthropic-version", API_VERSION)
            .json(&self.body(c));
        let answer = post_json("anthropic", request, &url, self.timeout).await?;
        parse_reply(&answer)
    }
}

/// Reads a Messages API answer: the text (or tool input), the stop reason and the usage.
pub fn parse_reply(answer: &Value) -> Result<Reply, ProviderError> {
    let protocol = |m: String| ProviderError::Protocol { provider: "anthropic".into(), message: m };
    let content = answer
        .get("content")
        .and_then(Value::as_array)
        .ok_or_else(|| protocol(format!("no `content` array in {}", clip(&answer.to_string(), 200))))?;
    let mut text = String::new();
    for block in content {
        match block.get("type").and_then(Value::as_str) {
            Some("tool_use") => {
                if let Some(input) = block.get("input") {
                    text = input.to_string();
                    break;
                }
            }
            Some("text") => text.push_str(block.get("text").and_then(Value::as_str).unwrap_or("")),
            _ => {}
        }
    }
    let stop = match answer.get("stop_reason").and_then(Value::as_str) {
        Some("end_turn" | "tool_use" | "stop_sequence") | None => Stop::Complete,
        Some("max_tokens" | "model_context_window_exceeded") => Stop::MaxTokens,
        Some("refusal") => Stop::Refusal(clip(&text, 300)),
        Some(other) => Stop::Other(other.to_owned()),
    };
    let u = answer.get("usage");
    let n = |k: &str| u.and_then(|u| u.get(k)).and_then(Value::as_u64).unwrap_or(0);
    let usage = Usage {
        input: n("input_tokens"),
        output: n("output_tokens"),
        cache_read: n("cache_read_input_tokens"),
        cache_write: n("cache_creation_input_tokens"),
    };
    Ok(Reply { text, stop, usage })
}

impl Provider for Anthropic {
    fn name(&self) -> &str {
        "anthropic"
    }

    fn model(&self) -> &str {
        &self.model
    }

    fn temperature(&self) -> f32 {
        self.temperature
    }

    fn max_output_tokens(&self) -> u32 {
        self.max_tokens
    }

    fn complete<'a>(&'a self, request: &'a Completion) -> CallFuture<'a> {
        Box::pin(self.call(request))
    }
}
