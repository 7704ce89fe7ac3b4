//! The Hybrid path (engine structure + LLM text pools).
