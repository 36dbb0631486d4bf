//! What `#[graph_endpoint]` understood: the method, the parsed template, options, and the role
//! of each parameter. Building the model is also where every check happens (validate.rs holds
//! the rules that need the whole model).

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Block, Expr, FnArg, Ident, LitStr, Pat, Signature, Token, Type, Visibility};

use super::args::EndpointArgs;
use super::template::{self, Segment};
use crate::common::{CRATE, Errors, OptionSet, Spec, placeholder_argument, suggestion};

/// The declaration as written: a method signature, normally without a body.
pub struct EndpointFn {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    pub block: Option<Block>,
}

impl Parse for EndpointFn {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let block = if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
            None
        } else {
            Some(input.parse()?)
        };
        Ok(Self {
            attrs,
            vis,
            sig,
            block,
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

pub const METHODS: &[&str] = &["GET", "POST", "PATCH", "PUT", "DELETE"];

impl Method {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "GET" => Self::Get,
            "POST" => Self::Post,
            "PATCH" => Self::Patch,
            "PUT" => Self::Put,
            "DELETE" => Self::Delete,
            _ => return None,
        })
    }

    pub fn variant(self) -> &'static str {
        match self {
            Self::Get => "Get",
            Self::Post => "Post",
            Self::Patch => "Patch",
            Self::Put => "Put",
            Self::Delete => "Delete",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Patch => "PATCH",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }
}

pub enum Role {
    /// Fills the placeholder of the same (snake-case) name.
    Path,
    Body,
    Query {
        by_value: bool,
    },
    /// Extra request headers (`&HeaderMap`), e.g. `ConsistencyLevel` or `Prefer`.
    Headers,
}

pub struct Param {
    pub ident: Ident,
    pub ty: Type,
    pub role: Role,
}

pub struct EndpointModel {
    pub decl: EndpointFn,
    /// `None` when the method was not recognised (already reported).
    pub method: Option<Method>,
    pub method_ident: Ident,
    pub template: LitStr,
    pub segments: Vec<Segment>,
    /// False when the template had errors (already reported): placeholder checks are skipped.
    pub template_ok: bool,
    pub beta: bool,
    pub delegated: Vec<LitStr>,
    pub application: Vec<LitStr>,
    pub clouds: Vec<Ident>,
    pub params: Vec<Param>,
    pub response: Option<Type>,
    /// Where generated code finds the runtime.
    pub krate: syn::Path,
    /// What the documented example calls the method on (`example = "…"`); `api` by default.
    pub example_receiver: Option<LitStr>,
    /// The operation's name in metadata, traces and errors (`operation = "…"`); the method's
    /// name by default.
    pub operation: Option<LitStr>,
}

const PERMISSIONS: &str = "permissions";
const DELEGATED: &str = "delegated";
const APPLICATION: &str = "application";
const VERSION: &str = "version";
const CLOUDS_OPTION: &str = "clouds";
const EXAMPLE: &str = "example";
const OPERATION: &str = "operation";

const OPTIONS: &[Spec] = &[
    Spec {
        name: PERMISSIONS,
        form: "permissions = [\"…\"]",
    },
    Spec {
        name: DELEGATED,
        form: "delegated = [\"…\"]",
    },
    Spec {
        name: APPLICATION,
        form: "application = [\"…\"]",
    },
    Spec {
        name: VERSION,
        form: "version = \"beta\"",
    },
    Spec {
        name: CLOUDS_OPTION,
        form: "clouds = [Global, UsGov, UsGovDod, China]",
    },
    Spec {
        name: OPERATION,
        form: "operation = \"managed_devices.sync_device\"",
    },
    Spec {
        name: EXAMPLE,
        form: "example = \"client.intune().managed_devices()\"",
    },
    CRATE,
];
pub const CLOUDS: &[&str] = &["Global", "UsGov", "UsGovDod", "China"];

pub fn build(args: EndpointArgs, decl: EndpointFn, errors: &mut Errors) -> EndpointModel {
    let method = Method::from_name(&args.method.to_string());
    if method.is_none() {
        let name = args.method.to_string();
        let upper = name.to_ascii_uppercase();
        let hint = if METHODS.contains(&upper.as_str()) {
            format!("; did you mean `{upper}`?")
        } else {
            suggestion(&upper, METHODS)
        };
        errors.at(
            &args.method,
            format!(
                "unknown HTTP method `{name}`; expected one of GET, POST, PATCH, PUT, DELETE{hint}"
            ),
        );
    }
    let template = args
        .path
        .unwrap_or_else(|| LitStr::new("/", args.method.span()));
    let (segments, template_ok) = match template::parse(&template.value()) {
        Ok(segments) => (segments, true),
        Err(messages) => {
            for message in messages {
                errors.at(&template, message);
            }
            (Vec::new(), false)
        }
    };

    let mut model = EndpointModel {
        decl,
        method,
        method_ident: args.method,
        template,
        segments,
        template_ok,
        beta: false,
        delegated: Vec::new(),
        application: Vec::new(),
        clouds: Vec::new(),
        params: Vec::new(),
        response: None,
        krate: crate::common::default_crate(),
        example_receiver: None,
        operation: None,
    };
    read_options(&args.options, &mut model, errors);
    read_params(&mut model, errors);
    model.response = response_type(&model.decl.sig, errors);
    model
}

