//! Picks the generation path of a request (docs/routing.md, where every example is a test).
//!
//! 1. An explicit method wins: `generation_method` LLM, RAG or HYBRID, or `FORCE_TRADITIONAL`
//!    (the proto default 0, TRADITIONAL, means "unset" as in the old service). A method whose
//!    path is not configured is an UNAVAILABLE error that says what to configure.
//! 2. Unset: the old service's rules ([`Signals`]), with hints matched after normalisation
//!    (case, `-`/`_` as spaces, phrases found inside longer hints: "similar to last month"
//!    holds "similar"), and only to configured paths — a path the rules pick that is not
//!    configured gives Traditional (or RAG for Hybrid) with `fallback = true` and the reason.

use std::sync::Arc;

use crate::error::ServiceError;
use crate::paths::Generator;
use crate::paths::traditional::Traditional;
use crate::request::{GenerateSpec, Method};

/// Hints asking for retrieval (substrings of a normalised hint).
pub(crate) const RAG_HINTS: &[&str] =
    &["similar", "pattern", "historical", "history", "production", "use rag"];
/// Hints asking for a language model.
pub(crate) const LLM_HINTS: &[&str] =
    &["realistic", "coherent", "intelligent", "natural", "creative", "use llm", "ai generated"];
/// Hints asking for the engine (they win over the others).
pub(crate) const TRADITIONAL_HINTS: &[&str] = &["use traditional"];
/// Entities whose records are mostly text (LLM unless told otherwise).
pub(crate) const TEXT_ENTITIES: &[&str] = &["review", "comment", "feedback", "description"];

/// The chosen path.
#[derive(Clone)]
pub(crate) struct Route {
    /// The generator.
    pub generator: Arc<dyn Generator>,
    /// Why it was chosen (`metadata.routing_reason`).
    pub reason: String,
    /// Whether it is a fallback for the method asked for (or the rules picked).
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

/// What the rules read from a request (normalised).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Signals {
    /// Retrieval is asked for, and why.
    pub rag: Vec<String>,
    /// A language model is asked for, and why.
    pub llm: Vec<String>,
    /// The engine is asked for by a hint.
    pub traditional: Option<String>,
    /// More than two scenarios with `learn_from_history` or `production_like`.
    pub many_scenarios_from_history: bool,
}

