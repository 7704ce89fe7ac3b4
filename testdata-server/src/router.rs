//! Picks the generation path of a request: the explicit `generation_method` first (the proto
//! default 0 is TRADITIONAL, so "unset" and "TRADITIONAL" are the same request). A method
//! whose path is not configured is an UNAVAILABLE error that says what to configure — the
//! server never silently falls back to another path.

use std::sync::Arc;

use crate::error::ServiceError;
use crate::paths::Generator;
use crate::paths::traditional::Traditional;
use crate::request::{GenerateSpec, Method};

/// The chosen path.
#[derive(Clone)]
pub struct Route {
    /// The generator.
    pub generator: Arc<dyn Generator>,
    /// Why it was chosen (`metadata.routing_reason`).
    pub reason: String,
    /// Whether it is a fallback for the method asked for.
    pub fallback: bool,
}

/// The configured paths.
#[derive(Clone)]
pub struct Router {
    traditional: Arc<dyn Generator>,
    llm_generator: Option<Arc<testdata::llm::Llm>>,
    llm: Option<Arc<dyn Generator>>,
    rag: Option<Arc<dyn Generator>>,
    hybrid: Option<Arc<dyn Generator>>,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("llm", &self.llm.is_some())
            .field("rag", &self.rag.is_some())
            .field("hybrid", &self.hybrid.is_some())
            .finish()
    }
}

impl Default for Router {
    fn default() -> Router {
        Router { traditional: Arc::new(Traditional), llm_generator: None, llm: None, rag: None, hybrid: None }
    }
}

impl Router {
    /// A router with the given optional paths (Traditional is always there).
    pub fn with_paths(
        llm: Option<Arc<dyn Generator>>,
        rag: Option<Arc<dyn Generator>>,
        hybrid: Option<Arc<dyn Generator>>,
    ) -> Router {
        Router { llm, rag, hybrid, ..Router::default() }
    }

    /// The router with the LLM path over `llm` (when it can serve anything: a provider, or
    /// cassettes in replay mode).
    pub fn with_llm(mut self, llm: Arc<testdata::llm::Llm>) -> Router {
        if llm.usable() {
            self.llm = Some(Arc::new(crate::paths::llm::LlmPath::new(llm.clone())));
            self.llm_generator = Some(llm);
        }
        self
    }

    /// The LLM generator, when configured.
    pub fn llm(&self) -> Option<&Arc<testdata::llm::Llm>> {
        self.llm_generator.as_ref()
    }

    /// Whether a method's path is configured.
    pub fn available(&self, method: Method) -> bool {
        match method {
            Method::Traditional => true,
            Method::Llm => self.llm.is_some(),
            Method::Rag => self.rag.is_some(),
            Method::Hybrid => self.hybrid.is_some(),
        }
    }

    /// The path for `spec`.
    pub fn route(&self, spec: &GenerateSpec) -> Result<Route, ServiceError> {
        let (slot, needs) = match spec.method {
            Method::Traditional => {
                return Ok(Route {
                    generator: self.traditional.clone(),
                    reason: "generation_method=TRADITIONAL (the default)".into(),
                    fallback: false,
                });
            }
            Method::Llm => (
                &self.llm,
                "an LLM provider; none is configured (set ANTHROPIC_API_KEY, or USE_LOCAL_LLM=true with VLLM_BASE_URL)",
            ),
            Method::Rag => (&self.rag, "a pattern store; none is configured (set WEAVIATE_URL)"),
            Method::Hybrid => (
                &self.hybrid,
                "an LLM provider and a pattern store; they are not configured (set ANTHROPIC_API_KEY and WEAVIATE_URL)",
            ),
        };
        match slot {
            Some(generator) => Ok(Route {
                generator: generator.clone(),
                reason: format!("generation_method={}", spec.method.proto_name()),
                fallback: false,
            }),
            None => Err(ServiceError::Unavailable(format!(
                "generation method {} needs {needs} — use TRADITIONAL",
                spec.method.proto_name()
            ))),
        }
    }
}
