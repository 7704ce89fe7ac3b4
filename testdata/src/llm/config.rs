//! Settings of the LLM path, read from the environment with the replaced service's names
//! where they exist (`ANTHROPIC_API_KEY`, `CLAUDE_MODEL`, `CLAUDE_MAX_TOKENS`,
//! `CLAUDE_TEMPERATURE`, `USE_LOCAL_LLM`, `VLLM_BASE_URL`, `VLLM_MODEL`) plus our own. The
//! table is in `docs/llm.md`.

use std::path::PathBuf;
use std::time::Duration;

use super::error::LlmError;
use super::provider::anthropic::{self, StructuredOutput};
use super::provider::openai::ResponseFormat;
use crate::cache::Mode;

/// One provider's settings.
#[derive(Debug, Clone, PartialEq)]
pub enum ProviderConfig {
    /// Anthropic's Messages API.
    Anthropic {
        /// `ANTHROPIC_BASE_URL` (default `https://api.anthropic.com`).
        base_url: String,
        /// `ANTHROPIC_API_KEY` (empty in replay mode without a key).
        api_key: String,
        /// `CLAUDE_MODEL`.
        model: String,
        /// `ANTHROPIC_OUTPUT_MODE`: `json_schema` (default) or `tool`.
        output: StructuredOutput,
    },
    /// An OpenAI-compatible server.
    OpenAi {
        /// `VLLM_BASE_URL` (with `/v1`).
        base_url: String,
        /// `LLM_API_KEY` (bearer), if the server wants one.
        api_key: Option<String>,
        /// `VLLM_MODEL`.
        model: String,
        /// `LLM_OUTPUT_MODE`: `json_schema` (default), `structured_outputs`, `json_object`, `prompt`.
        format: ResponseFormat,
    },
}

impl ProviderConfig {
    /// `anthropic` or `openai`.
    pub fn name(&self) -> &'static str {
        match self {
            ProviderConfig::Anthropic { .. } => "anthropic",
            ProviderConfig::OpenAi { .. } => "openai",
        }
    }

    /// The model.
    pub fn model(&self) -> &str {
        match self {
            ProviderConfig::Anthropic { model, .. } | ProviderConfig::OpenAi { model, .. } => model,
        }
    }
}

/// Every setting of the LLM path.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmConfig {
    /// The fallback chain, in order (`LLM_PROVIDERS`, else the configured ones).
    pub providers: Vec<ProviderConfig>,
    /// Most output tokens per call (`CLAUDE_MAX_TOKENS`, default 4096; also for OpenAI-compatible servers).
    pub max_output_tokens: u32,
    /// Sampling temperature (`CLAUDE_TEMPERATURE`, default 0.7).
    pub temperature: f32,
    /// Per-call timeout (`LLM_TIMEOUT_SECONDS`, default 60).
    pub timeout: Duration,
    /// Calls in flight at once, across requests (`LLM_CONCURRENCY`, default 4).
    pub concurrency: usize,
    /// Retries of a failed call before the next provider (`LLM_MAX_RETRIES`, default 3).
    pub max_retries: usize,
    /// Most records asked for in one call (`LLM_BATCH_SIZE`, default 25).
    pub max_batch: usize,
    /// Token budget of one request, refused up front above it (`LLM_MAX_TOKENS_PER_REQUEST`, 0 = none).
    pub max_tokens_per_request: u64,
    /// Cache mode (`TESTDATA_LLM_MODE`: `record` default, `replay`, `off`).
    pub mode: Mode,
    /// Cassette directory (`TESTDATA_LLM_CASSETTES`).
    pub cassettes: Option<PathBuf>,
    /// Entries of the in-memory cache (`LLM_CACHE_CAPACITY`, default 1024).
    pub memory_capacity: u64,
}

impl Default for LlmConfig {
    fn default() -> LlmConfig {
        LlmConfig {
            providers: Vec::new(),
            max_output_tokens: 4096,
            temperature: 0.7,
            timeout: Duration::from_secs(60),
            concurrency: 4,
            max_retries: 3,
            max_batch: 25,
            max_tokens_per_request: 0,
            mode: Mode::Record,
            cassettes: None,
            memory_capacity: 1024,
        }
    }
}