/// A hint lower-cased, `-` and `_` as spaces, whitespace collapsed.
pub(crate) fn normalise(hint: &str) -> String {
    hint.to_lowercase().replace(['-', '_'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Signals {
    /// The signals of `spec`.
    pub(crate) fn of(spec: &GenerateSpec) -> Signals {
        let hints: Vec<String> = spec.hints.iter().map(|h| normalise(h)).collect();
        let found = |words: &[&str]| -> Vec<String> {
            words
                .iter()
                .filter(|w| hints.iter().any(|h| h.contains(**w)))
                .map(|w| format!("hint \"{w}\""))
                .collect()
        };
        let mut rag = Vec::new();
        for (flag, name) in [
            (spec.learn_from_history, "learn_from_history"),
            (spec.defect_triggering, "defect_triggering"),
            (spec.production_like, "production_like"),
        ] {
            if flag {
                rag.push(format!("{name} set"));
            }
        }
        rag.extend(found(RAG_HINTS));
        let entity = entity_of(spec);
        let mut llm = Vec::new();
        if spec.context.trim().chars().count() > 10 {
            llm.push("a context is given".to_owned());
        }
        if TEXT_ENTITIES.contains(&entity.as_str()) {
            llm.push(format!("entity `{entity}` is mostly text"));
        }
        llm.extend(found(LLM_HINTS));
        if spec.scenarios.iter().any(|s| s.description.trim().chars().count() > 20) {
            llm.push("a scenario is described".to_owned());
        }
        Signals {
            rag,
            llm,
            traditional: found(TRADITIONAL_HINTS).into_iter().next(),
            many_scenarios_from_history: spec.scenarios.len() > 2
                && (spec.learn_from_history || spec.production_like),
        }
    }

    /// The method the rules pick and why.
    pub(crate) fn decide(&self) -> (Method, String) {
        if let Some(hint) = &self.traditional {
            return (Method::Traditional, format!("Traditional: {hint}"));
        }
        let why = |v: &[String]| v.join(", ");
        if (!self.rag.is_empty() && !self.llm.is_empty()) || self.many_scenarios_from_history {
            let mut reasons = self.rag.clone();
            reasons.extend(self.llm.iter().cloned());
            if self.many_scenarios_from_history {
                reasons.push("more than two scenarios learnt from history".into());
            }
            return (Method::Hybrid, format!("Hybrid: {}", why(&reasons)));
        }
        if !self.rag.is_empty() {
            return (Method::Rag, format!("RAG: {}", why(&self.rag)));
        }
        if !self.llm.is_empty() {
            return (Method::Llm, format!("LLM: {}", why(&self.llm)));
        }
        (
            Method::Traditional,
            "Traditional: no flag, hint, context or text entity asks for another path".into(),
        )
    }
}

/// The entity a request names (predefined schema first).
fn entity_of(spec: &GenerateSpec) -> String {
    let name =
        if spec.sources.predefined.is_empty() { &spec.sources.entity } else { &spec.sources.predefined };
    name.trim().to_lowercase()
}

impl Router {
    /// The router with the LLM path over `llm` (when it can serve anything: a provider, or
    /// cassettes in replay mode), its records gated at `threshold`.
    pub(crate) fn with_llm(mut self, llm: Arc<testdata::llm::Llm>, threshold: f64) -> Router {
        if llm.usable() {
            self.llm = Some(Arc::new(crate::paths::llm::LlmPath::new(llm.clone(), threshold)));
            self.llm_generator = Some(llm);
        }
        self
    }

    /// The router with the RAG path.
    pub(crate) fn with_rag(mut self, rag: Arc<dyn Generator>) -> Router {
        self.rag = Some(rag);
        self
    }

    /// The router with the Hybrid path.
    pub(crate) fn with_hybrid(mut self, hybrid: Arc<dyn Generator>) -> Router {
        self.hybrid = Some(hybrid);
        self
    }

    /// The LLM generator, when configured.
    pub(crate) fn llm(&self) -> Option<&Arc<testdata::llm::Llm>> {
        self.llm_generator.as_ref()
    }

    /// Whether a method's path is configured.
    pub fn available(&self, method: Method) -> bool {
        self.slot(method).is_some()
    }

    fn slot(&self, method: Method) -> Option<&Arc<dyn Generator>> {
        match method {
            Method::Traditional => Some(&self.traditional),
            Method::Llm => self.llm.as_ref(),
            Method::Rag => self.rag.as_ref(),
            Method::Hybrid => self.hybrid.as_ref(),
        }
    }

    /// The path for `spec`.
    pub(crate) fn route(&self, spec: &GenerateSpec) -> Result<Route, ServiceError> {
        if spec.method_given || spec.method != Method::Traditional {
            return self.explicit(spec.method);
        }
        let signals = Signals::of(spec);
        let (method, reason) = signals.decide();
        tracing::debug!(method = method.label(), %reason, "routed");
        if let Some(generator) = self.slot(method) {
            return Ok(Route { generator: generator.clone(), reason, fallback: false });
        }
        let missing = match method {
            Method::Llm => "no LLM provider is configured",
            Method::Rag => "no pattern store is configured",
            _ => "no LLM provider is configured for Hybrid",
        };
        if method == Method::Hybrid
            && let Some(rag) = &self.rag
        {
            return Ok(Route {
                generator: rag.clone(),
                reason: format!("{reason}; {missing}, so RAG serves it"),
                fallback: true,
            });
        }
        Ok(Route {
            generator: self.traditional.clone(),
            reason: format!("{reason}; {missing}, so Traditional serves it"),
            fallback: true,
        })
    }

    fn explicit(&self, method: Method) -> Result<Route, ServiceError> {
        if method == Method::Traditional {
            return Ok(Route {
                generator: self.traditional.clone(),
                reason: "generation_method=FORCE_TRADITIONAL".into(),
                fallback: false,
            });
        }
        let needs = match method {
            Method::Llm => {
                "an LLM provider; none is configured (set ANTHROPIC_API_KEY, or USE_LOCAL_LLM=true with VLLM_BASE_URL)"
            }
            Method::Rag => "a pattern store; none is configured",
            _ => {
                "an LLM provider for its text pools; none is configured (set ANTHROPIC_API_KEY, or USE_LOCAL_LLM=true with VLLM_BASE_URL)"
            }
        };
        match self.slot(method) {
            Some(generator) => Ok(Route {
                generator: generator.clone(),
                reason: format!("generation_method={}", method.proto_name()),
                fallback: false,
            }),
            None => Err(ServiceError::Unavailable(format!(
                "generation method {} needs {needs} — use TRADITIONAL",
                method.proto_name()
            ))),
        }
    }
}
