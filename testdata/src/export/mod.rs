//! Export writers (filled in).
