//! Emits the `TestData` impl, the per-field generators, the schema and the builder.

use std::cell::Cell;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{DeriveInput, Error, Result, Type};

use crate::ast::{Body, Field, Input, Style, Variant};
use crate::valid::{self, FieldPlan, Scalar, ScalarRule, Shape, TimeBound};
use testdata_core::defaults::TimeDefault;
use testdata_core::{kinds, locale};

thread_local! {
    static COUNTER: Cell<usize> = const { Cell::new(0) };
}

fn fresh(prefix: &str) -> syn::Ident {
    COUNTER.with(|c| {
        let n = c.get();
        c.set(n + 1);
        format_ident!("__testdata_{}_{}", prefix, n)
    })
}

/// Items emitted once per derive (pattern and template statics).
#[derive(Default)]
struct SharedItems {
    items: Vec<TokenStream>,
}

struct FieldOut {
    plan: FieldPlan,
    pattern_fn: Option<syn::Ident>,
    template_fn: Option<syn::Ident>,
}

pub fn derive(input: &DeriveInput) -> Result<TokenStream> {
    let inp = Input::from_syn(input)?;
    for (k, sp) in &inp.attrs.given {
        if !matches!(*k, "finish" | "key" | "locale") {
            return Err(Error::new(
                *sp,
                format!("`{k}` belongs on a field; on the type use `finish`, `key` or `locale`"),
            ));
        }
    }
    let type_locale = match &inp.attrs.locale {
        Some(l) => Some(locale_variant(&l.v).ok_or_else(|| {
            Error::new(l.span, format!("unknown locale `{}`; use {}", l.v, locale::known_tags()))
        })?),
        None => None,
    };
    let mut cx = SharedItems::default();
    let body = match &inp.body {
        Body::Struct(style, fields) => expand_struct(&inp, *style, fields, type_locale, &mut cx)?,
        Body::Enum(variants) => expand_enum(&inp, variants, type_locale, &mut cx)?,
    };
    let items = &cx.items;
    Ok(quote! {
        #[allow(clippy::all, non_snake_case, unused_variables, unused_mut, unreachable_code)]
        const _: () = {
            #(#items)*
            #body
        };
    })
}

