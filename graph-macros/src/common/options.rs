//! One parser for the options of every macro: an unknown option gets one error with the
//! accepted forms and a "did you mean", and a repeated option is always an error.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;

use super::errors::Errors;
use super::names::suggestion;

/// An option a macro accepts: its name and the form shown in error messages.
pub struct Spec {
    pub name: &'static str,
    pub form: &'static str,
}

/// `crate = "path"`: where generated code finds the runtime (every macro accepts it).
pub const CRATE: Spec = Spec {
    name: "crate",
    form: "crate = \"path::to::graphwire_core\"",
};

/// The options one macro (or one attribute) accepts, and those already seen.
pub struct OptionSet {
    what: &'static str,
    specs: &'static [Spec],
    seen: Vec<&'static str>,
    /// An option could not be read: checks that depend on the whole list stay quiet.
    pub failed: bool,
}

impl OptionSet {
    /// `what` names the options in messages, e.g. `graph_entity option`.
    pub fn new(what: &'static str, specs: &'static [Spec]) -> Self {
        Self {
            what,
            specs,
            seen: Vec::new(),
            failed: false,
        }
    }

    /// The name of the option `path` stands for; an error if it is unknown or repeated.
    pub fn accept(&mut self, path: &syn::Path) -> syn::Result<&'static str> {
        let name = path
            .get_ident()
            .map(ToString::to_string)
            .or_else(|| path.segments.last().map(|s| s.ident.to_string()))
            .unwrap_or_default();
        let name = name.trim_start_matches("r#");
        let Some(spec) = self.specs.iter().find(|s| s.name == name) else {
            self.failed = true;
            let forms: Vec<String> = self.specs.iter().map(|s| format!("`{}`", s.form)).collect();
            let names: Vec<&str> = self.specs.iter().map(|s| s.name).collect();
            let expected = match forms.as_slice() {
                [one] => one.clone(),
                _ => format!("one of {}", forms.join(", ")),
            };
            return Err(syn::Error::new_spanned(
                path,
                format!(
                    "unknown {} `{name}`; expected {expected}{}",
                    self.what,
                    suggestion(name, &names)
                ),
            ));
        };
        if self.seen.contains(&spec.name) {
            self.failed = true;
            return Err(syn::Error::new_spanned(
                path,
                format!("option `{}` is given twice", spec.name),
            ));
        }
        self.seen.push(spec.name);
        Ok(spec.name)
    }

    /// True when the option was given.
    pub fn given(&self, name: &str) -> bool {
        self.seen.contains(&name)
    }
}

/// Reads `a = …, b, …` (a macro's own arguments), calling `on` for each accepted option but
/// `crate = "…"`, which it reads itself; returns the runtime path (default `::graphwire_core`).
pub fn parse_args(
    tokens: TokenStream,
    set: &mut OptionSet,
    errors: &mut Errors,
    mut on: impl FnMut(&'static str, &ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Path {
    let mut krate = super::default_crate();
    let parser = syn::meta::parser(|meta| match set.accept(&meta.path)? {
        name if name == CRATE.name => {
            krate = crate_path(&meta)?;
            Ok(())
        }
        name => on(name, &meta),
    });
    if let Err(error) = parser.parse2(tokens) {
        set.failed = true;
        errors.push(error);
    }
    krate
}

/// Reads every `#[graph(...)]` among `attrs`, calling `on` for each accepted option.
pub fn parse_graph_attrs(
    attrs: &[syn::Attribute],
    set: &mut OptionSet,
    errors: &mut Errors,
    mut on: impl FnMut(&'static str, &ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("graph")) {
        let result = attr.parse_nested_meta(|meta| {
            let name = set.accept(&meta.path)?;
            on(name, &meta)
        });
        if let Err(error) = result {
            set.failed = true;
            errors.push(error);
        }
    }
}

/// The span of an option's name, for errors about it.
pub fn name_span(meta: &ParseNestedMeta<'_>) -> proc_macro2::Span {
    use syn::spanned::Spanned;
    meta.path.span()
}

/// Reads `crate = "path"`.
fn crate_path(meta: &ParseNestedMeta<'_>) -> syn::Result<syn::Path> {
    let lit: syn::LitStr = meta.value()?.parse()?;
    lit.parse()
}
