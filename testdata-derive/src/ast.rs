//! The parsed model of the input type.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Result};

use crate::attr::{self, Attrs};

pub struct Input<'a> {
    pub ident: &'a syn::Ident,
    pub generics: &'a syn::Generics,
    pub attrs: Attrs,
    pub body: Body<'a>,
}

pub enum Body<'a> {
    Struct(Style, Vec<Field<'a>>),
    Enum(Vec<Variant<'a>>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Named,
    Tuple,
    Unit,
}

pub struct Field<'a> {
    /// `foo` for named fields, `0`, `1`, … for tuple fields (the stream name).
    pub name: String,
    pub member: syn::Member,
    pub ty: &'a syn::Type,
    pub attrs: Attrs,
    pub span: Span,
}

pub struct Variant<'a> {
    pub ident: &'a syn::Ident,
    pub style: Style,
    pub fields: Vec<Field<'a>>,
    pub attrs: Attrs,
}

fn fields(f: &Fields) -> Result<(Style, Vec<Field<'_>>)> {
    let style = match f {
        Fields::Named(_) => Style::Named,
        Fields::Unnamed(_) => Style::Tuple,
        Fields::Unit => Style::Unit,
    };
    let mut out = Vec::new();
    for (i, field) in f.iter().enumerate() {
        let (name, member) = match &field.ident {
            Some(id) => {
                let s = id.to_string();
                (s.strip_prefix("r#").unwrap_or(&s).to_string(), syn::Member::Named(id.clone()))
            }
            None => (i.to_string(), syn::Member::Unnamed(syn::Index::from(i))),
        };
        out.push(Field {
            name,
            member,
            ty: &field.ty,
            attrs: attr::parse(&field.attrs)?,
            span: field.span(),
        });
    }
    Ok((style, out))
}

impl<'a> Input<'a> {
    pub fn from_syn(input: &'a DeriveInput) -> Result<Input<'a>> {
        let attrs = attr::parse(&input.attrs)?;
        let body = match &input.data {
            Data::Struct(s) => {
                let (style, f) = fields(&s.fields)?;
                Body::Struct(style, f)
            }
            Data::Enum(e) => {
                if e.variants.is_empty() {
                    return Err(syn::Error::new(
                        input.ident.span(),
                        "an enum without variants has no values to generate",
                    ));
                }
                let mut vs = Vec::new();
                for v in &e.variants {
                    let (style, f) = fields(&v.fields)?;
                    vs.push(Variant { ident: &v.ident, style, fields: f, attrs: attr::parse(&v.attrs)? });
                }
                Body::Enum(vs)
            }
            Data::Union(u) => {
                return Err(syn::Error::new(
                    u.union_token.span,
                    "#[derive(TestData)] does not support unions",
                ));
            }
        };
        Ok(Input { ident: &input.ident, generics: &input.generics, attrs, body })
    }
}
