//! Resolves every field into an explicit plan (kind, bounds, lengths, pattern, …) and rejects
//! contradictions with errors spanned on the offending attribute.

use proc_macro2::Span;
use syn::spanned::Spanned as _;
use syn::{Error, Expr, Lit, Result, Type};

use crate::ast::Field;
use crate::attr::{Attrs, Spanned};
use testdata_core::decimal::{Round, rescale_dir};
use testdata_core::defaults::{self, TimeDefault};
use testdata_core::kinds;
use testdata_core::time::{self, DAY};

/// ScalarRule a field is produced.
pub enum FieldPlan {
    /// `with = path`: the path's `fn(&mut Gen) -> T` on the field's stream.
    With(syn::Path),
    /// `value = expr`.
    Value(Expr),
    /// `skip`: `Default::default()`.
    Skip,
    /// `references = Type::field`.
    References(syn::Path, syn::Ident),
    /// Generated from the shape.
    Shape(Shape),
}

pub enum Shape {
    Scalar(Scalar),
    Option(f64, Box<Shape>),
    Vec(usize, usize, Box<Shape>),
    Array(Expr, Box<Shape>),
    Boxed(Box<Shape>),
    Map(usize, usize, Box<Shape>, Box<Shape>),
    Tuple(Vec<Shape>),
    Nested(Type),
    Duration,
}

pub struct Scalar {
    pub ty: Type,
    pub how: ScalarRule,
    pub unique: bool,
    pub locale: Option<&'static str>,
}

/// A bound of a date or timestamp range.
#[derive(Clone, Copy)]
pub enum TimeBound {
    /// An absolute instant (seconds since the epoch).
    At(i64),
    /// Seconds from the reference instant ("now") of the run's context.
    Now(i64),
}

/// How a scalar value is produced: the rule of its type class and attributes.
pub enum ScalarRule {
    Int {
        lo: i64,
        hi: i64,
    },
    Float {
        lo: f64,
        hi: f64,
    },
    Units {
        lo: i64,
        hi: i64,
        scale: u32,
    },
    Bool,
    Kind {
        name: &'static str,
        min: Option<usize>,
        max: Option<usize>,
        span: Span,
    },
    Uuid,
    Text {
        min: usize,
        max: usize,
        sentence: bool,
    },
    Pattern {
        src: String,
        min: Option<usize>,
        max: Option<usize>,
    },
    Format {
        src: String,
    },
    /// `one_of` strings, with cumulative weights.
    OneOfStr {
        values: Vec<String>,
        cumulative: Vec<u64>,
    },
    /// `one_of` integers, with cumulative weights.
    OneOfInt {
        values: Vec<i64>,
        cumulative: Vec<u64>,
    },
    Instant {
        lo: Option<TimeBound>,
        hi: Option<TimeBound>,
        default: TimeDefault,
        date: bool,
    },
}

