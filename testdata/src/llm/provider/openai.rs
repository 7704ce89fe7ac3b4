//! OpenAI-compatible chat completions: `POST {base}/chat/completions` (the base includes
//! `/v1`), optionally with a bearer key. Structured output is chosen by configuration, since
//! servers differ in what they accept.

use std::time::Duration;

use serde_json::{Value, json};

use super::{CallFuture, Completion, Provider, Reply, Stop, Usage, clip, post_json, trim_base};
use crate::llm::error::ProviderError;
use crate::llm::schema::{Dialect, for_dialect};

/// How the answer's JSON Schema is imposed (`LLM_OUTPUT_MODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseFormat {
    /// `response_format: {type: "json_schema", json_schema: {name, schema, strict: true}}`
    /// (OpenAI, vLLM, llama.cpp `llama-server`).
    JsonSchema,
    /// vLLM's `structured_outputs: {json: schema}` (formerly `guided_json`).
    StructuredOutputs,
    /// `response_format: {type: "json_object"}`: JSON, shaped by the prompt only.
    JsonObject,
    /// No response format: the prompt alone asks for JSON.
    Prompt,
}

impl ResponseFormat {
    /// Parses `json_schema`, `structured_outputs`, `json_object` or `prompt`.
    pub fn parse(s: &str) -> Option<ResponseFormat> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "json_schema" => ResponseFormat::JsonSchema,
            "structured_outputs" | "guided_json" => ResponseFormat::StructuredOutputs,
            "json_object" => ResponseFormat::JsonObject,
            "prompt" | "none" => ResponseFormat::Prompt,
            _ => return None,
        })
    }
}

/// An OpenAI-compatible provider.
#[derive(Debug, Clone)]
pub struct OpenAi {
    client: reqwest::Client,
    base: String,
    api_key: Option<String>,
    model: String,
    max_tokens: u32,
    temperature: f32,
    timeout: Duration,
    format: ResponseFormat,
}

impl OpenAi {
    /// A provider for `model` at `base` (such as `http://127.0.0.1:8000/v1`).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        client: reqwest::Client,
        base: &str,
        api_key: Option<&str>,
        model: &str,
        max_tokens: u32,
        temperature: f32,
        timeout: Duration,
        format: ResponseFormat,
    ) -> OpenAi {
        OpenAi {
            client,
            base: trim_base(base),
            api_key: api_key.map(str::to_owned),
            model: model.to_owned(),
            max_tokens,
            temperature,
            timeout,
            format,
        }
    }

    /// The request body for `c`.
    pub fn body(&self, c: &Completion) -> Value {
        let mut body = json!({
            "model": self.model,
            "max_tokens": c.max_tokens.min(self.max_tokens),
            "temperature": self.temperature,
            "messages": [
                {"role": "system", "content": c.system},
                {"role": "user", "content": c.prompt},
            ],
        });
        let schema = || for_dialect(&c.schema, Dialect::OpenAi);
        match self.format {
            ResponseFormat::JsonSchema => {
                body["response_format"] = json!({
                    "type": "json_schema",
                    "json_schema": {"name": "records", "schema": schema(), "strict": true},
                });
            }
            ResponseFormat::StructuredOutputs => body["structured_outputs"] = json!({"json": schema()}),
            ResponseFormat::JsonObject => body["response_format"] = json!({"type": "json_object"}),
            ResponseFormat::Prompt => {}
        }
        body
    }

    async fn call(&self, c: &Completion) -> Result<Reply, ProviderError> {
        let url = format!("{}/chat/completions", self.base);
        let mut request = self.client.post(&url).json(&self.body(c));
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let answer = post_json("openai", request, &url, self.timeout).await.map_err(|e| match e {
            ProviderError::Status { status: 400, message, provider, retry_after, .. }
                if self.format != ResponseFormat::Prompt && mentions_format(&message) =>
            {
                ProviderError::Status {
                    provider,
                    status: 400,
                    message: format!(
                        "{message} (the server rejected the structured-output request; set LLM_OUTPUT_MODE to \
                         json_object or prompt for servers without JSON-schema support)"
                    ),
                    retry_after,
                    retryable: false,
                }
            }
            e => e,
        })?;
        parse_reply(&answer)
    }
}

fn mentions_format(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    ["response_format", "json_schema", "structured", "guided", "grammar", "schema"]
        .iter()
        .any(|w| m.contains(w))
}

/// Reads a chat-completions answer: `choices[0].message.content`, `finish_reason`, `usage`.
pub fn parse_reply(answer: &Value) -> Result<Reply, ProviderError> {
    let choice = answer.get("choices").and_then(|c| c.get(0)).ok_or_else(|| ProviderError::Protocol {
        provider: "openai".into(),
        message: format!("no `choices[0]` in {}", clip(&answer.to_string(), 200)),
    })?;
    let message = choice.get("message");
    let text = message.and_then(|m| m.get("content")).and_then(Value::as_str).unwrap_or("").to_owned();
    let refusal = message.and_then(|m| m.get("refusal")).and_then(Value::as_str).filter(|r| !r.is_empty());
    let stop = match (refusal, choice.get("finish_reason").and_then(Value::as_str)) {
        (Some(r), _) => Stop::Refusal(r.to_owned()),
        (None, Some("stop" | "tool_calls") | None) => Stop::Complete,
        (None, Some("length")) => Stop::MaxTokens,
        (None, Some("content_filter")) => Stop::Refusal("the content filter stopped the answer".into()),
        (None, Some(other)) => Stop::Other(other.to_owned()),
    };
    let u = answer.get("usage");
    let n = |k: &str| u.and_then(|u| u.get(k)).and_then(Value::as_u64).unwrap_or(0);
    let cached = u
        .and_then(|u| u.get("prompt_tokens_details"))
        .and_then(|d| d.get("cached_tokens"))
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let usage = Usage {
        input: n("prompt_tokens").saturating_sub(cached),
        output: n("completion_tokens"),
        cache_read: cached,
        cache_write: 0,
    };
    Ok(Reply { text, stop, usage })
}

impl Provider for OpenAi {
    fn name(&self) -> &str {
        "openai"
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