impl LlmConfig {
    /// The settings of the process environment.
    pub fn from_env() -> Result<LlmConfig, LlmError> {
        LlmConfig::from_lookup(|name| std::env::var(name).ok())
    }

    /// The settings of an environment given as a lookup function (tests, embedding).
    pub fn from_lookup(env: impl Fn(&str) -> Option<String>) -> Result<LlmConfig, LlmError> {
        let env = Lookup(&env);
        let d = LlmConfig::default();
        let mode = match env.get("TESTDATA_LLM_MODE") {
            None => d.mode,
            Some(v) => Mode::parse(&v).ok_or_else(|| LlmError::Config {
                name: "TESTDATA_LLM_MODE",
                value: v.clone(),
                reason: "use record, replay or off".into(),
            })?,
        };
        let local = match env.get("USE_LOCAL_LLM") {
            None => false,
            Some(v) => parse_bool(&v).ok_or_else(|| LlmError::Config {
                name: "USE_LOCAL_LLM",
                value: v,
                reason: "use true or false".into(),
            })?,
        };
        let providers = providers(&env, mode, local)?;
        let temperature = match env.get("CLAUDE_TEMPERATURE") {
            None => d.temperature,
            Some(v) => {
                v.parse::<f32>().ok().filter(|t| (0.0..=2.0).contains(t)).ok_or_else(|| LlmError::Config {
                    name: "CLAUDE_TEMPERATURE",
                    value: v,
                    reason: "expected a number from 0 to 2".into(),
                })?
            }
        };
        Ok(LlmConfig {
            providers,
            max_output_tokens: env.positive("CLAUDE_MAX_TOKENS", u64::from(d.max_output_tokens))?.min(1 << 20)
                as u32,
            temperature,
            timeout: Duration::from_secs(env.positive("LLM_TIMEOUT_SECONDS", d.timeout.as_secs())?),
            concurrency: env.positive("LLM_CONCURRENCY", d.concurrency as u64)?.min(256) as usize,
            max_retries: env.number("LLM_MAX_RETRIES", d.max_retries as u64)?.min(10) as usize,
            max_batch: env.positive("LLM_BATCH_SIZE", d.max_batch as u64)?.min(500) as usize,
            max_tokens_per_request: env.number("LLM_MAX_TOKENS_PER_REQUEST", 0)?,
            mode,
            cassettes: env.get("TESTDATA_LLM_CASSETTES").map(PathBuf::from),
            memory_capacity: env.number("LLM_CACHE_CAPACITY", d.memory_capacity)?,
        })
    }
}

/// An environment: trimmed values, empty ones absent.
struct Lookup<'a>(&'a dyn Fn(&str) -> Option<String>);

impl Lookup<'_> {
    fn get(&self, name: &str) -> Option<String> {
        (self.0)(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    /// A whole number, `default` when unset.
    fn number(&self, name: &'static str, default: u64) -> Result<u64, LlmError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| LlmError::Config {
                name,
                value: v,
                reason: "expected a whole number".into(),
            }),
        }
    }

    /// A whole number of at least 1, `default` when unset.
    fn positive(&self, name: &'static str, default: u64) -> Result<u64, LlmError> {
        let n = self.number(name, default)?;
        if n == 0 {
            return Err(LlmError::Config { name, value: "0".into(), reason: "must be at least 1".into() });
        }
        Ok(n)
    }
}

/// The provider chain: `LLM_PROVIDERS` in its order, else the local server (`USE_LOCAL_LLM`)
/// then Anthropic (when it has a key).
fn providers(env: &Lookup<'_>, mode: Mode, local: bool) -> Result<Vec<ProviderConfig>, LlmError> {
    let anthropic_key = env.get("ANTHROPIC_API_KEY");
    let anthropic = anthropic_config(env, anthropic_key.clone())?;
    let openai = openai_config(env)?;
    // Replay never calls a provider, so a provider needs no key there.
    let anthropic_ready = anthropic_key.is_some() || mode == Mode::Replay;
    let Some(list) = env.get("LLM_PROVIDERS") else {
        let mut chain = Vec::new();
        if local {
            chain.push(openai);
        }
        if anthropic_key.is_some() {
            chain.push(anthropic);
        }
        return Ok(chain);
    };
    let mut chain = Vec::new();
    for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match name {
            "anthropic" if anthropic_ready => chain.push(anthropic.clone()),
            "anthropic" => {
                return Err(LlmError::Config {
                    name: "LLM_PROVIDERS",
                    value: list.clone(),
                    reason: "anthropic is listed but ANTHROPIC_API_KEY is not set".into(),
                });
            }
            "openai" | "vllm" | "local" => chain.push(openai.clone()),
            other => {
                return Err(LlmError::Config {
                    name: "LLM_PROVIDERS",
                    value: list.clone(),
                    reason: format!("unknown provider `{other}`; use anthropic and openai"),
                });
            }
        }
    }
    Ok(chain)
}