/// The syntactic class of a type.
enum Class<'a> {
    Option(&'a Type),
    Vec(&'a Type),
    Array(&'a Type, &'a Expr),
    Boxed(&'a Type),
    Map(&'a Type, &'a Type),
    Tuple(Vec<&'a Type>),
    Str,
    Char,
    Ip(&'static str),
    Bool,
    Int(i128, i128),
    Float,
    Decimal,
    Uuid,
    Instant,
    Day,
    Duration,
    Other,
}

fn generic_args(seg: &syn::PathSegment) -> Vec<&Type> {
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn classify(ty: &Type) -> Class<'_> {
    match ty {
        Type::Group(g) => classify(&g.elem),
        Type::Paren(p) => classify(&p.elem),
        Type::Array(a) => Class::Array(&a.elem, &a.len),
        Type::Tuple(t) if !t.elems.is_empty() => Class::Tuple(t.elems.iter().collect()),
        Type::Path(p) if p.qself.is_none() => {
            let Some(seg) = p.path.segments.last() else { return Class::Other };
            let args = generic_args(seg);
            match (seg.ident.to_string().as_str(), args.as_slice()) {
                ("Option", [t]) => Class::Option(t),
                ("Vec", [t]) => Class::Vec(t),
                ("Box", [t]) => {
                    if matches!(t, Type::Path(p) if p.path.is_ident("str")) {
                        Class::Str
                    } else {
                        Class::Boxed(t)
                    }
                }
                ("HashMap" | "BTreeMap", [k, v, ..]) => Class::Map(k, v),
                ("String", []) => Class::Str,
                ("char", []) => Class::Char,
                ("IpAddr" | "Ipv4Addr", []) => Class::Ip("ipv4"),
                ("Ipv6Addr", []) => Class::Ip("ipv6"),
                ("bool", []) => Class::Bool,
                ("i8", []) => Class::Int(i8::MIN as i128, i8::MAX as i128),
                ("i16", []) => Class::Int(i16::MIN as i128, i16::MAX as i128),
                ("i32", []) => Class::Int(i32::MIN as i128, i32::MAX as i128),
                ("i64" | "isize" | "i128", []) => Class::Int(i64::MIN as i128, i64::MAX as i128),
                ("u8", []) => Class::Int(0, u8::MAX as i128),
                ("u16", []) => Class::Int(0, u16::MAX as i128),
                ("u32", []) => Class::Int(0, u32::MAX as i128),
                ("u64" | "usize" | "u128", []) => Class::Int(0, i64::MAX as i128),
                ("f32" | "f64", []) => Class::Float,
                ("Decimal", []) => Class::Decimal,
                ("Uuid", []) => Class::Uuid,
                ("DateTime" | "NaiveDateTime" | "SystemTime", _) => Class::Instant,
                ("NaiveDate", []) => Class::Day,
                ("Duration", []) => Class::Duration,
                _ => Class::Other,
            }
        }
        _ => Class::Other,
    }
}

fn err<T>(span: Span, msg: impl std::fmt::Display) -> Result<T> {
    Err(Error::new(span, msg))
}

/// A number literal, possibly negative: its decimal text and whether it is a float.
fn num(e: &Expr) -> Option<(String, bool)> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => Some((i.base10_digits().to_string(), false)),
            Lit::Float(f) => Some((f.base10_digits().to_string(), true)),
            _ => None,
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
            num(&u.expr).map(|(s, f)| (format!("-{s}"), f))
        }
        Expr::Group(g) => num(&g.expr),
        Expr::Paren(p) => num(&p.expr),
        _ => None,
    }
}

fn str_lit(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Group(g) => str_lit(&g.expr),
        _ => None,
    }
}

struct Range<'a> {
    lo: Option<&'a Expr>,
    hi: Option<&'a Expr>,
    inclusive: bool,
}

fn range_of<'a>(e: &'a Spanned<Expr>, what: &str) -> Result<Range<'a>> {
    match &e.v {
        Expr::Range(r) => Ok(Range {
            lo: r.start.as_deref(),
            hi: r.end.as_deref(),
            inclusive: matches!(r.limits, syn::RangeLimits::Closed(_)),
        }),
        _ => err(e.span, format!("`{what}` takes a range such as `1..=5`, `0..10` or `18..`")),
    }
}

fn int_of(e: &Expr) -> Result<i128> {
    match num(e) {
        Some((s, false)) => s.parse::<i128>().map_err(|_| Error::new(e.span(), "integer out of range")),
        _ => err(e.span(), "expected an integer literal"),
    }
}

fn usize_range(e: &Spanned<Expr>, what: &str) -> Result<(Option<usize>, Option<usize>)> {
    let r = range_of(e, what)?;
    let lo = r.lo.map(int_of).transpose()?;
    let mut hi = r.hi.map(int_of).transpose()?;
    if !r.inclusive
        && let Some(h) = hi
    {
        hi = Some(h - 1);
    }
    let lo_u = lo
        .map(|x| {
            usize::try_from(x).map_err(|_| Error::new(e.span, format!("`{what}` bounds cannot be negative")))
        })
        .transpose()?;
    let hi_u = match hi {
        Some(h) if h < 0 => return err(e.span, format!("`{what}` is an empty range")),
        Some(h) => Some(usize::try_from(h).map_err(|_| Error::new(e.span, "too large"))?),
        None => None,
    };
    if let (Some(a), Some(b)) = (lo_u, hi_u)
        && a > b
    {
        return err(
            e.span,
            format!(
                "`{what}` is an empty or inverted range: the minimum {a} is greater than the maximum {b}"
            ),
        );
    }
    Ok((lo_u, hi_u))
}

/// Decimal literal text → (mantissa, scale).
fn decimal(text: &str) -> Option<(i128, u32)> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let t = t.replace('_', "");
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    let digits = format!("{int}{frac}");
    let m: i128 = digits.parse().ok()?;
    Some((if neg { -m } else { m }, frac.len() as u32))
}

fn cumulative_weights(
    weights: &Option<Spanned<Vec<u64>>>,
    n: usize,
    one_of: &Spanned<Vec<Lit>>,
) -> Result<Vec<u64>> {
    let w = match weights {
        Some(w) if w.v.len() != n => {
            return err(
                w.span,
                format!("{} weights for {} values in `one_of`; give one weight per value", w.v.len(), n),
            );
        }
        Some(w) => w.v.clone(),
        None => vec![1; n],
    };
    if w.iter().all(|&x| x == 0) {
        return err(
            weights.as_ref().map(|w| w.span).unwrap_or(one_of.span),
            "all weights are 0; give at least one value a positive weight",
        );
    }
    let mut acc = 0;
    Ok(w.iter()
        .map(|x| {
            acc += x;
            acc
        })
        .collect())
}