fn read_options(options: &[syn::MetaNameValue], model: &mut EndpointModel, errors: &mut Errors) {
    let mut set = OptionSet::new("graph_endpoint option", OPTIONS);
    for option in options {
        let name = match set.accept(&option.path) {
            Ok(name) => name,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        match name {
            PERMISSIONS => {
                let list = strings(&option.value, errors);
                model.delegated.extend(list.iter().cloned());
                model.application.extend(list);
            }
            DELEGATED => model.delegated.extend(strings(&option.value, errors)),
            APPLICATION => model.application.extend(strings(&option.value, errors)),
            VERSION => match string_literal(&option.value) {
                Some(s) if s.value() == "beta" => model.beta = true,
                Some(s) if s.value() == "v1.0" => model.beta = false,
                _ => errors.at(
                    &option.value,
                    "`version` is \"v1.0\" (the default) or \"beta\"",
                ),
            },
            CLOUDS_OPTION => match &option.value {
                Expr::Array(array) => {
                    for element in &array.elems {
                        match element {
                            Expr::Path(p)
                                if p.path
                                    .get_ident()
                                    .is_some_and(|i| CLOUDS.contains(&i.to_string().as_str())) =>
                            {
                                if let Some(ident) = p.path.get_ident() {
                                    model.clouds.push(ident.clone());
                                }
                            }
                            other => {
                                let text = quote::quote!(#other).to_string();
                                errors.at(
                                    other,
                                    format!(
                                        "unknown cloud `{text}`; expected Global, UsGov, UsGovDod or China{}",
                                        suggestion(&text, CLOUDS)
                                    ),
                                )
                            }
                        }
                    }
                }
                other => errors.at(
                    other,
                    "`clouds` is a list, e.g. clouds = [Global, UsGov, UsGovDod, China]",
                ),
            },
            OPERATION => match string_literal(&option.value) {
                Some(s) if !s.value().trim().is_empty() => model.operation = Some(s.clone()),
                _ => errors.at(
                    &option.value,
                    "`operation` is the operation's name in traces and errors, a non-empty string, e.g. operation = \"managed_devices.sync_device\"",
                ),
            },
            EXAMPLE => match string_literal(&option.value) {
                Some(s) if s.parse::<Expr>().is_ok() => model.example_receiver = Some(s.clone()),
                _ => errors.at(
                    &option.value,
                    "`example` is the expression the documented example calls the method on, as a string, e.g. example = \"client.intune().managed_devices()\"",
                ),
            },
            _ => match string_literal(&option.value) {
                Some(s) => match s.parse::<syn::Path>() {
                    Ok(path) => model.krate = path,
                    Err(error) => errors.push(error),
                },
                None => errors.at(
                    &option.value,
                    "`crate` is a string, e.g. crate = \"my_graph_core\"",
                ),
            },
        }
    }
    let permissions_given = [PERMISSIONS, DELEGATED, APPLICATION]
        .iter()
        .any(|name| set.given(name));
    // After an unreadable option, "no permissions" would only repeat that error.
    if !permissions_given && !set.failed {
        errors.at(
            &model.method_ident,
            "declare the permissions the endpoint needs, least privileged first: permissions = [\"…\"] (or delegated = [...], application = [...])",
        );
    }
}

/// The string literal an option's value is, if it is one.
fn string_literal(value: &Expr) -> Option<&LitStr> {
    match value {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s),
        _ => None,
    }
}

fn strings(value: &Expr, errors: &mut Errors) -> Vec<LitStr> {
    match value {
        Expr::Array(array) => array
            .elems
            .iter()
            .filter_map(|e| match string_literal(e) {
                Some(s) => Some(s.clone()),
                None => {
                    errors.at(
                        e,
                        "a permission is a string, e.g. \"DeviceManagementConfiguration.Read.All\"",
                    );
                    None
                }
            })
            .collect(),
        other => {
            errors.at(
                other,
                "expected a list of strings, e.g. [\"DeviceManagementConfiguration.Read.All\"]",
            );
            Vec::new()
        }
    }
}

fn read_params(model: &mut EndpointModel, errors: &mut Errors) {
    let sig = &model.decl.sig;
    let placeholders: Vec<(String, &str)> = model
        .segments
        .iter()
        .filter_map(Segment::placeholder_name)
        .map(|name| (placeholder_argument(name), name))
        .collect();
    let mut has_receiver = false;
    let mut params = Vec::new();
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => {
                let shared_ref = matches!(receiver.kind, syn::ReceiverKind::Reference(_, _, None));
                if !shared_ref || receiver.mutability.is_some() {
                    errors.at(receiver, "endpoint methods take `&self`");
                }
                has_receiver = true;
            }
            FnArg::Typed(typed) => {
                let Pat::Ident(pat) = &*typed.pat else {
                    errors.at(&typed.pat, "endpoint parameters are plain names, e.g. `device_compliance_policy_id: &DeviceCompliancePolicyId`");
                    continue;
                };
                let ident = pat.ident.clone();
                let name = ident.to_string();
                let role = if !model.template_ok {
                    // The template is broken; binding against it would only add noise.
                    continue;
                } else if placeholders.iter().any(|(snake, _)| *snake == name) {
                    Role::Path
                } else if name == "body" {
                    Role::Body
                } else if let Some(by_value) = query_type(&typed.ty) {
                    Role::Query { by_value }
                } else if is_header_map(&typed.ty) {
                    Role::Headers
                } else {
                    let list: Vec<String> = placeholders
                        .iter()
                        .map(|(_, p)| format!("{{{p}}}"))
                        .collect();
                    let snakes: Vec<&str> = placeholders.iter().map(|(s, _)| s.as_str()).collect();
                    errors.at(
                        &ident,
                        format!(
                            "parameter `{name}` is not used: it binds no placeholder of the path ({}), is not named `body`, and is not a `Query` or `&HeaderMap`{}",
                            if list.is_empty() { "none".to_string() } else { list.join(", ") },
                            suggestion(&name, &snakes)
                        ),
                    );
                    continue;
                };
                params.push(Param {
                    ident,
                    ty: (*typed.ty).clone(),
                    role,
                });
            }
        }
    }
    if !has_receiver {
        errors.at(
            &sig.ident,
            "endpoint methods take `&self` first, so they can reach the client",
        );
    }
    // An unused parameter was reported with the placeholder it likely meant: saying that the
    // placeholder lacks its parameter too would repeat the same mistake.
    let unused_reported = params.len() + usize::from(has_receiver) < sig.inputs.len();
    for (snake, placeholder) in &placeholders {
        if !unused_reported && !params.iter().any(|p| p.ident == snake.as_str()) {
            let names: Vec<String> = sig
                .inputs
                .iter()
                .filter_map(|i| match i {
                    FnArg::Typed(t) => match &*t.pat {
                        Pat::Ident(p) => Some(p.ident.to_string()),
                        _ => None,
                    },
                    FnArg::Receiver(_) => None,
                })
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            errors.at(
                &model.template,
                format!(
                    "placeholder `{{{placeholder}}}` needs a parameter named `{snake}`{}",
                    suggestion(snake, &names)
                ),
            );
        }
    }
    model.params = params;
}

