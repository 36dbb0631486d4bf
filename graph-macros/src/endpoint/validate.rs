//! Rules that need the whole endpoint model.

use super::model::{EndpointModel, Method, Role};
use crate::common::Errors;

pub fn validate(model: &EndpointModel, errors: &mut Errors) {
    let sig = &model.decl.sig;
    if sig.asyncness.is_none() {
        errors.at(sig.fn_token, "endpoint methods are `async fn`");
    }
    if let Some(block) = &model.decl.block {
        errors.at(
            block,
            "leave the body out (end the declaration with `;`): #[graph_endpoint] writes it",
        );
    }
    let body = model.params.iter().find(|p| matches!(p.role, Role::Body));
    match (model.method, body) {
        (Some(method @ (Method::Get | Method::Delete)), Some(body)) => errors.at(
            &body.ident,
            format!(
                "{} requests have no body; remove the `body` parameter",
                method.name()
            ),
        ),
        (Some(method @ (Method::Patch | Method::Put)), None) => errors.push(syn::Error::new(
            super::model::fn_span(model),
            format!(
                "{} needs a body: add a parameter `body: &T` with the entity to send",
                method.name()
            ),
        )),
        _ => {}
    }
    let queries = model
        .params
        .iter()
        .filter(|p| matches!(p.role, Role::Query { .. }))
        .count();
    if queries > 1 {
        errors.at(&sig.ident, "only one `Query` parameter is allowed");
    }
    let header_maps = model
        .params
        .iter()
        .filter(|p| matches!(p.role, Role::Headers))
        .count();
    if header_maps > 1 {
        errors.at(&sig.ident, "only one `&HeaderMap` parameter is allowed");
    }
}