fn time_bound(e: &Expr, date: bool) -> Result<TimeBound> {
    let Some(s) = str_lit(e) else {
        return err(
            e.span(),
            "date bounds are strings: \"2024-01-01\", \"2024-01-01T12:00:00Z\", \"now\", \"-30d\"",
        );
    };
    if let Some(d) = time::offset_from_now(&s) {
        return Ok(TimeBound::Now(d));
    }
    match time::parse_datetime(s.trim()) {
        Some(t) => Ok(TimeBound::At(t)),
        None => err(
            e.span(),
            format!(
                "`{s}` is not a date; use YYYY-MM-DD{}, \"now\" or an offset such as \"-30d\"",
                if date { "" } else { ", YYYY-MM-DDTHH:MM:SSZ" }
            ),
        ),
    }
}

/// The keys that make a field's value (at most one may be given).
fn conflicts(a: &Attrs) -> Result<()> {
    if let Some(s) = &a.skip
        && let Some((k, sp)) = a.given.iter().find(|(k, _)| *k != "skip")
    {
        let _ = s;
        return err(*sp, format!("`skip` uses `Default::default()`; it cannot be combined with `{k}`"));
    }
    let makers: Vec<&(&str, Span)> =
        a.given.iter().filter(|(k, _)| matches!(*k, "with" | "value" | "references")).collect();
    if let Some((m, _)) = makers.first()
        && let Some((k, sp)) = a.given.iter().find(|(k, _)| k != m && *k != "optional")
    {
        return err(*sp, format!("`{m}` gives the whole value; it cannot be combined with `{k}`"));
    }
    let shapes: Vec<&(&str, Span)> =
        a.given.iter().filter(|(k, _)| matches!(*k, "kind" | "pattern" | "format" | "one_of")).collect();
    if shapes.len() > 1 {
        return err(
            shapes[1].1,
            format!(
                "`{}` conflicts with `{}`: use only one of a kind, `pattern`, `format` and `one_of`",
                shapes[1].0, shapes[0].0
            ),
        );
    }
    if a.weights.is_some() && a.one_of.is_none() {
        return err(
            a.weights.as_ref().map(|w| w.span).unwrap_or_else(Span::call_site),
            "`weights` needs `one_of` with one value per weight",
        );
    }
    for (k, sp) in &a.given {
        if matches!(*k, "finish" | "key" | "weight") {
            return err(
                *sp,
                format!("`{k}` belongs on the type{}", if *k == "weight" { "'s enum variants" } else { "" }),
            );
        }
    }
    Ok(())
}

/// Resolves a field.
pub fn field(f: &Field<'_>, type_locale: Option<&'static str>) -> Result<FieldPlan> {
    let a = &f.attrs;
    conflicts(a)?;
    if a.skip.is_some() {
        return Ok(FieldPlan::Skip);
    }
    if let Some(w) = &a.with {
        return Ok(FieldPlan::With(w.v.clone()));
    }
    if let Some(v) = &a.value {
        return Ok(FieldPlan::Value(v.v.clone()));
    }
    if let Some(r) = &a.references {
        let mut p = r.v.clone();
        let Some(last) = p.segments.pop() else { return err(r.span, "expected `Type::field`") };
        if p.segments.is_empty() {
            return err(r.span, "`references` takes `Type::field`, e.g. `references = User::id`");
        }
        let field = last.value().ident.clone();
        p.segments.pop_punct();
        return Ok(FieldPlan::References(p, field));
    }
    let locale = match &a.locale {
        Some(l) => Some(crate::expand::locale_variant(&l.v).ok_or_else(|| {
            Error::new(
                l.span,
                format!("unknown locale `{}`; use {}", l.v, testdata_core::locale::known_tags()),
            )
        })?),
        None => type_locale,
    };
    let mut used_len = false;
    let mut used_opt = false;
    let shape = shape(f, f.ty, a, locale, &mut used_len, &mut used_opt, true)?;
    if let (Some(o), false) = (&a.optional, used_opt) {
        return err(o.span, "`optional` applies to `Option<T>` fields; make the field an `Option`");
    }
    Ok(FieldPlan::Shape(shape))
}

