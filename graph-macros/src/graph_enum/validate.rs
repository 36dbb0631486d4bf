//! Rules that need the whole enum.

use super::model::EnumModel;
use crate::common::Errors;

pub fn validate(model: &EnumModel, errors: &mut Errors) {
    for (index, member) in model.members.iter().enumerate() {
        if !member.is_unit {
            errors.at(
                &member.ident,
                "Graph enum members are unit variants; the catch-all for unknown values is added by #[graph_enum]",
            );
        }
        if member.ident == model.fallback {
            errors.at(
                &member.ident,
                format!(
                    "`{}` is the name of the catch-all variant #[graph_enum] adds; rename this member or choose another catch-all with #[graph_enum(fallback = Other)]",
                    model.fallback
                ),
            );
        }
        if let Some(other) = model.members[..index]
            .iter()
            .find(|m| m.graph_name == member.graph_name)
        {
            errors.push(syn::Error::new(
                member.name_span,
                format!(
                    "`{}` and `{}` both stand for the Graph member `{}`",
                    other.ident, member.ident, member.graph_name
                ),
            ));
        }
    }
}
