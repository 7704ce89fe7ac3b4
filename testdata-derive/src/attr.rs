//! Parsing of `#[testdata(...)]` on types, fields and variants.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Lit, LitStr, Result};

/// An attribute value with the span of the attribute that gave it.
#[derive(Clone)]
pub struct Sp<T> {
    pub v: T,
    pub span: Span,
}

/// `#[testdata(...)]` on a field (also collects the type/variant keys, rejected there by
/// `valid.rs` when misplaced).
#[derive(Default, Clone)]
pub struct Attrs {
    pub kind: Option<Sp<String>>,
    pub range: Option<Sp<Expr>>,
    pub len: Option<Sp<Expr>>,
    pub pattern: Option<Sp<String>>,
    pub one_of: Option<Sp<Vec<Lit>>>,
    pub weights: Option<Sp<Vec<u64>>>,
    pub format: Option<Sp<String>>,
    pub unique: Option<Sp<()>>,
    pub optional: Option<Sp<Option<f64>>>,
    pub with: Option<Sp<syn::Path>>,
    pub value: Option<Sp<Expr>>,
    pub skip: Option<Sp<()>>,
    pub locale: Option<Sp<String>>,
    pub references: Option<Sp<syn::Path>>,
    // type level
    pub finish: Option<Sp<syn::Path>>,
    pub key: Option<Sp<String>>,
    // variant level
    pub weight: Option<Sp<u64>>,
    /// Every key given, in order, for conflict messages.
    pub given: Vec<(&'static str, Span)>,
}

fn lit_str(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Group(g) => lit_str(&g.expr),
        _ => None,
    }
}

const KEYS: &[&str] = &[
    "kind",
    "range",
    "len",
    "pattern",
    "one_of",
    "weights",
    "format",
    "unique",
    "optional",
    "with",
    "value",
    "skip",
    "locale",
    "references",
    "finish",
    "key",
    "weight",
];

pub fn parse(attrs: &[Attribute]) -> Result<Attrs> {
    let mut out = Attrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("testdata")) {
        attr.parse_nested_meta(|meta| {
            let span = meta.path.span();
            let Some(ident) = meta.path.get_ident().map(|i| i.to_string()) else {
                return Err(meta.error("expected a key such as `email`, `range = 1..=9` or `len = 1..=5`"));
            };
            let name: &'static str = KEYS.iter().find(|k| **k == ident).copied().unwrap_or("kind");
            if out.given.iter().any(|(k, _)| *k == name) {
                return Err(meta.error(format!("`{name}` is given twice")));
            }
            out.given.push((name, span));
            match ident.as_str() {
                "range" => out.range = Some(Sp { v: meta.value()?.parse::<Expr>()?, span }),
                "len" => out.len = Some(Sp { v: meta.value()?.parse::<Expr>()?, span }),
                "value" => out.value = Some(Sp { v: meta.value()?.parse::<Expr>()?, span }),
                "pattern" | "format" | "locale" | "key" | "kind" => {
                    let s: LitStr = meta.value()?.parse()?;
                    let v = Sp { v: s.value(), span: s.span() };
                    match ident.as_str() {
                        "pattern" => out.pattern = Some(v),
                        "format" => out.format = Some(v),
                        "locale" => out.locale = Some(v),
                        "key" => out.key = Some(v),
                        _ => out.kind = Some(v),
                    }
                }
                "one_of" | "weights" => {
                    let e: Expr = meta.value()?.parse()?;
                    let Expr::Array(arr) = &e else {
                        return Err(syn::Error::new(e.span(), format!("`{ident}` takes a list: `[..]`")));
                    };
                    let mut lits = Vec::new();
                    for el in &arr.elems {
                        match el {
                            Expr::Lit(l) => lits.push(l.lit.clone()),
                            Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match &*u.expr {
                                Expr::Lit(l) => lits.push(
                                    neg_lit(&l.lit)
                                        .ok_or_else(|| syn::Error::new(el.span(), "expected a literal"))?,
                                ),
                                _ => return Err(syn::Error::new(el.span(), "expected a literal")),
                            },
                            _ => return Err(syn::Error::new(el.span(), "expected a literal")),
                        }
                    }
                    if ident == "one_of" {
                        out.one_of = Some(Sp { v: lits, span: e.span() });
                    } else {
                        let mut ws = Vec::new();
                        for l in &lits {
                            match l {
                                Lit::Int(i) => ws.push(i.base10_parse::<u64>()?),
                                _ => return Err(syn::Error::new(l.span(), "weights are whole numbers")),
                            }
                        }
                        out.weights = Some(Sp { v: ws, span: e.span() });
                    }
                }
                "weight" => {
                    let l: syn::LitInt = meta.value()?.parse()?;
                    out.weight = Some(Sp { v: l.base10_parse()?, span: l.span() });
                }
                "optional" => {
                    if meta.input.peek(syn::Token![=]) {
                        let e: Expr = meta.value()?.parse()?;
                        let p = match &e {
                            Expr::Lit(l) => match &l.lit {
                                Lit::Float(f) => f.base10_parse::<f64>()?,
                                Lit::Int(i) => i.base10_parse::<f64>()?,
                                _ => {
                                    return Err(syn::Error::new(
                                        e.span(),
                                        "`optional` takes a probability such as 0.25",
                                    ));
                                }
                            },
                            _ => {
                                return Err(syn::Error::new(
                                    e.span(),
                                    "`optional` takes a probability such as 0.25",
                                ));
                            }
                        };
                        out.optional = Some(Sp { v: Some(p), span: e.span() });
                    } else {
                        out.optional = Some(Sp { v: None, span });
                    }
                }
                "unique" => out.unique = Some(Sp { v: (), span }),
                "skip" => out.skip = Some(Sp { v: (), span }),
                "with" | "finish" | "references" => {
                    let e: Expr = meta.value()?.parse()?;
                    let path = match &e {
                        Expr::Path(p) => p.path.clone(),
                        _ => match lit_str(&e) {
                            Some(s) => syn::parse_str::<syn::Path>(&s)?,
                            None => return Err(syn::Error::new(e.span(), format!("`{ident}` takes a path"))),
                        },
                    };
                    let v = Sp { v: path, span: e.span() };
                    match ident.as_str() {
                        "with" => out.with = Some(v),
                        "finish" => out.finish = Some(v),
                        _ => out.references = Some(v),
                    }
                }
                other => {
                    if meta.input.peek(syn::Token![=]) {
                        return Err(meta.error(format!(
                            "unknown attribute `{other}`; expected one of: {}, or a kind name",
                            KEYS.join(", ")
                        )));
                    }
                    out.kind = Some(Sp { v: other.to_string(), span });
                }
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn neg_lit(l: &Lit) -> Option<Lit> {
    match l {
        Lit::Int(i) => Some(Lit::Int(syn::LitInt::new(&format!("-{}", i.base10_digits()), i.span()))),
        Lit::Float(f) => Some(Lit::Float(syn::LitFloat::new(&format!("-{}", f.base10_digits()), f.span()))),
        _ => None,
    }
}