#[allow(clippy::too_many_arguments)]
fn shape(
    f: &Field<'_>,
    ty: &Type,
    a: &Attrs,
    locale: Option<&'static str>,
    used_len: &mut bool,
    used_opt: &mut bool,
    outer: bool,
) -> Result<Shape> {
    let _ = outer;
    Ok(match classify(ty) {
        Class::Option(t) => {
            let p = if *used_opt {
                0.1
            } else {
                *used_opt = true;
                match &a.optional {
                    Some(Spanned { v: Some(p), span }) => {
                        if !(0.0..=1.0).contains(p) {
                            return err(
                                *span,
                                format!("`optional` is the probability of `None`; {p} is outside 0..=1"),
                            );
                        }
                        *p
                    }
                    _ => 0.1,
                }
            };
            Shape::Option(p, Box::new(shape(f, t, a, locale, used_len, used_opt, false)?))
        }
        Class::Vec(t) => {
            let (mut lo, mut hi) = (1usize, 5usize);
            if !*used_len && let Some(l) = &a.len {
                *used_len = true;
                let (l0, h0) = usize_range(l, "len")?;
                lo = l0.unwrap_or(1);
                hi = h0.unwrap_or(lo.max(5));
                if lo > hi {
                    return err(l.span, format!("`len` is empty: {lo} > {hi}"));
                }
                if hi > 10_000 {
                    return err(l.span, "`len` above 10000 elements is not supported");
                }
            }
            Shape::Vec(lo, hi, Box::new(shape(f, t, a, locale, used_len, used_opt, false)?))
        }
        Class::Array(t, n) => {
            Shape::Array(n.clone(), Box::new(shape(f, t, a, locale, used_len, used_opt, false)?))
        }
        Class::Boxed(t) => Shape::Boxed(Box::new(shape(f, t, a, locale, used_len, used_opt, false)?)),
        Class::Map(k, v) => {
            let (mut lo, mut hi) = (1usize, 5usize);
            if !*used_len && let Some(l) = &a.len {
                *used_len = true;
                let (l0, h0) = usize_range(l, "len")?;
                lo = l0.unwrap_or(1);
                hi = h0.unwrap_or(lo.max(5));
            }
            let none = Attrs::default();
            Shape::Map(
                lo,
                hi,
                Box::new(shape(f, k, &none, locale, &mut true, &mut true, false)?),
                Box::new(shape(f, v, a, locale, used_len, used_opt, false)?),
            )
        }
        Class::Tuple(ts) => {
            let none = Attrs::default();
            let mut v = Vec::new();
            for t in ts {
                v.push(shape(f, t, &none, locale, &mut true, &mut true, false)?);
            }
            Shape::Tuple(v)
        }
        Class::Duration => Shape::Duration,
        Class::Other => {
            for (k, sp) in &a.given {
                if !matches!(*k, "optional" | "len") {
                    return err(
                        *sp,
                        format!(
                            "`{k}` does not apply to `{}`, which is generated by its own `TestData` impl",
                            quote::quote!(#ty)
                        ),
                    );
                }
            }
            Shape::Nested(ty.clone())
        }
        class => Shape::Scalar(scalar(f, ty, class, a, locale, used_len)?),
    })
}

/// Lowers a scalar field: checks which attributes apply to its type class, then lowers it
/// with the rule of its class.
fn scalar(
    f: &Field<'_>,
    ty: &Type,
    class: Class<'_>,
    a: &Attrs,
    locale: Option<&'static str>,
    used_len: &mut bool,
) -> Result<Scalar> {
    let name = f.name.as_str();
    let len = applicable_attrs(ty, &class, a, used_len)?;
    let kind = kind_attr(ty, &class, a)?;
    let how = match class {
        Class::Bool => ScalarRule::Bool,
        Class::Uuid => ScalarRule::Uuid,
        Class::Int(tlo, thi) => match &a.one_of {
            Some(o) => one_of_int(ty, (tlo, thi), o, &a.weights)?,
            None => lower_int(ty, (tlo, thi), &a.range, kind.bounds(name))?,
        },
        Class::Float => lower_float(&a.range, kind.bounds(name))?,
        Class::Decimal => lower_decimal(&a.range, kind.bounds(name))?,
        Class::Instant => lower_time(&a.range, name, TimeClass::Instant)?,
        Class::Day => lower_time(&a.range, name, TimeClass::Date)?,
        Class::Char => ScalarRule::Text { min: 1, max: 1, sentence: false },
        Class::Ip(k) => ScalarRule::Kind { name: kind.name.unwrap_or(k), min: None, max: None, span: f.span },
        Class::Str => lower_str(f, a, len.unwrap_or((None, None)), kind.name)?,
        _ => unreachable_class(f.span)?,
    };
    if let Some(u) = &a.unique {
        check_unique(u.span, &how)?;
    }
    Ok(Scalar { ty: ty.clone(), how, unique: a.unique.is_some(), locale })
}

/// Rejects attributes that do not apply to the field's type class; returns the `len` bounds
/// of a string (once: `used_len` says a collection already took them).
fn applicable_attrs(
    ty: &Type,
    class: &Class<'_>,
    a: &Attrs,
    used_len: &mut bool,
) -> Result<Option<(Option<usize>, Option<usize>)>> {
    let makes_text = matches!(class, Class::Str | Class::Char | Class::Ip(_));
    let numeric = matches!(class, Class::Int(..) | Class::Float | Class::Decimal);
    let is_time = matches!(class, Class::Instant | Class::Day);
    if let Some(r) = &a.range
        && !(numeric || is_time)
    {
        return err(
            r.span,
            if makes_text {
                "`range` applies to numbers and dates; for the length of a string use `len = 1..=20`"
                    .to_string()
            } else {
                format!("`range` does not apply to `{}`", quote::quote!(#ty))
            },
        );
    }
    for (k, sp) in &a.given {
        let ok = match *k {
            "pattern" | "format" | "locale" => matches!(class, Class::Str),
            "one_of" | "weights" => matches!(class, Class::Str | Class::Int(..)),
            _ => true,
        };
        if !ok {
            return err(*sp, format!("`{k}` applies to `String` fields, not to `{}`", quote::quote!(#ty)));
        }
    }
    match &a.len {
        Some(l) if !*used_len => {
            if !matches!(class, Class::Str) {
                return err(
                    l.span,
                    format!(
                        "`len` applies to strings and collections, not to `{}`; for numbers use `range`",
                        quote::quote!(#ty)
                    ),
                );
            }
            *used_len = true;
            Ok(Some(usize_range(l, "len")?))
        }
        _ => Ok(None),
    }
}

/// What a kind attribute names: a text kind, or the bounds of a number preset.
#[derive(Default)]
struct KindAttr {
    /// The canonical name of a text kind (`#[testdata(email)]`).
    name: Option<&'static str>,
    /// The bounds of a number preset (`#[testdata(price)]`).
    preset: Option<(f64, f64)>,
}

impl KindAttr {
    /// The default bounds of a number field: its preset's, else its name's.
    fn bounds(&self, field_name: &str) -> (f64, f64) {
        self.preset.unwrap_or_else(|| defaults::number_bounds(field_name))
    }
}

/// Reads the kind attribute: a number preset on a number, a text kind on text (or `uuid` on
/// a `Uuid`); an unknown name suggests the closest known one.
fn kind_attr(ty: &Type, class: &Class<'_>, a: &Attrs) -> Result<KindAttr> {
    let Some(k) = &a.kind else { return Ok(KindAttr::default()) };
    let numeric = matches!(class, Class::Int(..) | Class::Float | Class::Decimal);
    if numeric && let Some(b) = defaults::numeric_preset(&k.v) {
        return Ok(KindAttr { name: None, preset: Some(b) });
    }
    let Some(n) = kinds::from_name(&k.v).map(|k| k.name) else {
        let hint = match kinds::closest(&k.v) {
            Some(c) => format!("; did you mean `{c}`?"),
            None => String::new(),
        };
        return err(
            k.span,
            format!(
                "unknown kind `{}`{hint} (kinds are listed in `testdata::kinds::Kind::ALL`; number presets: price, amount, age, quantity, rating, percentage)",
                k.v
            ),
        );
    };
    let makes_text = matches!(class, Class::Str | Class::Char | Class::Ip(_));
    if !(makes_text || (matches!(class, Class::Uuid) && n == "uuid")) {
        return err(k.span, format!("kind `{n}` makes text; it does not apply to `{}`", quote::quote!(#ty)));
    }
    Ok(KindAttr { name: Some(n), preset: None })
}

/// `one_of = [1, 5, 10]` on an integer: every value fits the type.
fn one_of_int(
    ty: &Type,
    (tlo, thi): (i128, i128),
    o: &Spanned<Vec<Lit>>,
    weights: &Option<Spanned<Vec<u64>>>,
) -> Result<ScalarRule> {
    let mut values = Vec::new();
    for l in &o.v {
        let Lit::Int(i) = l else {
            return err(l.span(), "the field is an integer: `one_of` takes integers");
        };
        let v: i128 = i.base10_parse()?;
        if v < tlo || v > thi {
            return err(l.span(), format!("{v} does not fit in `{}`", quote::quote!(#ty)));
        }
        values.push(v as i64);
    }
    if values.is_empty() {
        return err(o.span, "`one_of` is empty; give at least one value");
    }
    Ok(ScalarRule::OneOfInt { cumulative: cumulative_weights(weights, values.len(), o)?, values })
}

/// An integer range: explicit bounds completed from the defaults, inside the type.
fn lower_int(
    ty: &Type,
    (tlo, thi): (i128, i128),
    range: &Option<Spanned<Expr>>,
    (dlo, dhi): (f64, f64),
) -> Result<ScalarRule> {
    let (dlo, dhi) = (dlo as i128, dhi as i128);
    let Some(r) = range else {
        return Ok(ScalarRule::Int { lo: dlo.max(tlo) as i64, hi: dhi.min(thi) as i64 });
    };
    let rg = range_of(r, "range")?;
    let lo = rg.lo.map(int_of).transpose()?;
    let hi = match rg.hi.map(int_of).transpose()? {
        Some(h) if !rg.inclusive => Some(h - 1),
        h => h,
    };
    let (lo, hi) = defaults::complete_int(lo, hi, (dlo, dhi));
    if lo > hi {
        return err(
            r.span,
            format!("empty or inverted range: the minimum {lo} is greater than the maximum {hi}"),
        );
    }
    if lo < tlo || (hi > thi && rg.lo.is_some() && rg.hi.is_some()) {
        return err(
            r.span,
            format!("the range {lo}..={hi} does not fit in `{}` ({tlo}..={thi})", quote::quote!(#ty)),
        );
    }
    Ok(ScalarRule::Int { lo: lo as i64, hi: hi.min(thi) as i64 })
}

/// A float range: explicit bounds (an exclusive maximum is the float below it) completed
/// from the defaults.
fn lower_float(range: &Option<Spanned<Expr>>, (dlo, dhi): (f64, f64)) -> Result<ScalarRule> {
    let Some(r) = range else { return Ok(ScalarRule::Float { lo: dlo, hi: dhi }) };
    let rg = range_of(r, "range")?;
    let fl = |e: &Expr| -> Result<f64> {
        num(e)
            .and_then(|(s, _)| s.parse::<f64>().ok())
            .ok_or_else(|| Error::new(e.span(), "expected a number"))
    };
    let lo = rg.lo.map(fl).transpose()?;
    let hi = match rg.hi.map(fl).transpose()? {
        Some(h) if !rg.inclusive => Some(h.next_down()),
        h => h,
    };
    let (lo, hi) = defaults::complete_float(lo, hi, (dlo, dhi));
    if lo > hi {
        return err(
            r.span,
            format!("empty or inverted range: the minimum {lo} is greater than the maximum {hi}"),
        );
    }
    Ok(ScalarRule::Float { lo, hi })
}

/// A decimal range in cents (scale 2): bounds rounded inward, completed from the defaults,
/// within ±2^53 units.
fn lower_decimal(range: &Option<Spanned<Expr>>, bounds: (f64, f64)) -> Result<ScalarRule> {
    let scale = 2u32;
    let (dl, dh) = defaults::units_of(bounds, scale);
    let Some(r) = range else { return Ok(ScalarRule::Units { lo: dl as i64, hi: dh as i64, scale }) };
    let rg = range_of(r, "range")?;
    let units = |e: &Expr, dir: Round| -> Result<i128> {
        let (m, s) =
            num(e).and_then(|(t, _)| decimal(&t)).ok_or_else(|| Error::new(e.span(), "expected a number"))?;
        Ok(rescale_dir(m, s, scale, dir))
    };
    let lo = rg.lo.map(|e| units(e, Round::Ceil)).transpose()?;
    let hi = match rg.hi {
        Some(e) if !rg.inclusive => Some(units(e, Round::Ceil)? - 1),
        Some(e) => Some(units(e, Round::Floor)?),
        None => None,
    };
    let (lo, hi) = defaults::complete_units(lo, hi, (dl, dh));
    if lo > hi {
        return err(r.span, "empty or inverted range: the minimum is greater than the maximum");
    }
    if hi.abs() > (1 << 53) || lo.abs() > (1 << 53) {
        return err(r.span, "the bounds exceed ±2^53 units of the scale");
    }
    Ok(ScalarRule::Units { lo: lo as i64, hi: hi as i64, scale })
}

/// Whether a time field counts seconds or whole days.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TimeClass {
    /// A timestamp, in seconds.
    Instant,
    /// A calendar date, in days.
    Date,
}

/// A date or timestamp range: absolute or `now`-relative bounds, the rest from the name.
fn lower_time(range: &Option<Spanned<Expr>>, name: &str, class: TimeClass) -> Result<ScalarRule> {
    let date = class == TimeClass::Date;
    let (lo, hi) = match range {
        Some(r) => {
            let rg = range_of(r, "range")?;
            let lo = rg.lo.map(|e| time_bound(e, date)).transpose()?;
            let unit = if date { DAY } else { 1 };
            let hi = match rg.hi.map(|e| time_bound(e, date)).transpose()? {
                Some(TimeBound::At(t)) if !rg.inclusive => Some(TimeBound::At(t - unit)),
                Some(TimeBound::Now(t)) if !rg.inclusive => Some(TimeBound::Now(t - unit)),
                h => h,
            };
            if let (Some(TimeBound::At(a)), Some(TimeBound::At(b)))
            | (Some(TimeBound::Now(a)), Some(TimeBound::Now(b))) = (lo, hi)
                && a > b
            {
                return err(r.span, "empty or inverted range: the earliest instant is after the latest");
            }
            (lo, hi)
        }
        None => (None, None),
    };
    Ok(ScalarRule::Instant { lo, hi, default: defaults::time_default(name), date })
}

/// A string: a `pattern`, a `format` template, `one_of`, a kind (given or inferred from the
/// name) or lorem text, in that order.
fn lower_str(
    f: &Field<'_>,
    a: &Attrs,
    (min, max): (Option<usize>, Option<usize>),
    kind_name: Option<&'static str>,
) -> Result<ScalarRule> {
    let len_span = a.len.as_ref().map(|l| l.span).unwrap_or(f.span);
    if let Some(p) = &a.pattern {
        check_pattern(p, min, max)?;
        return Ok(ScalarRule::Pattern { src: p.v.clone(), min, max });
    }
    if let Some(fm) = &a.format {
        check_format_len(fm, (min, max), len_span)?;
        return Ok(ScalarRule::Format { src: fm.v.clone() });
    }
    if let Some(o) = &a.one_of {
        return one_of_str(o, &a.weights);
    }
    let name = f.name.as_str();
    if let Some(k) = kind_name.or_else(|| kinds::infer(name).map(|k| k.name)) {
        check_kind_len(k, (min, max), len_span)?;
        return Ok(ScalarRule::Kind {
            name: k,
            min,
            max,
            span: a.kind.as_ref().map(|k| k.span).unwrap_or(f.span),
        });
    }
    let sentence = defaults::is_sentence(name);
    let (lo, hi) = defaults::text_len(min, max, sentence);
    Ok(ScalarRule::Text { min: lo, max: hi, sentence })
}

/// A `format` template renders lengths that meet `len`.
fn check_format_len(
    fm: &Spanned<String>,
    (min, max): (Option<usize>, Option<usize>),
    len_span: Span,
) -> Result<()> {
    let (tlo, thi) = check_format(fm)?;
    if let Some(m) = max
        && tlo > m
    {
        return err(
            len_span,
            format!("format `{}` renders at least {tlo} characters, above the maximum length {m}", fm.v),
        );
    }
    if let (Some(m), Some(t)) = (min, thi)
        && t < m
    {
        return err(
            len_span,
            format!("format `{}` renders at most {t} characters, below the minimum length {m}", fm.v),
        );
    }
    Ok(())
}

/// `one_of = ["a", "b"]` on a string.
fn one_of_str(o: &Spanned<Vec<Lit>>, weights: &Option<Spanned<Vec<u64>>>) -> Result<ScalarRule> {
    let mut values = Vec::new();
    for l in &o.v {
        match l {
            Lit::Str(s) => values.push(s.value()),
            _ => return err(l.span(), "the field is a string: `one_of` takes strings"),
        }
    }
    if values.is_empty() {
        return err(o.span, "`one_of` is empty; give at least one value");
    }
    Ok(ScalarRule::OneOfStr { cumulative: cumulative_weights(weights, values.len(), o)?, values })
}

/// A kind's lengths meet `len`, or the kind is free text (cut or extended to fit).
fn check_kind_len(k: &str, (min, max): (Option<usize>, Option<usize>), len_span: Span) -> Result<()> {
    let info = kinds::kind(k);
    let (klo, khi) = info.map(|i| (i.min_len, i.max_len)).unwrap_or((0, None));
    let lo = min.unwrap_or(0);
    let inside = klo >= lo
        && match (khi, max) {
            (_, None) => true,
            (Some(x), Some(m)) => x <= m,
            (None, Some(_)) => false,
        };
    if inside || info.is_some_and(|i| i.free_text) {
        return Ok(());
    }
    err(
        len_span,
        format!(
            "kind `{k}` produces {klo}..={} characters, which cannot meet `len` {lo}..={}; widen `len` or use a `pattern`",
            khi.map(|x| x.to_string()).unwrap_or_else(|| "∞".into()),
            max.map(|x| x.to_string()).unwrap_or_else(|| "∞".into())
        ),
    )
}

/// `unique` applies where a value space can be enumerated.
fn check_unique(span: Span, how: &ScalarRule) -> Result<()> {
    let ok = match how {
        ScalarRule::Int { .. }
        | ScalarRule::Units { .. }
        | ScalarRule::OneOfStr { .. }
        | ScalarRule::OneOfInt { .. }
        | ScalarRule::Format { .. }
        | ScalarRule::Instant { .. }
        | ScalarRule::Uuid => true,
        ScalarRule::Kind { name, min, max, .. } => {
            matches!(*name, "uuid" | "email" | "safe_email" | "username") && min.is_none() && max.is_none()
        }
        _ => false,
    };
    if ok {
        return Ok(());
    }
    err(
        span,
        "`unique` is supported for integer and decimal ranges, `one_of`, `format` templates, dates, `Uuid`, and the uuid, email, safe_email and username kinds",
    )
}

fn unreachable_class<T>(span: Span) -> Result<T> {
    err(span, "unsupported field type")
}

fn check_pattern(p: &Spanned<String>, min: Option<usize>, max: Option<usize>) -> Result<()> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(&p.v).map_err(|e| {
        let msg = e.to_string();
        let last = msg.lines().rfind(|l| l.starts_with("error:")).unwrap_or("invalid syntax").to_string();
        Error::new(
            p.span,
            format!("invalid regular expression `{}`: {}", p.v, last.trim_start_matches("error: ")),
        )
    })?;
    let props = hir.properties();
    if let (Some(m), Some(lo)) = (max, props.minimum_len())
        && lo > m
    {
        return err(
            p.span,
            format!("the pattern matches at least {lo} characters, more than the maximum length {m}"),
        );
    }
    if let (Some(m), Some(hi)) = (min, props.maximum_len())
        && hi < m
    {
        return err(
            p.span,
            format!("the pattern matches at most {hi} characters, fewer than the minimum length {m}"),
        );
    }
    if props.minimum_len().is_none() {
        return err(p.span, "the pattern matches nothing");
    }
    Ok(())
}

/// Checks a `format` template; returns its length range.
fn check_format(f: &Spanned<String>) -> Result<(usize, Option<usize>)> {
    let s = &f.v;
    let mut lo = 0usize;
    let mut hi = Some(0usize);
    let mut chars = s.chars().peekable();
    let add = |lo: &mut usize, hi: &mut Option<usize>, a: usize, b: Option<usize>| {
        *lo += a;
        *hi = match (*hi, b) {
            (Some(x), Some(y)) => Some(x + y),
            _ => None,
        };
    };
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                add(&mut lo, &mut hi, 1, Some(1));
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                add(&mut lo, &mut hi, 1, Some(1));
            }
            '}' => {
                return err(
                    f.span,
                    format!("format `{s}`: unmatched `}}`; write `}}}}` for a literal brace"),
                );
            }
            '{' => {
                let mut ph = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => ph.push(c),
                        None => return err(f.span, format!("format `{s}`: `{{` is not closed")),
                    }
                }
                let (name, n) = match ph.split_once(':') {
                    Some((a, b)) => match b.trim().parse::<usize>() {
                        Ok(n) => (a.trim(), Some(n)),
                        Err(_) => {
                            return err(f.span, format!("format `{s}`: `{{{ph}}}` needs a number after `:`"));
                        }
                    },
                    None => (ph.trim(), None),
                };
                match (name, n) {
                    ("year", None) => add(&mut lo, &mut hi, 4, Some(4)),
                    (
                        "digits" | "random" | "random_int" | "letters" | "upper" | "lower" | "alnum" | "hex",
                        Some(n),
                    ) => {
                        if n == 0 || n > 64 {
                            return err(f.span, format!("format `{s}`: `{{{ph}}}` needs a count in 1..=64"));
                        }
                        add(&mut lo, &mut hi, n, Some(n))
                    }
                    ("index", None) => add(&mut lo, &mut hi, 1, None),
                    ("index", Some(n)) => add(&mut lo, &mut hi, n, None),
                    _ => {
                        return err(
                            f.span,
                            format!(
                                "format `{s}`: unknown placeholder `{{{ph}}}`; use {{year}}, {{digits:N}}, {{letters:N}}, {{lower:N}}, {{alnum:N}}, {{hex:N}}, {{index}} or {{index:N}}"
                            ),
                        );
                    }
                }
            }
            _ => add(&mut lo, &mut hi, 1, Some(1)),
        }
    }
    Ok((lo, hi))
}
