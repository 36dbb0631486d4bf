//! Rules that need the whole family.

use super::model::FamilyModel;
use crate::common::Errors;

/// Variant names the macro adds itself.
pub const ADDED_VARIANTS: &[&str] = &["Base", "Unknown"];

pub fn validate(model: &FamilyModel, errors: &mut Errors) {
    if model.base.is_none() && !model.args_failed {
        errors.at(
            &model.ident,
            "#[graph_polymorphic] needs the base type: #[graph_polymorphic(base = DeviceCompliancePolicyBase)]",
        );
    }
    for variant in &model.variants {
        if variant.subtype.is_none() {
            errors.at(
                &variant.ident,
                "each variant wraps one subtype: `Name(SubtypeStruct)`",
            );
        }
        if ADDED_VARIANTS.iter().any(|added| variant.ident == added) {
            errors.at(
                &variant.ident,
                "`Base` and `Unknown` are added by #[graph_polymorphic]; rename this variant",
            );
        }
    }
}
