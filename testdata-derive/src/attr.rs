//! Parsing of `#[testdata(...)]` on types, fields and variants.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, Lit, LitStr, Result};

/// An attribute value with the span of the attribute that gave it.
#[derive(Clone)]
pub struct Spanned<T> {
    pub v: T,
    pub span: Span,
}

/// `#[testdata(...)]` on a field (also collects the type/variant keys, rejected there by
/// `valid.rs` when misplaced).
#[derive(Default, Clone)]
pub struct Attrs {
    pub kind: Option<Spanned<String>>,
    pub range: Option<Spanned<Expr>>,
    pub len: Option<Spanned<Expr>>,
    pub pattern: Option<Spanned<String>>,
    pub one_of: Option<Spanned<Vec<Lit>>>,
    pub weights: Option<Spanned<Vec<u64>>>,
    pub format: Option<Spanned<String>>,
    pub unique: Option<Spanned<()>>,
    pub optional: Option<Spanned<Option<f64>>>,
    pub with: Option<Spanned<syn::Path>>,
    pub value: Option<Spanned<Expr>>,
    pub skip: Option<Spanned<()>>,
    pub locale: Option<Spanned<String>>,
    pub references: Option<Spanned<syn::Path>>,
    // type level
    pub finish: Option<Spanned<syn::Path>>,
    pub key: Option<Spanned<String>>,
    // variant level
    pub weight: Option<Spanned<u64>>,
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

/// Parses every `#[testdata(...)]` of an item into one [`Attrs`], rejecting a key given
/// twice.
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
            parse_key(&mut out, &ident, span, &meta)
        })?;
    }
    Ok(out)
}

/// One `key`, `key = value` or kind name of the attribute list.
fn parse_key(out: &mut Attrs, ident: &str, span: Span, meta: &ParseNestedMeta<'_>) -> Result<()> {
    match ident {
        "range" => out.range = Some(Spanned { v: meta.value()?.parse::<Expr>()?, span }),
        "len" => out.len = Some(Spanned { v: meta.value()?.parse::<Expr>()?, span }),
        "value" => out.value = Some(Spanned { v: meta.value()?.parse::<Expr>()?, span }),
        "pattern" | "format" | "locale" | "key" | "kind" => {
            let s: LitStr = meta.value()?.parse()?;
            let v = Spanned { v: s.value(), span: s.span() };
            match ident {
                "pattern" => out.pattern = Some(v),
                "format" => out.format = Some(v),
                "locale" => out.locale = Some(v),
                "key" => out.key = Some(v),
                _ => out.kind = Some(v),
            }
        }
        "one_of" => {
            let (lits, span) = literal_list(ident, meta)?;
            out.one_of = Some(Spanned { v: lits, span });
        }
        "weights" => {
            let (lits, span) = literal_list(ident, meta)?;
            out.weights = Some(Spanned { v: whole_numbers(&lits)?, span });
        }
        "weight" => {
            let l: syn::LitInt = meta.value()?.parse()?;
            out.weight = Some(Spanned { v: l.base10_parse()?, span: l.span() });
        }
        "optional" => out.optional = Some(probability(span, meta)?),
        "unique" => out.unique = Some(Spanned { v: (), span }),
        "skip" => out.skip = Some(Spanned { v: (), span }),
        "with" | "finish" | "references" => {
            let v = path_value(ident, meta)?;
            match ident {
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
            out.kind = Some(Spanned { v: other.to_string(), span });
        }
    }
    Ok(())
}

/// `key = [lit, -lit, …]`: the literals (negative numbers folded in) and the list's span.
fn literal_list(ident: &str, meta: &ParseNestedMeta<'_>) -> Result<(Vec<Lit>, Span)> {
    let e: Expr = meta.value()?.parse()?;
    let Expr::Array(arr) = &e else {
        return Err(syn::Error::new(e.span(), format!("`{ident}` takes a list: `[..]`")));
    };
    let mut lits = Vec::new();
    for el in &arr.elems {
        let lit = match el {
            Expr::Lit(l) => Some(l.lit.clone()),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match &*u.expr {
                Expr::Lit(l) => neg_lit(&l.lit),
                _ => None,
            },
            _ => None,
        };
        lits.push(lit.ok_or_else(|| syn::Error::new(el.span(), "expected a literal"))?);
    }
    Ok((lits, e.span()))
}

/// The weights of `weights = [..]`: whole numbers.
fn whole_numbers(lits: &[Lit]) -> Result<Vec<u64>> {
    lits.iter()
        .map(|l| match l {
            Lit::Int(i) => i.base10_parse::<u64>(),
            _ => Err(syn::Error::new(l.span(), "weights are whole numbers")),
        })
        .collect()
}

/// `optional` (the default probability) or `optional = 0.25`.
fn probability(span: Span, meta: &ParseNestedMeta<'_>) -> Result<Spanned<Option<f64>>> {
    if !meta.input.peek(syn::Token![=]) {
        return Ok(Spanned { v: None, span });
    }
    let e: Expr = meta.value()?.parse()?;
    let p = match &e {
        Expr::Lit(l) => match &l.lit {
            Lit::Float(f) => Some(f.base10_parse::<f64>()?),
            Lit::Int(i) => Some(i.base10_parse::<f64>()?),
            _ => None,
        },
        _ => None,
    };
    let p = p.ok_or_else(|| syn::Error::new(e.span(), "`optional` takes a probability such as 0.25"))?;
    Ok(Spanned { v: Some(p), span: e.span() })
}

/// `with = path`, `finish = path`, `references = Type::field` (a path or a string holding one).
fn path_value(ident: &str, meta: &ParseNestedMeta<'_>) -> Result<Spanned<syn::Path>> {
    let e: Expr = meta.value()?.parse()?;
    let path = match &e {
        Expr::Path(p) => p.path.clone(),
        _ => match lit_str(&e) {
            Some(s) => syn::parse_str::<syn::Path>(&s)?,
            None => return Err(syn::Error::new(e.span(), format!("`{ident}` takes a path"))),
        },
    };
    Ok(Spanned { v: path, span: e.span() })
}

fn neg_lit(l: &Lit) -> Option<Lit> {
    match l {
        Lit::Int(i) => Some(Lit::Int(syn::LitInt::new(&format!("-{}", i.base10_digits()), i.span()))),
        Lit::Float(f) => Some(Lit::Float(syn::LitFloat::new(&format!("-{}", f.base10_digits()), f.span()))),
        _ => None,
    }
}