/// Anthropic's Messages API: `ANTHROPIC_BASE_URL`, `CLAUDE_MODEL`, `ANTHROPIC_OUTPUT_MODE`.
fn anthropic_config(env: &Lookup<'_>, api_key: Option<String>) -> Result<ProviderConfig, LlmError> {
    Ok(ProviderConfig::Anthropic {
        base_url: env.get("ANTHROPIC_BASE_URL").unwrap_or_else(|| anthropic::DEFAULT_BASE_URL.into()),
        api_key: api_key.unwrap_or_default(),
        model: env.get("CLAUDE_MODEL").unwrap_or_else(|| "claude-sonnet-4-20250514".into()),
        output: match env.get("ANTHROPIC_OUTPUT_MODE").as_deref() {
            None | Some("json_schema") => StructuredOutput::JsonSchema,
            Some("tool") => StructuredOutput::Tool,
            Some(v) => {
                return Err(LlmError::Config {
                    name: "ANTHROPIC_OUTPUT_MODE",
                    value: v.into(),
                    reason: "use json_schema or tool".into(),
                });
            }
        },
    })
}

/// An OpenAI-compatible server: `VLLM_BASE_URL`, `LLM_API_KEY`, `VLLM_MODEL`, `LLM_OUTPUT_MODE`.
fn openai_config(env: &Lookup<'_>) -> Result<ProviderConfig, LlmError> {
    Ok(ProviderConfig::OpenAi {
        base_url: env.get("VLLM_BASE_URL").unwrap_or_else(|| "http://vllm:8000/v1".into()),
        api_key: env.get("LLM_API_KEY"),
        model: env.get("VLLM_MODEL").unwrap_or_else(|| "meta-llama/Meta-Llama-3-8B-Instruct".into()),
        format: match env.get("LLM_OUTPUT_MODE") {
            None => ResponseFormat::JsonSchema,
            Some(v) => ResponseFormat::parse(&v).ok_or_else(|| LlmError::Config {
                name: "LLM_OUTPUT_MODE",
                value: v.clone(),
                reason: "use json_schema, structured_outputs, json_object or prompt".into(),
            })?,
        },
    })
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Result<LlmConfig, LlmError> {
        let pairs: Vec<(String, String)> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        LlmConfig::from_lookup(move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn nothing_set_means_no_provider_and_the_old_names_work() {
        assert!(env(&[]).unwrap().providers.is_empty());
        let c = env(&[
            ("USE_LOCAL_LLM", "true"),
            ("VLLM_BASE_URL", "http://127.0.0.1:9/v1"),
            ("ANTHROPIC_API_KEY", "k"),
        ])
        .unwrap();
        assert_eq!(c.providers.iter().map(ProviderConfig::name).collect::<Vec<_>>(), ["openai", "anthropic"]);
        let c = env(&[
            ("ANTHROPIC_API_KEY", "k"),
            ("LLM_PROVIDERS", "anthropic,openai"),
            ("CLAUDE_MAX_TOKENS", "900"),
        ])
        .unwrap();
        assert_eq!(c.providers[0].name(), "anthropic");
        assert_eq!(c.max_output_tokens, 900);
    }

    #[test]
    fn bad_values_name_the_setting() {
        for (k, v) in
            [("LLM_CONCURRENCY", "0"), ("TESTDATA_LLM_MODE", "play"), ("LLM_PROVIDERS", "anthropic")]
        {
            let e = env(&[(k, v)]).unwrap_err().to_string();
            assert!(e.contains(k), "{e}");
        }
    }
}