fn resolve(f: &Field<'_>, locale: Option<&'static str>, cx: &mut SharedItems) -> Result<FieldOut> {
    let plan = valid::field(f, locale)?;
    let mut out = FieldOut { plan, pattern_fn: None, template_fn: None };
    if let FieldPlan::Shape(s) = &out.plan
        && let Some(sc) = leaf(s)
    {
        match &sc.how {
            ScalarRule::Pattern { src, min, max } => {
                let id = fresh("pattern");
                let (min, max) = (opt_usize(*min), opt_usize(*max));
                cx.items.push(quote! {
                    fn #id() -> ::core::option::Option<&'static ::testdata::constraint::pattern::Pattern> {
                        static P: ::std::sync::OnceLock<::core::option::Option<::testdata::constraint::pattern::Pattern>> =
                            ::std::sync::OnceLock::new();
                        P.get_or_init(|| ::testdata::constraint::pattern::Pattern::new(#src, #min, #max).ok()).as_ref()
                    }
                });
                out.pattern_fn = Some(id);
            }
            ScalarRule::Format { src } => {
                let id = fresh("template");
                cx.items.push(quote! {
                    fn #id() -> ::core::option::Option<&'static ::testdata::constraint::template::Template> {
                        static T: ::std::sync::OnceLock<::core::option::Option<::testdata::constraint::template::Template>> =
                            ::std::sync::OnceLock::new();
                        T.get_or_init(|| ::testdata::constraint::template::Template::parse(#src).ok()).as_ref()
                    }
                });
                out.template_fn = Some(id);
            }
            _ => {}
        }
    }
    Ok(out)
}

fn leaf(s: &Shape) -> Option<&Scalar> {
    match s {
        Shape::Scalar(sc) => Some(sc),
        Shape::Option(_, i) | Shape::Vec(_, _, i) | Shape::Array(_, i) | Shape::Boxed(i) => leaf(i),
        Shape::Map(_, _, _, v) => leaf(v),
        _ => None,
    }
}

fn opt_usize(v: Option<usize>) -> TokenStream {
    match v {
        Some(x) => quote!(::core::option::Option::Some(#x)),
        None => quote!(::core::option::Option::None),
    }
}

fn type_name(inp: &Input<'_>) -> String {
    inp.attrs.key.as_ref().map(|k| k.v.clone()).unwrap_or_else(|| inp.ident.to_string())
}

fn with_bounds(inp: &Input<'_>) -> syn::Generics {
    let mut g = inp.generics.clone();
    let params: Vec<syn::Ident> = g.type_params().map(|t| t.ident.clone()).collect();
    let wc = g.make_where_clause();
    for p in params {
        wc.predicates.push(syn::parse_quote!(#p: ::testdata::TestData));
    }
    g
}

// ---------------------------------------------------------------------------------------------
// generation

/// `name_key(name)` as a constant: the hash is computed at compile time, never per value.
fn const_name_key(name: &str) -> TokenStream {
    quote!({ const __K: u64 = ::testdata::seed::name_key(#name); __K })
}

/// The expression producing a field's value; `parent` is the key of the record holding it.
fn gen_field(f: &Field<'_>, fo: &FieldOut, parent: &TokenStream) -> TokenStream {
    let name = &f.name;
    let ty = f.ty;
    let fk = const_name_key(name);
    let node = quote!(#parent.child(#fk));
    match &fo.plan {
        FieldPlan::Skip => quote!(::core::default::Default::default()),
        FieldPlan::Value(e) => quote_spanned!(f.span=> ::core::convert::Into::<#ty>::into(#e)),
        FieldPlan::With(p) => {
            let check = quote_spanned!(syn::spanned::Spanned::span(p)=> let __with: fn(&mut ::testdata::Gen) -> #ty = #p;);
            quote!({ #check __with(&mut #node.stream()) })
        }
        FieldPlan::References(t, field) => {
            let fname = format_ident!("__testdata_field_{}", field);
            quote!({
                let mut __g = #node.stream();
                let (__rk, __j) = ::testdata::__private::reference::<#t>(&mut __g, __env);
                let __renv = ::testdata::__private::Env {
                    index: __j,
                    type_key: <#t as ::testdata::TestData>::KEY,
                    top: true,
                    ..*__env
                };
                <#t>::#fname(__rk, &__renv, &::testdata::__private::Scope::new(__rk, __renv.ctx))
            })
        }
        FieldPlan::Shape(s) => gen_shape(s, &node, parent, true, &fk, fo),
    }
}

fn gen_shape(
    s: &Shape,
    node: &TokenStream,
    parent: &TokenStream,
    field_level: bool,
    fk: &TokenStream,
    fo: &FieldOut,
) -> TokenStream {
    match s {
        Shape::Scalar(sc) => gen_scalar(sc, node, parent, field_level, fk, fo),
        Shape::Option(p, inner) => {
            let inner = gen_shape(inner, &quote!(__node), &quote!(__node), field_level, fk, fo);
            let inner = if field_level { gen_shape_inner_field(s, node, parent, fk, fo) } else { inner };
            quote!({
                let __node = #node;
                if ::testdata::__private::sample::is_none(__node, #p) { ::core::option::Option::None } else { ::core::option::Option::Some(#inner) }
            })
        }
        Shape::Vec(min, max, inner) => {
            let (min, max) = (*min as u64, *max as u64);
            let e = gen_shape(inner, &quote!(__e), &quote!(__e), false, fk, fo);
            quote!({
                let __node = #node;
                let __n = __node.stream().u64_in(#min, #max);
                let mut __out = ::std::vec::Vec::with_capacity(__n as usize);
                for __j in 0..__n {
                    let __e = __node.child(__j);
                    __out.push(#e);
                }
                __out
            })
        }
        Shape::Array(_, inner) => {
            let e = gen_shape(inner, &quote!(__e), &quote!(__e), false, fk, fo);
            quote!({
                let __node = #node;
                ::core::array::from_fn(|__j| {
                    let __e = __node.child(__j as u64);
                    #e
                })
            })
        }
        Shape::Boxed(inner) => {
            let e = gen_shape(inner, node, parent, field_level, fk, fo);
            quote!(::std::boxed::Box::new(#e))
        }
        Shape::Map(min, max, k, v) => {
            let (min, max) = (*min as u64, *max as u64);
            let ke = gen_shape(k, &quote!(__e.child(0)), &quote!(__e), false, fk, fo);
            let ve = gen_shape(v, &quote!(__e.child(1)), &quote!(__e), false, fk, fo);
            quote!({
                let __node = #node;
                let __n = __node.stream().u64_in(#min, #max);
                (0..__n).map(|__j| {
                    let __e = __node.child(__j);
                    (#ke, #ve)
                }).collect()
            })
        }
        Shape::Tuple(elems) => {
            let es = elems.iter().enumerate().map(|(i, e)| {
                let i = i as u64;
                gen_shape(e, &quote!(__node.child(#i)), &quote!(__node), false, fk, fo)
            });
            quote!({ let __node = #node; (#(#es,)*) })
        }
        Shape::Nested(t) => {
            if field_level {
                quote!({
                    let __node = #node;
                    let __edge = if ::testdata::__private::sample::is_edge(__node, __env.ctx) {
                        <#t as ::testdata::TestData>::edge(&mut ::testdata::__private::sample::edge_stream(__node))
                    } else {
                        ::core::option::Option::None
                    };
                    match __edge {
                        ::core::option::Option::Some(v) => v,
                        ::core::option::Option::None => <#t as ::testdata::TestData>::generate(__node, &__env.nested()),
                    }
                })
            } else {
                quote!(<#t as ::testdata::TestData>::generate(#node, &__env.nested()))
            }
        }
        Shape::Duration => {
            let (secs, nanos) = (const_name_key("secs"), const_name_key("nanos"));
            quote!({
                let __node = #node;
                ::std::time::Duration::new(
                    ::testdata::__private::sample::int_field(__node.child(#secs), __env.ctx, 0, 86_400) as u64,
                    ::testdata::__private::sample::int_field(__node.child(#nanos), __env.ctx, 0, 999_999_999) as u32,
                )
            })
        }
    }
}

/// An `Option`'s inner value at field level (same node: unique, edge and value as the field).
fn gen_shape_inner_field(
    s: &Shape,
    _node: &TokenStream,
    parent: &TokenStream,
    fk: &TokenStream,
    fo: &FieldOut,
) -> TokenStream {
    let Shape::Option(_, inner) = s else { return quote!() };
    gen_shape(inner, &quote!(__node), parent, true, fk, fo)
}

/// The `Locale` variant a tag names.
pub(crate) fn locale_variant(tag: &str) -> Option<&'static str> {
    locale::index_of_tag(tag).map(|i| locale::LOCALES[i].0)
}

fn kind_path(name: &str) -> TokenStream {
    let variant = kinds::kind(name).map(|k| k.variant).unwrap_or(name);
    let v = format_ident!("{}", variant);
    quote!(::testdata::__private::Kind::#v)
}

fn tb(b: &Option<TimeBound>) -> TokenStream {
    match b {
        Some(TimeBound::At(t)) => quote!(::core::option::Option::Some(#t)),
        Some(TimeBound::Now(d)) => quote!(::core::option::Option::Some(__anchor.saturating_add(#d))),
        None => quote!(::core::option::Option::None),
    }
}

fn time_range(
    lo: &Option<TimeBound>,
    hi: &Option<TimeBound>,
    default: &TimeDefault,
    ctx: TokenStream,
) -> TokenStream {
    let d = format_ident!("{}", default.variant());
    let (lo, hi) = (tb(lo), tb(hi));
    quote! {
        let __anchor = #ctx.anchor();
        let (__lo, __hi) = ::testdata::__private::sample::time_range(__anchor, ::testdata::__private::sample::TimeDefault::#d, #lo, #hi);
    }
}

/// The code of one scalar: statements before the draw (`pre`), the size of its value space
/// (for `unique`), its edge-case value if it has one, and the value.
struct ScalarCode {
    pre: TokenStream,
    space: TokenStream,
    edge: Option<TokenStream>,
    value: TokenStream,
}

impl ScalarCode {
    /// A value with an unbounded space, no edge case and nothing before it.
    fn plain(value: TokenStream) -> ScalarCode {
        ScalarCode { pre: TokenStream::new(), space: quote!(u64::MAX), edge: None, value }
    }
}

/// Whether a scalar draws a `unique` slot (`__u`) for its value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Uniqueness {
    /// Every value is drawn from the stream.
    Free,
    /// Top-level records take their slot of the permutation.
    Unique,
}

/// `match __u { Some(u) => unique, None => drawn }`, or `drawn` alone.
fn unique_or(uniqueness: Uniqueness, unique: TokenStream, drawn: TokenStream) -> TokenStream {
    match uniqueness {
        Uniqueness::Unique => quote!(match __u {
            ::core::option::Option::Some(u) => #unique,
            ::core::option::Option::None => #drawn,
        }),
        Uniqueness::Free => drawn,
    }
}

fn gen_scalar(
    sc: &Scalar,
    node: &TokenStream,
    parent: &TokenStream,
    field_level: bool,
    fk: &TokenStream,
    fo: &FieldOut,
) -> TokenStream {
    let ty = &sc.ty;
    let uniqueness = if field_level && sc.unique { Uniqueness::Unique } else { Uniqueness::Free };
    let code = match &sc.how {
        ScalarRule::Int { lo, hi } => int_code(ty, *lo, *hi, uniqueness),
        ScalarRule::Units { lo, hi, scale } => units_code(ty, *lo, *hi, *scale, uniqueness),
        ScalarRule::Float { lo, hi } => float_code(ty, *lo, *hi),
        ScalarRule::Bool => ScalarCode::plain(quote!(__g.chance(0.5))),
        ScalarRule::Uuid => uuid_code(ty, uniqueness),
        ScalarRule::Kind { name, min, max, span } => {
            kind_code(sc, name, (*min, *max), *span, parent, field_level, uniqueness)
        }
        ScalarRule::Text { min, max, sentence } => text_code(ty, *min, *max, *sentence),
        ScalarRule::Pattern { .. } => pattern_code(ty, fo),
        ScalarRule::Format { .. } => format_code(ty, fo, uniqueness),
        ScalarRule::OneOfStr { values, cumulative } => {
            let from = quote!(<#ty as ::testdata::__private::values::FromText>::from_text);
            one_of_code(
                quote!(&[&str] = &[#(#values),*]),
                cumulative,
                values.len(),
                |v| quote!(#from(::std::string::String::from(#v))),
                uniqueness,
            )
        }
        ScalarRule::OneOfInt { values, cumulative } => {
            let from = quote!(<#ty as ::testdata::__private::values::FromInt>::from_i64);
            one_of_code(
                quote!(&[i64] = &[#(#values),*]),
                cumulative,
                values.len(),
                |v| quote!(#from(#v)),
                uniqueness,
            )
        }
        ScalarRule::Instant { lo, hi, default, date: true } => date_code(ty, lo, hi, default, uniqueness),
        ScalarRule::Instant { lo, hi, default, date: false } => instant_code(ty, lo, hi, default, uniqueness),
    };
    assemble_scalar(ty, node, fk, field_level, uniqueness, code)
}

/// Wraps a scalar's code: its unique slot, its edge case (at field level), then the value.
fn assemble_scalar(
    ty: &Type,
    node: &TokenStream,
    fk: &TokenStream,
    field_level: bool,
    uniqueness: Uniqueness,
    code: ScalarCode,
) -> TokenStream {
    let s = quote!(::testdata::__private::sample);
    let ScalarCode { pre, space, edge, value } = code;
    let uniq = match uniqueness {
        Uniqueness::Unique => quote!(let __u: ::core::option::Option<u64> = if __env.top {
            ::core::option::Option::Some(#s::unique_slot(__env.seed, __env.type_key, #fk, #space, __env.index))
        } else {
            ::core::option::Option::None
        };),
        Uniqueness::Free => TokenStream::new(),
    };
    let edge_part = match (&edge, field_level) {
        (Some(e), true) => {
            let guard = match uniqueness {
                Uniqueness::Unique => quote!(__u.is_none() &&),
                Uniqueness::Free => TokenStream::new(),
            };
            quote! {
                let __edge: ::core::option::Option<#ty> = if #guard #s::is_edge(__node, __env.ctx) {
                    let mut __ge = #s::edge_stream(__node);
                    #e
                } else {
                    ::core::option::Option::None
                };
                if let ::core::option::Option::Some(__v) = __edge { return __v; }
            }
        }
        _ => TokenStream::new(),
    };
    // A closure so that `return` in the edge part leaves only this value's block.
    quote!((|| -> #ty {
        let __node = #node;
        #pre
        #uniq
        #edge_part
        let mut __g = __node.stream();
        #value
    })())
}

fn int_code(ty: &Type, lo: i64, hi: i64, uniqueness: Uniqueness) -> ScalarCode {
    let s = quote!(::testdata::__private::sample);
    let from = quote!(<#ty as ::testdata::__private::values::FromInt>::from_i64);
    let v = unique_or(uniqueness, quote!((#lo as i64).wrapping_add(u as i64)), quote!(__g.i64_in(#lo, #hi)));
    ScalarCode {
        pre: TokenStream::new(),
        space: quote!((#hi as i128 - #lo as i128 + 1) as u64),
        edge: Some(quote!(::core::option::Option::Some(#from(#s::edge_int(&mut __ge, #lo, #hi))))),
        value: quote!(#from(#v)),
    }
}

fn units_code(ty: &Type, lo: i64, hi: i64, scale: u32, uniqueness: Uniqueness) -> ScalarCode {
    let s = quote!(::testdata::__private::sample);
    let from = quote!(<#ty as ::testdata::__private::values::FromUnits>::from_units);
    let v = unique_or(uniqueness, quote!((#lo as i64).wrapping_add(u as i64)), quote!(__g.i64_in(#lo, #hi)));
    ScalarCode {
        pre: TokenStream::new(),
        space: quote!((#hi as i128 - #lo as i128 + 1) as u64),
        edge: Some(
            quote!(::core::option::Option::Some(#from(#s::edge_decimal(&mut __ge, #lo, #hi), #scale))),
        ),
        value: quote!(#from(#v, #scale)),
    }
}

fn float_code(ty: &Type, lo: f64, hi: f64) -> ScalarCode {
    let s = quote!(::testdata::__private::sample);
    let from = quote!(<#ty as ::testdata::__private::values::FromFloat>::from_f64);
    ScalarCode {
        edge: Some(quote!(::core::option::Option::Some(#from(#s::edge_float(&mut __ge, #lo, #hi))))),
        ..ScalarCode::plain(quote!(#from(__g.f64_in(#lo, #hi))))
    }
}

fn uuid_code(ty: &Type, uniqueness: Uniqueness) -> ScalarCode {
    let s = quote!(::testdata::__private::sample);
    let bits =
        unique_or(uniqueness, quote!(#s::unique_uuid_bits(&mut __g, u)), quote!(#s::uuid_bits(&mut __g)));
    ScalarCode::plain(
        quote!({ let (__h, __l) = #bits; <#ty as ::testdata::__private::values::FromUuid>::from_bits(__h, __l) }),
    )
}

/// A kind: its length fit checked at compile time, drawn in the record's scope (or the
/// field's locale), made unique by a tag when asked.
fn kind_code(
    sc: &Scalar,
    name: &str,
    (min, max): (Option<usize>, Option<usize>),
    span: Span,
    parent: &TokenStream,
    field_level: bool,
    uniqueness: Uniqueness,
) -> ScalarCode {
    let ty = &sc.ty;
    let s = quote!(::testdata::__private::sample);
    let kp = kind_path(name);
    let f = format_ident!("{}", name);
    let (mn, mx) = (opt_usize(min), opt_usize(max));
    let msg = format!("kind `{name}` cannot meet the length bounds");
    let pre = quote_spanned! {span=>
        const __FIT: ::core::option::Option<(usize, usize)> = match #s::kind_fit(#kp, #mn, #mx) {
            ::core::result::Result::Ok(f) => f,
            ::core::result::Result::Err(_) => panic!(#msg),
        };
    };
    let from = quote!(<#ty as ::testdata::__private::values::FromText>::from_text);
    let scope = match sc.locale {
        Some(l) => {
            let l = format_ident!("{}", l);
            quote!(let __lctx = __env.ctx.clone().with_locale(::testdata::Locale::#l); let __scope = &::testdata::__private::Scope::new(#parent, &__lctx);)
        }
        // A field of the record: the record's scope, shared by its fields (`__scope`).
        None if field_level => TokenStream::new(),
        None => quote!(let __scope = &::testdata::__private::Scope::new(#parent, __env.ctx);),
    };
    let drawn = quote!(::testdata::__private::kinds::#f(&mut __g, __scope));
    let make = match uniqueness {
        Uniqueness::Unique if name == "uuid" => unique_or(
            uniqueness,
            quote!({ let (__h, __l) = #s::unique_uuid_bits(&mut __g, u); #s::uuid_string(__h, __l) }),
            drawn,
        ),
        Uniqueness::Unique => quote!({
            let mut __s = #drawn;
            if let ::core::option::Option::Some(u) = __u { #s::tag_unique(&mut __s, u, #s::unique_sep(#kp)); }
            __s
        }),
        Uniqueness::Free => drawn,
    };
    ScalarCode {
        pre,
        space: quote!(u64::MAX),
        edge: Some(quote!(#s::edge_kind(&mut __ge, #kp, __FIT).map(#from))),
        value: quote!({
            #scope
            let mut __s = #make;
            if let ::core::option::Option::Some((__a, __b)) = __FIT { #s::fit_len(&mut __s, __a, __b, &mut __g); }
            #from(__s)
        }),
    }
}

fn text_code(ty: &Type, min: usize, max: usize, sentence: bool) -> ScalarCode {
    let s = quote!(::testdata::__private::sample);
    let from = quote!(<#ty as ::testdata::__private::values::FromText>::from_text);
    ScalarCode {
        edge: Some(quote!(::core::option::Option::Some(#from(#s::edge_text(&mut __ge, #min, #max))))),
        ..ScalarCode::plain(quote!(#from(#s::text(&mut __g, #min, #max, #sentence))))
    }
}

fn pattern_code(ty: &Type, fo: &FieldOut) -> ScalarCode {
    let pf = fo.pattern_fn.as_ref();
    ScalarCode::plain(quote!(<#ty as ::testdata::__private::values::FromText>::from_text(match #pf() {
        ::core::option::Option::Some(p) => p.generate(&mut __g),
        ::core::option::Option::None => ::std::string::String::new(),
    })))
}

fn format_code(ty: &Type, fo: &FieldOut, uniqueness: Uniqueness) -> ScalarCode {
    let tf = fo.template_fn.as_ref();
    let u = match uniqueness {
        Uniqueness::Unique => quote!(__u),
        Uniqueness::Free => quote!(::core::option::Option::None),
    };
    ScalarCode {
        space: quote!(#tf().and_then(|t| t.space()).unwrap_or(u64::MAX)),
        ..ScalarCode::plain(quote!(<#ty as ::testdata::__private::values::FromText>::from_text(match #tf() {
            ::core::option::Option::Some(t) => t.render(&mut __g, __env.ctx, __env.index, #u, &|_| ::core::option::Option::None),
            ::core::option::Option::None => ::std::string::String::new(),
        })))
    }
}

/// `one_of`: the values as a const table `__V` (declared by `table`), chosen by the
/// cumulative weights `__C`; `wrap` turns `__V[i]` into the field's value.
fn one_of_code(
    table: TokenStream,
    cumulative: &[u64],
    n: usize,
    wrap: impl Fn(TokenStream) -> TokenStream,
    uniqueness: Uniqueness,
) -> ScalarCode {
    let s = quote!(::testdata::__private::sample);
    let n = n as u64;
    let i = unique_or(uniqueness, quote!(u as usize), quote!(__g.weighted(__C)));
    let edge = wrap(quote!(__V[#s::edge_choice(&mut __ge, __C)]));
    ScalarCode {
        pre: quote!(const __V: #table; const __C: &[u64] = &[#(#cumulative),*];),
        space: quote!(#n),
        edge: Some(quote!(::core::option::Option::Some(#edge))),
        value: wrap(quote!(__V[#i])),
    }
}

fn date_code(
    ty: &Type,
    lo: &Option<TimeBound>,
    hi: &Option<TimeBound>,
    default: &TimeDefault,
    uniqueness: Uniqueness,
) -> ScalarCode {
    let s = quote!(::testdata::__private::sample);
    let from = quote!(<#ty as ::testdata::__private::values::FromDay>::from_day);
    let mut pre = time_range(lo, hi, default, quote!(__env.ctx));
    pre.extend(quote!(let (__dl, __dh) = #s::day_range(__lo, __hi);));
    let v = unique_or(uniqueness, quote!(__dl + u as i64), quote!(#s::date_in(&mut __g, __dl, __dh)));
    ScalarCode {
        pre,
        space: quote!((__dh - __dl + 1).max(1) as u64),
        edge: Some(quote!(::core::option::Option::Some(#from(
            #s::edge_date(&mut __ge, __dl * ::testdata::time::DAY, __dh * ::testdata::time::DAY))))),
        value: quote!(#from(#v)),
    }
}

fn instant_code(
    ty: &Type,
    lo: &Option<TimeBound>,
    hi: &Option<TimeBound>,
    default: &TimeDefault,
    uniqueness: Uniqueness,
) -> ScalarCode {
    let s = quote!(::testdata::__private::sample);
    let from = quote!(<#ty as ::testdata::__private::values::FromInstant>::from_unix);
    let v = unique_or(uniqueness, quote!(__lo + u as i64), quote!(__g.i64_in(__lo, __hi.max(__lo))));
    ScalarCode {
        pre: time_range(lo, hi, default, quote!(__env.ctx)),
        space: quote!((__hi - __lo + 1).max(1) as u64),
        edge: Some(quote!(::core::option::Option::Some(#from(#s::edge_datetime(&mut __ge, __lo, __hi))))),
        value: quote!(#from(#v)),
    }
}

// ---------------------------------------------------------------------------------------------
// checks

fn check_field(f: &Field<'_>, fo: &FieldOut, value: TokenStream) -> TokenStream {
    let name = &f.name;
    let FieldPlan::Shape(s) = &fo.plan else { return TokenStream::new() };
    let inner = check_shape(s, quote!(__v), quote!(&__p), fo);
    quote!({
        let __v = #value;
        let __p = ::testdata::__private::Path::Field(__path, #name);
        #inner
    })
}

fn check_shape(s: &Shape, v: TokenStream, path: TokenStream, fo: &FieldOut) -> TokenStream {
    let c = quote!(::testdata::__private::values::check);
    match s {
        Shape::Scalar(sc) => check_scalar(sc, v, path, fo),
        Shape::Option(_, inner) => {
            let i = check_shape(inner, quote!(__x), path, fo);
            quote!(if let ::core::option::Option::Some(__x) = #v { #i })
        }
        Shape::Vec(min, max, inner) => {
            let i = check_shape(inner, quote!(__x), quote!(&__q), fo);
            quote!({
                #c::len(__out, #path, #v.len(), #min, #max);
                for (__j, __x) in #v.iter().enumerate() {
                    let __q = ::testdata::__private::Path::Index(#path, __j);
                    #i
                }
            })
        }
        Shape::Array(_, inner) => {
            let i = check_shape(inner, quote!(__x), quote!(&__q), fo);
            quote!(for (__j, __x) in #v.iter().enumerate() {
                let __q = ::testdata::__private::Path::Index(#path, __j);
                #i
            })
        }
        Shape::Boxed(inner) => {
            let i = check_shape(inner, quote!(__b), path, fo);
            quote!({ let __b = &**#v; #i })
        }
        Shape::Map(min, max, _, val) => {
            let i = check_shape(val, quote!(__x), quote!(&__q), fo);
            quote!({
                #c::len(__out, #path, #v.len(), #min, #max);
                for (__j, __x) in #v.values().enumerate() {
                    let __q = ::testdata::__private::Path::Index(#path, __j);
                    #i
                }
            })
        }
        Shape::Tuple(elems) => {
            let cs = elems.iter().enumerate().map(|(i, e)| {
                let idx = syn::Index::from(i);
                check_shape(e, quote!((&#v.#idx)), path.clone(), fo)
            });
            quote!({ #(#cs)* })
        }
        Shape::Nested(t) => quote!(<#t as ::testdata::TestData>::check(#v, #path, __ctx, __out);),
        Shape::Duration => TokenStream::new(),
    }
}

fn check_scalar(sc: &Scalar, v: TokenStream, path: TokenStream, fo: &FieldOut) -> TokenStream {
    let ty = &sc.ty;
    let c = quote!(::testdata::__private::values::check);
    let s = quote!(::testdata::__private::sample);
    let text = quote!(&<#ty as ::testdata::__private::values::FromText>::as_text(#v));
    match &sc.how {
        ScalarRule::Int { lo, hi } => {
            quote!(#c::int(__out, #path, ::testdata::__private::values::FromInt::to_i128(*#v), #lo, #hi);)
        }
        ScalarRule::Float { lo, hi } => {
            quote!(#c::float(__out, #path, ::testdata::__private::values::FromFloat::to_f64(*#v), #lo, #hi);)
        }
        ScalarRule::Units { lo, hi, scale } => {
            quote!(#c::units(__out, #path, ::testdata::__private::values::FromUnits::to_parts(#v), #lo, #hi, #scale);)
        }
        ScalarRule::Bool | ScalarRule::Uuid => TokenStream::new(),
        ScalarRule::Kind { name, min, max, .. } => {
            let kp = kind_path(name);
            let (mn, mx) = (opt_usize(*min), opt_usize(*max));
            quote!({
                let __fit = match #s::kind_fit(#kp, #mn, #mx) { ::core::result::Result::Ok(f) => f, ::core::result::Result::Err(_) => ::core::option::Option::None };
                #c::kind(__out, #path, #text, #kp, __fit);
            })
        }
        ScalarRule::Text { min, max, .. } => quote!(#c::text(__out, #path, #text, #min, #max);),
        ScalarRule::Pattern { .. } => {
            let pf = fo.pattern_fn.as_ref();
            quote!(#c::pattern(__out, #path, #text, #pf());)
        }
        ScalarRule::Format { .. } => {
            let tf = fo.template_fn.as_ref();
            quote!(#c::template(__out, #path, #text, #tf(), __ctx);)
        }
        ScalarRule::OneOfStr { values, .. } => quote!({
            const __V: &[&str] = &[#(#values),*];
            let __t = #text;
            #c::one_of(__out, #path, __V.contains(&&**__t), __t);
        }),
        ScalarRule::OneOfInt { values, .. } => quote!({
            const __V: &[i64] = &[#(#values),*];
            let __i = ::testdata::__private::values::FromInt::to_i128(*#v);
            #c::one_of(__out, #path, __V.iter().any(|x| *x as i128 == __i), &__i);
        }),
        ScalarRule::Instant { lo, hi, default, date } => {
            let tr = time_range(lo, hi, default, quote!(__ctx));
            if *date {
                quote!({
                    #tr
                    let (__dl, __dh) = #s::day_range(__lo, __hi);
                    #c::time(__out, #path, ::testdata::__private::values::FromDay::to_day(#v), __dl, __dh.max(__dl), true);
                })
            } else {
                quote!({
                    #tr
                    #c::time(__out, #path, ::testdata::__private::values::FromInstant::to_unix(#v), __lo, __hi.max(__lo), false);
                })
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// schema

fn some<T: quote::ToTokens>(v: T) -> TokenStream {
    quote!(::core::option::Option::Some(#v))
}

fn json(v: TokenStream) -> TokenStream {
    quote!(::core::option::Option::Some(::testdata::__private::Value::from(#v)))
}

fn tb_json(b: &Option<TimeBound>) -> TokenStream {
    match b {
        Some(TimeBound::At(t)) => json(quote!(#t)),
        Some(TimeBound::Now(d)) => {
            let s = format!("{d:+}s");
            json(quote!(#s))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn units_text(u: i64, scale: u32) -> String {
    let neg = u < 0;
    let a = u.unsigned_abs();
    let p = 10u64.pow(scale);
    let s = if scale == 0 { format!("{a}") } else { format!("{}.{:0w$}", a / p, a % p, w = scale as usize) };
    if neg { format!("-{s}") } else { s }
}

fn def_field(f: &Field<'_>, fo: &FieldOut) -> TokenStream {
    let name = &f.name;
    let body = match &fo.plan {
        FieldPlan::Shape(s) => def_shape(s),
        FieldPlan::Value(syn::Expr::Lit(l)) if !matches!(l.lit, syn::Lit::ByteStr(_) | syn::Lit::Byte(_)) => {
            let lit = &l.lit;
            let v = json(quote!(#lit));
            quote!(::testdata::schema::FieldDef { value: #v, ..::core::default::Default::default() })
        }
        _ => quote!(::testdata::schema::FieldDef {
            ty: ::core::option::Option::Some(::testdata::schema::FieldType::Json),
            ..::core::default::Default::default()
        }),
    };
    quote!({
        let mut __d: ::testdata::schema::FieldDef = #body;
        __d.name = ::std::string::String::from(#name);
        __d
    })
}

fn def_shape(s: &Shape) -> TokenStream {
    let ft = quote!(::testdata::schema::FieldType);
    let fd = quote!(::testdata::schema::FieldDef);
    let dflt = quote!(..::core::default::Default::default());
    match s {
        Shape::Scalar(sc) => def_scalar(sc),
        Shape::Option(p, inner) => {
            let i = def_shape(inner);
            quote!({ let mut __i: #fd = #i; __i.optional = ::core::option::Option::Some(#p); __i })
        }
        Shape::Vec(min, max, inner) => {
            let i = def_shape(inner);
            let (min, max) = (some(min), some(max));
            quote!(#fd { ty: ::core::option::Option::Some(#ft::Array), items: ::core::option::Option::Some(::std::boxed::Box::new(#i)), min_items: #min, max_items: #max, #dflt })
        }
        Shape::Array(n, inner) => {
            let i = def_shape(inner);
            quote!(#fd { ty: ::core::option::Option::Some(#ft::Array), items: ::core::option::Option::Some(::std::boxed::Box::new(#i)),
                min_items: ::core::option::Option::Some(#n), max_items: ::core::option::Option::Some(#n), #dflt })
        }
        Shape::Boxed(inner) => def_shape(inner),
        Shape::Map(..) | Shape::Tuple(_) => {
            quote!(#fd { ty: ::core::option::Option::Some(#ft::Json), #dflt })
        }
        Shape::Nested(t) => quote!(<#t as ::testdata::TestData>::field_def()),
        Shape::Duration => {
            let (z, d, n) = (json(quote!(0i64)), json(quote!(86_400i64)), json(quote!(999_999_999i64)));
            quote!(#fd {
                ty: ::core::option::Option::Some(#ft::Object),
                fields: ::core::option::Option::Some(::std::vec![
                    #fd { name: "secs".into(), ty: ::core::option::Option::Some(#ft::Integer), min: #z, max: #d, #dflt },
                    #fd { name: "nanos".into(), ty: ::core::option::Option::Some(#ft::Integer), min: #z, max: #n, #dflt },
                ]),
                #dflt
            })
        }
    }
}

fn def_scalar(sc: &Scalar) -> TokenStream {
    let ft = quote!(::testdata::schema::FieldType);
    let fd = quote!(::testdata::schema::FieldDef);
    let dflt = quote!(..::core::default::Default::default());
    let unique = sc.unique;
    let none = quote!(::core::option::Option::None);
    let locale = match sc.locale {
        Some(l) => {
            let tag = match l {
                "FrFr" => "fr_FR",
                "DeDe" => "de_DE",
                "PtBr" => "pt_BR",
                "JaJp" => "ja_JP",
                _ => "en",
            };
            quote!(::core::option::Option::Some(::std::string::String::from(#tag)))
        }
        None => none.clone(),
    };
    match &sc.how {
        ScalarRule::Int { lo, hi } => {
            let (l, h) = (json(quote!(#lo)), json(quote!(#hi)));
            quote!(#fd { ty: ::core::option::Option::Some(#ft::Integer), min: #l, max: #h, unique: #unique, #dflt })
        }
        ScalarRule::Float { lo, hi } => {
            let (l, h) = (json(quote!(#lo)), json(quote!(#hi)));
            quote!(#fd { ty: ::core::option::Option::Some(#ft::Float), min: #l, max: #h, #dflt })
        }
        ScalarRule::Units { lo, hi, scale } => {
            let (l, h) = (units_text(*lo, *scale), units_text(*hi, *scale));
            let (l, h) = (json(quote!(#l)), json(quote!(#h)));
            let sc = *scale as u8;
            quote!(#fd { ty: ::core::option::Option::Some(#ft::Decimal), min: #l, max: #h, scale: ::core::option::Option::Some(#sc), unique: #unique, #dflt })
        }
        ScalarRule::Bool => quote!(#fd { ty: ::core::option::Option::Some(#ft::Boolean), #dflt }),
        ScalarRule::Uuid => {
            quote!(#fd { ty: ::core::option::Option::Some(#ft::Uuid), unique: #unique, #dflt })
        }
        ScalarRule::Kind { name, min, max, .. } => {
            let (mn, mx) = (opt_usize(*min), opt_usize(*max));
            quote!(#fd { ty: ::core::option::Option::Some(#ft::String), kind: ::core::option::Option::Some(::std::string::String::from(#name)),
                min_length: #mn, max_length: #mx, unique: #unique, locale: #locale, #dflt })
        }
        ScalarRule::Text { min, max, .. } => {
            quote!(#fd { ty: ::core::option::Option::Some(#ft::String), min_length: ::core::option::Option::Some(#min), max_length: ::core::option::Option::Some(#max), #dflt })
        }
        ScalarRule::Pattern { src, min, max } => {
            let (mn, mx) = (opt_usize(*min), opt_usize(*max));
            quote!(#fd { ty: ::core::option::Option::Some(#ft::String), pattern: ::core::option::Option::Some(::std::string::String::from(#src)), min_length: #mn, max_length: #mx, #dflt })
        }
        ScalarRule::Format { src } => {
            quote!(#fd { ty: ::core::option::Option::Some(#ft::String), format: ::core::option::Option::Some(::std::string::String::from(#src)), unique: #unique, #dflt })
        }
        ScalarRule::OneOfStr { values, cumulative } => {
            let w = weights(cumulative);
            quote!(#fd { ty: ::core::option::Option::Some(#ft::String), values: ::core::option::Option::Some(::std::vec![#(::testdata::__private::Value::from(#values)),*]), weights: #w, unique: #unique, #dflt })
        }
        ScalarRule::OneOfInt { values, cumulative } => {
            let w = weights(cumulative);
            quote!(#fd { ty: ::core::option::Option::Some(#ft::Integer), values: ::core::option::Option::Some(::std::vec![#(::testdata::__private::Value::from(#values)),*]), weights: #w, unique: #unique, #dflt })
        }
        ScalarRule::Instant { lo, hi, date, .. } => {
            let t = if *date { quote!(#ft::Date) } else { quote!(#ft::Datetime) };
            let (l, h) = (tb_json(lo), tb_json(hi));
            quote!(#fd { ty: ::core::option::Option::Some(#t), min: #l, max: #h, unique: #unique, #dflt })
        }
    }
}

fn weights(cumulative: &[u64]) -> TokenStream {
    let mut prev = 0;
    let ws: Vec<u32> = cumulative
        .iter()
        .map(|c| {
            let w = c - prev;
            prev = *c;
            w as u32
        })
        .collect();
    if ws.iter().all(|w| *w == 1) {
        quote!(::core::option::Option::None)
    } else {
        quote!(::core::option::Option::Some(::std::vec![#(#ws),*]))
    }
}

// ---------------------------------------------------------------------------------------------
// structs and enums

fn finish_call(inp: &Input<'_>) -> TokenStream {
    match &inp.attrs.finish {
        Some(f) => {
            let p = &f.v;
            quote_spanned!(f.span=> let __finish: fn(&mut Self) = #p; __finish(&mut __v);)
        }
        None => TokenStream::new(),
    }
}

fn finish_call_for(inp: &Input<'_>, ty: &TokenStream) -> TokenStream {
    match &inp.attrs.finish {
        Some(f) => {
            let p = &f.v;
            quote_spanned!(f.span=> let __finish: fn(&mut #ty) = #p; __finish(&mut __v);)
        }
        None => TokenStream::new(),
    }
}

fn schema_def(inp: &Input<'_>, fields: TokenStream) -> TokenStream {
    let name = type_name(inp);
    let locale = match &inp.attrs.locale {
        Some(l) => {
            let tag = &l.v;
            some(quote!(::std::string::String::from(#tag)))
        }
        None => quote!(::core::option::Option::None),
    };
    let rules = match &inp.attrs.finish {
        Some(f) => {
            let p = &f.v;
            let r =
                format!("finish: {} makes fields agree after they are drawn", quote!(#p)).replace(' ', "");
            quote!(::std::vec![::std::string::String::from(#r)])
        }
        None => quote!(::std::vec::Vec::new()),
    };
    quote!(::testdata::schema::SchemaDef {
        name: ::std::string::String::from(#name),
        key: ::core::option::Option::Some(::std::string::String::from(#name)),
        domain: ::core::option::Option::None,
        description: ::core::option::Option::None,
        locale: #locale,
        rules: #rules,
        fields: #fields,
    })
}

fn expand_struct(
    inp: &Input<'_>,
    style: Style,
    fields: &[Field<'_>],
    locale: Option<&'static str>,
    cx: &mut SharedItems,
) -> Result<TokenStream> {
    let ident = inp.ident;
    let name = type_name(inp);
    let g = with_bounds(inp);
    let (impl_g, ty_g, where_c) = g.split_for_impl();
    let outs: Vec<FieldOut> = fields.iter().map(|f| resolve(f, locale, cx)).collect::<Result<_>>()?;
    let key = quote!(__key);
    let mut field_fns = Vec::new();
    let mut inits = Vec::new();
    let mut checks = Vec::new();
    let mut defs = Vec::new();
    for (f, fo) in fields.iter().zip(&outs) {
        let ty = f.ty;
        let fname = format_ident!("__testdata_field_{}", f.name);
        let gen_e = gen_field(f, fo, &key);
        field_fns.push(quote! {
            #[doc(hidden)]
            #[inline]
            pub fn #fname(
                __key: ::testdata::Key,
                __env: &::testdata::__private::Env<'_>,
                __scope: &::testdata::__private::Scope<'_>,
            ) -> #ty {
                #gen_e
            }
        });
        let m = &f.member;
        inits.push(quote!(#m: Self::#fname(__key, __env, __scope)));
        checks.push(check_field(f, fo, quote!(&self.#m)));
        defs.push(def_field(f, fo));
    }
    let construct = match style {
        Style::Unit => quote!(Self),
        _ => quote!(Self { #(#inits),* }),
    };
    let finish = finish_call(inp);
    let sdef = schema_def(inp, quote!(::std::vec![#(#defs),*]));
    let builder = if inp.generics.params.is_empty() && style == Style::Named {
        builder(inp, fields)
    } else {
        TokenStream::new()
    };
    Ok(quote! {
        impl #impl_g #ident #ty_g #where_c {
            #(#field_fns)*
            #[doc(hidden)]
            #[inline]
            pub fn __testdata_fields(__key: ::testdata::Key, __env: &::testdata::__private::Env<'_>) -> Self {
                let __scope = &::testdata::__private::Scope::new(__key, __env.ctx);
                #construct
            }
        }
        impl #impl_g ::testdata::TestData for #ident #ty_g #where_c {
            const NAME: &'static str = #name;
            const KEY: u64 = ::testdata::seed::name_key(#name);
            #[inline]
            fn generate(__key: ::testdata::Key, __env: &::testdata::__private::Env<'_>) -> Self {
                let mut __v = Self::__testdata_fields(__key, __env);
                #finish
                __v
            }
            fn schema_def() -> ::testdata::schema::SchemaDef {
                #sdef
            }
            fn check(
                &self,
                __path: &::testdata::__private::Path<'_>,
                __ctx: &::testdata::Context,
                __out: &mut ::std::vec::Vec<::testdata::constraint::Violation>,
            ) {
                #(#checks)*
            }
        }
        #builder
    })
}

fn is_string(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "String" && s.arguments.is_empty()))
}

fn builder(inp: &Input<'_>, fields: &[Field<'_>]) -> TokenStream {
    let ident = inp.ident;
    let bname = format_ident!("{}Builder", ident);
    let vis = quote!(pub);
    let doc = format!(
        "Builds [`{ident}`] values with some fields fixed or generated your way; the other fields keep the values `{ident}::nth` gives them."
    );
    let mut slots = Vec::new();
    let mut nones = Vec::new();
    let mut setters = Vec::new();
    let mut inits = Vec::new();
    for f in fields {
        let ty = f.ty;
        let syn::Member::Named(m) = &f.member else { continue };
        let name = &f.name;
        let with = format_ident!("with_{}", name);
        let fname = format_ident!("__testdata_field_{}", name);
        slots.push(quote!(#m: ::core::option::Option<::testdata::__private::Override<#ty>>));
        nones.push(quote!(#m: ::core::option::Option::None));
        let d1 = format!("Every record gets this `{name}`.");
        let d2 = format!("`{name}` comes from `f`, called with the field's own stream.");
        let fixed = if is_string(ty) {
            quote! {
                #[doc = #d1]
                pub fn #m(mut self, v: impl ::core::convert::Into<::std::string::String>) -> Self {
                    self.#m = ::core::option::Option::Some(::testdata::__private::Override::value(v.into()));
                    self
                }
            }
        } else {
            // The argument has the field's type (so `.into()`, `Default::default()` and
            // `collect()` infer it); the `Clone` bound is on `__V`, which `T: Same<__V>` makes
            // `T` itself: it is checked where the setter is called, not when the struct derives.
            quote! {
                #[doc = #d1]
                pub fn #m<__V>(mut self, v: #ty) -> Self
                where
                    #ty: ::testdata::__private::Same<__V>,
                    __V: ::testdata::__private::Same<#ty> + ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync + 'static,
                {
                    let v: __V = ::testdata::__private::Same::same(v);
                    self.#m = ::core::option::Option::Some(::testdata::__private::Override::with(move |_| {
                        ::testdata::__private::Same::same(::core::clone::Clone::clone(&v))
                    }));
                    self
                }
            }
        };
        setters.push(quote! {
            #fixed
            #[doc = #d2]
            pub fn #with(mut self, f: impl Fn(&mut ::testdata::Gen) -> #ty + Send + Sync + 'static) -> Self {
                self.#m = ::core::option::Option::Some(::testdata::__private::Override::with(f));
                self
            }
        });
        let k = const_name_key(name);
        inits.push(quote!(#m: match &self.#m {
            ::core::option::Option::Some(o) => o.produce(&mut __key.field(#k)),
            ::core::option::Option::None => #ident::#fname(__key, &__env, __scope),
        }));
    }
    let finish = finish_call_for(inp, &quote!(#ident));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Default)]
        #vis struct #bname {
            #(#slots,)*
        }
        impl #ident {
            /// A builder of records with some fields fixed or generated your way.
            pub fn builder() -> #bname {
                #bname { #(#nones,)* }
            }
        }
        impl #bname {
            #(#setters)*
            /// Record 0 of the stream of `seed`, with the overrides.
            pub fn build(&self, seed: impl ::core::convert::Into<::testdata::Seed>) -> #ident {
                self.build_nth(seed, 0)
            }
            /// Record `index` of the stream of `seed`, with the overrides.
            pub fn build_nth(&self, seed: impl ::core::convert::Into<::testdata::Seed>, index: u64) -> #ident {
                let seed = seed.into();
                let __k = <#ident as ::testdata::TestData>::KEY;
                let __env = ::testdata::__private::Env::root(&::testdata::__private::DEFAULT_CONTEXT, seed, __k, index);
                let __key = ::testdata::Key::root(seed, __k, index);
                let __scope = &::testdata::__private::Scope::new(__key, __env.ctx);
                let mut __v = #ident { #(#inits,)* };
                #finish
                __v
            }
            /// Records `0..n` of the stream of `seed`, with the overrides.
            pub fn batch(&self, seed: impl ::core::convert::Into<::testdata::Seed>, n: usize) -> ::std::vec::Vec<#ident> {
                let seed = seed.into();
                (0..n as u64).map(|i| self.build_nth(seed, i)).collect()
            }
        }
    }
}

fn expand_enum(
    inp: &Input<'_>,
    variants: &[Variant<'_>],
    locale: Option<&'static str>,
    cx: &mut SharedItems,
) -> Result<TokenStream> {
    let ident = inp.ident;
    let name = type_name(inp);
    let g = with_bounds(inp);
    let (impl_g, ty_g, where_c) = g.split_for_impl();
    let cumulative = variant_weights(variants)?;
    let unit_only = variants.iter().all(|v| v.style == Style::Unit);
    let mut arms = Vec::new();
    let mut check_arms = Vec::new();
    let mut edge_arms = Vec::new();
    for (i, v) in variants.iter().enumerate() {
        let outs: Vec<FieldOut> = v.fields.iter().map(|f| resolve(f, locale, cx)).collect::<Result<_>>()?;
        let vid = v.ident;
        arms.push(variant_generate_arm(ident, i, v, &outs));
        edge_arms.push(quote!(#i => #ident::#vid,));
        check_arms.push(variant_check_arm(ident, v, &outs));
    }
    let last = variants.len() - 1;
    arms.push(quote!(_ => { let _ = #last; unreachable!() }));
    let field_def = enum_field_def(variants, &cumulative, unit_only);
    let edge = if unit_only {
        quote!(fn edge(__g: &mut ::testdata::Gen) -> ::core::option::Option<Self> {
            const __C: &[u64] = &[#(#cumulative),*];
            ::core::option::Option::Some(match ::testdata::__private::sample::edge_choice(__g, __C) { #(#edge_arms)* _ => return ::core::option::Option::None })
        })
    } else {
        TokenStream::new()
    };
    let sdef = schema_def(
        inp,
        quote!(::std::vec![{
            let mut __d = <Self as ::testdata::TestData>::field_def();
            __d.name = ::std::string::String::from("value");
            __d
        }]),
    );
    let finish = finish_call(inp);
    Ok(quote! {
        impl #impl_g ::testdata::TestData for #ident #ty_g #where_c {
            const NAME: &'static str = #name;
            const KEY: u64 = ::testdata::seed::name_key(#name);
            fn generate(__key: ::testdata::Key, __env: &::testdata::__private::Env<'_>) -> Self {
                const __C: &[u64] = &[#(#cumulative),*];
                let mut __v = match __key.stream().weighted(__C) {
                    #(#arms)*
                };
                #finish
                __v
            }
            fn schema_def() -> ::testdata::schema::SchemaDef {
                #sdef
            }
            fn field_def() -> ::testdata::schema::FieldDef {
                #field_def
            }
            fn check(
                &self,
                __path: &::testdata::__private::Path<'_>,
                __ctx: &::testdata::Context,
                __out: &mut ::std::vec::Vec<::testdata::constraint::Violation>,
            ) {
                match self { #(#check_arms)* }
            }
            #edge
        }
    })
}

/// The cumulative weights of the variants (`weight = N`, default 1); variants take no other
/// attribute, and at least one weight must be positive.
fn variant_weights(variants: &[Variant<'_>]) -> Result<Vec<u64>> {
    let mut cumulative = Vec::new();
    let mut acc = 0u64;
    for v in variants {
        for (k, sp) in &v.attrs.given {
            if *k != "weight" {
                return Err(Error::new(
                    *sp,
                    format!("`{k}` does not apply to an enum variant; variants take `weight = N`"),
                ));
            }
        }
        acc += v.attrs.weight.as_ref().map(|w| w.v).unwrap_or(1);
        cumulative.push(acc);
    }
    if acc == 0 {
        return Err(Error::new(
            variants[0].ident.span(),
            "every variant has weight 0; give one a positive weight",
        ));
    }
    Ok(cumulative)
}

/// The `generate` arm of variant `index`: its fields keyed by the variant's name.
fn variant_generate_arm(ident: &syn::Ident, index: usize, v: &Variant<'_>, outs: &[FieldOut]) -> TokenStream {
    let vid = v.ident;
    let vkey = quote!(__vkey);
    let gens: Vec<TokenStream> = v.fields.iter().zip(outs).map(|(f, fo)| gen_field(f, fo, &vkey)).collect();
    let ctor = match v.style {
        Style::Unit => quote!(#ident::#vid),
        Style::Tuple => quote!(#ident::#vid(#(#gens),*)),
        Style::Named => {
            let ms = v.fields.iter().map(|f| &f.member);
            quote!(#ident::#vid { #(#ms: #gens),* })
        }
    };
    let vk = const_name_key(&vid.to_string());
    quote!(#index => {
        let __vkey = __key.child(#vk);
        let __scope = &::testdata::__private::Scope::new(__vkey, __env.ctx);
        #ctor
    })
}

/// The `check` arm of a variant: its fields checked under a path named for the variant.
fn variant_check_arm(ident: &syn::Ident, v: &Variant<'_>, outs: &[FieldOut]) -> TokenStream {
    let vid = v.ident;
    let vname = vid.to_string();
    let binds: Vec<syn::Ident> = (0..v.fields.len()).map(|j| format_ident!("__f{}", j)).collect();
    let cks: Vec<TokenStream> =
        v.fields.iter().zip(outs).zip(&binds).map(|((f, fo), b)| check_field(f, fo, quote!(#b))).collect();
    let pat = match v.style {
        Style::Unit => quote!(#ident::#vid),
        Style::Tuple => quote!(#ident::#vid(#(#binds),*)),
        Style::Named => {
            let ms = v.fields.iter().map(|f| &f.member);
            quote!(#ident::#vid { #(#ms: #binds),* })
        }
    };
    quote!(#pat => {
        let __vp = ::testdata::__private::Path::Field(__path, #vname);
        let __path = &__vp;
        #(#cks)*
    })
}

/// The enum as a field: a weighted `enum` of the variant names when every variant is a unit,
/// else free JSON.
fn enum_field_def(variants: &[Variant<'_>], cumulative: &[u64], unit_only: bool) -> TokenStream {
    if unit_only {
        let names = variants.iter().map(|v| v.ident.to_string());
        let w = weights(cumulative);
        quote!(::testdata::schema::FieldDef {
            ty: ::core::option::Option::Some(::testdata::schema::FieldType::Enum),
            values: ::core::option::Option::Some(::std::vec![#(::testdata::__private::Value::from(#names)),*]),
            weights: #w,
            ..::core::default::Default::default()
        })
    } else {
        quote!(::testdata::schema::FieldDef {
            ty: ::core::option::Option::Some(::testdata::schema::FieldType::Json),
            ..::core::default::Default::default()
        })
    }
}