/// `Some(by_value)` for `Query` / `&Query` (any path ending in `Query`).
fn query_type(ty: &Type) -> Option<bool> {
    let (ty, by_value) = match ty {
        Type::Reference(r) => (&*r.elem, false),
        other => (other, true),
    };
    match ty {
        Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Query") => {
            Some(by_value)
        }
        _ => None,
    }
}

/// `&HeaderMap` (any path ending in `HeaderMap`).
fn is_header_map(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => {
            matches!(&*r.elem, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "HeaderMap"))
        }
        _ => false,
    }
}

fn response_type(sig: &Signature, errors: &mut Errors) -> Option<Type> {
    let expected = "endpoint methods return graphwire_core::Result<T>, with T an entity, (), Option<T>, Vec<T>, Pages<T> or i64";
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        errors.at(&sig.ident, expected);
        return None;
    };
    let Type::Path(path) = &**ty else {
        errors.at(ty, expected);
        return None;
    };
    let last = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        errors.at(ty, expected);
        return None;
    };
    match (last.ident == "Result", args.args.first()) {
        (true, Some(syn::GenericArgument::Type(inner))) => Some(inner.clone()),
        _ => {
            errors.at(ty, expected);
            None
        }
    }
}

/// Where a method-level error without a better token is shown.
pub fn fn_span(model: &EndpointModel) -> Span {
    model.decl.sig.ident.span()
}
