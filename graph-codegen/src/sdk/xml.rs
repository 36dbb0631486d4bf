//! Writing the converted schema as a CSDL document the generator's reader (`csdl.rs`) takes:
//! one `microsoft.graph` schema (types of a sub-namespace keep it in their name,
//! `deviceManagement.alertRecord`), Microsoft's descriptions, and the annotations that say
//! which paths exist.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::python::{Argument, Class};
use super::{Conversion, Target, TypeName};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

pub(super) fn document(c: &mut Conversion, source: &str) -> Result<String, String> {
    let type_ref = |c: &mut Conversion, t: &TypeName| -> Result<String, String> {
        let name = match &t.name {
            Target::Edm(e) => (*e).to_owned(),
            Target::Class(m) => format!("microsoft.graph.{}", c.name(m)?),
        };
        Ok(if t.collection {
            format!("Collection({name})")
        } else {
            name
        })
    };
    let modules: Vec<String> = c.deep.iter().chain(c.shallow.iter()).cloned().collect();
    let mut by_name = BTreeMap::new();
    for m in modules {
        by_name.insert(c.name(&m)?, m);
    }
    // The modules written, for the properties that may name only those.
    let written: BTreeSet<String> = by_name.values().cloned().collect();
    // Flags enums: read as a collection of members into one value.
    let mut flags = BTreeSet::new();
    for m in by_name.values() {
        if let Class::Model(model) = c.tree.class(m)? {
            for f in &model.fields {
                if let Argument::Class(e) = &f.argument
                    && f.reader == "get_collection_of_enum_values"
                    && !f.list
                {
                    flags.insert(e.clone());
                }
            }
        }
    }
    let mut types = String::new();
    let mut annotations: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, module) in &by_name {
        let class = c.tree.class(module)?.clone();
        match class {
            Class::Enum(e) => {
                let is_flags = flags.contains(module);
                let _ = writeln!(
                    types,
                    "<EnumType Name=\"{}\"{}>",
                    escape(name),
                    if is_flags { " IsFlags=\"true\"" } else { "" }
                );
                for (i, (member, description)) in e.members.iter().enumerate() {
                    let value = if is_flags {
                        if i == 0 { 0 } else { 1u64 << (i - 1).min(62) }
                    } else {
                        i as u64
                    };
                    let _ = writeln!(
                        types,
                        "<Member Name=\"{}\" Value=\"{value}\"/>",
                        escape(member)
                    );
                    describe(
                        &mut annotations,
                        format!("microsoft.graph.{name}/{member}"),
                        description.as_deref(),
                    );
                }
                types.push_str("</EnumType>\n");
            }
            Class::Model(model) => {
                let entity = c.is_entity(module)?;
                let kind = if entity { "EntityType" } else { "ComplexType" };
                let base = match &model.base {
                    Some(b) if b == super::ENTITY_MODULE => {
                        " BaseType=\"microsoft.graph.entity\"".to_owned()
                    }
                    Some(b) => format!(" BaseType=\"microsoft.graph.{}\"", escape(&c.name(b)?)),
                    None => String::new(),
                };
                let _ = writeln!(
                    types,
                    "<{kind} Name=\"{}\"{base} OpenType=\"true\">",
                    escape(name)
                );
                // An item the SDK addresses by several properties: they are its key.
                if let Some(key) = c.composite.get(module) {
                    types.push_str("<Key>");
                    for part in key {
                        let _ = write!(types, "<PropertyRef Name=\"{}\"/>", escape(part));
                    }
                    types.push_str("</Key>\n");
                }
                describe(
                    &mut annotations,
                    format!("microsoft.graph.{name}"),
                    model.description.as_deref(),
                );
                let deep = c.deep.contains(module);
                for field in &model.fields {
                    if field.json.starts_with('@') {
                        continue;
                    }
                    let ty = c.field_type(field)?;
                    let target = format!("microsoft.graph.{name}/{}", field.json);
                    let nav_target = match &field.argument {
                        Argument::Class(m) if c.is_entity(m)? => Some(m.clone()),
                        _ => None,
                    };
                    if let Some(m) = nav_target {
                        // A navigation whose target is outside the closure is left out, as the
                        // generator leaves out a property of a type it does not generate.
                        if !written.contains(&m) || !deep && !c.deep.contains(&m) {
                            continue;
                        }
                        let contained = c.contained.contains(&(name.clone(), field.json.clone()));
                        let _ = writeln!(
                            types,
                            "<NavigationProperty Name=\"{}\" Type=\"{}\"{}/>",
                            escape(&field.json),
                            type_ref(c, &ty)?,
                            if contained {
                                " ContainsTarget=\"true\""
                            } else {
                                ""
                            }
                        );
                    } else {
                        if let Target::Class(m) = &ty.name
                            && !written.contains(m)
                        {
                            continue;
                        }
                        let _ = writeln!(
                            types,
                            "<Property Name=\"{}\" Type=\"{}\"/>",
                            escape(&field.json),
                            type_ref(c, &ty)?
                        );
                        if !field.written {
                            annotations.entry(target.clone()).or_default().push(
                                "<Annotation Term=\"Org.OData.Core.V1.Computed\" Bool=\"true\"/>"
                                    .to_owned(),
                            );
                        }
                    }
                    describe(&mut annotations, target, field.description.as_deref());
                }
                let _ = writeln!(types, "</{kind}>");
            }
        }
    }
    // Operations, by name then binding.
    let mut operations = String::new();
    let keys: Vec<_> = c.operations.keys().cloned().collect();
    for key in keys {
        let Some(op) = c.operations.get(&key) else {
            continue;
        };
        let (op_name, is_action, binding, collection, description) = (
            op.name.clone(),
            op.is_action,
            op.binding.clone(),
            op.collection,
            op.description.clone(),
        );
        let parameters = op.parameters.clone();
        let returns = op.returns.clone();
        let element = if is_action { "Action" } else { "Function" };
        let binding_type = if collection {
            format!("Collection(microsoft.graph.{binding})")
        } else {
            format!("microsoft.graph.{binding}")
        };
        let _ = writeln!(
            operations,
            "<{element} Name=\"{}\" IsBound=\"true\">",
            escape(&op_name)
        );
        let _ = writeln!(
            operations,
            "<Parameter Name=\"bindingParameter\" Type=\"{}\"/>",
            escape(&binding_type)
        );
        for (name, ty, optional) in &parameters {
            let _ = writeln!(
                operations,
                "<Parameter Name=\"{}\" Type=\"{}\"{}",
                escape(name),
                escape(&type_ref(c, ty)?),
                if *optional {
                    "><Annotation Term=\"Org.OData.Core.V1.OptionalParameter\"/></Parameter>"
                } else {
                    "/>"
                }
            );
        }
        if let Some(r) = &returns {
            let _ = writeln!(
                operations,
                "<ReturnType Type=\"{}\"/>",
                escape(&type_ref(c, r)?)
            );
        }
        let _ = writeln!(operations, "</{element}>");
        let mut signature = vec![binding_type.clone()];
        for (_, ty, _) in &parameters {
            signature.push(type_ref(c, ty)?);
        }
        describe(
            &mut annotations,
            format!("microsoft.graph.{op_name}({})", signature.join(",")),
            description.as_deref(),
        );
    }
    // The annotations that decide which paths exist.
    let record = |property: &str, value: bool| {
        format!("<Record><PropertyValue Property=\"{property}\" Bool=\"{value}\"/></Record>")
    };
    for (owner, nav) in &c.referenceable {
        annotations
            .entry(format!("microsoft.graph.{owner}/{nav}"))
            .or_default()
            .push(format!(
                "<Annotation Term=\"Org.OData.Capabilities.V1.NavigationRestrictions\">{}</Annotation>",
                record("Referenceable", true)
            ));
    }
    for navigation in c.collections.difference(&c.indexed) {
        if c.contained.contains(navigation) {
            continue;
        }
        annotations
            .entry(format!("microsoft.graph.{}/{}", navigation.0, navigation.1))
            .or_default()
            .push(format!(
                "<Annotation Term=\"Org.OData.Capabilities.V1.NavigationRestrictions\">{}</Annotation>",
                record("IndexableByKey", false)
            ));
    }
    for ((owner, property), updatable) in &c.addressable {
        let list = annotations
            .entry(format!("microsoft.graph.{owner}/{property}"))
            .or_default();
        list.push(format!(
            "<Annotation Term=\"Org.OData.Capabilities.V1.ReadRestrictions\">{}</Annotation>",
            record("Readable", true)
        ));
        list.push(format!(
            "<Annotation Term=\"Org.OData.Capabilities.V1.UpdateRestrictions\">{}</Annotation>",
            record("Updatable", *updatable)
        ));
    }
    for ((owner, nav), casts) in &c.casts {
        let strings: String = casts
            .iter()
            .map(|t| format!("<String>microsoft.graph.{}</String>", escape(t)))
            .collect();
        annotations
            .entry(format!("microsoft.graph.{owner}/{nav}"))
            .or_default()
            .push(format!(
                "<Annotation Term=\"Org.OData.Validation.V1.DerivedTypeConstraint\"><Collection>{strings}</Collection></Annotation>"
            ));
    }
    for (ty, keys) in &c.alternate_keys {
        let records: String = keys
            .iter()
            .map(|k| {
                format!(
                    "<Record><PropertyValue Property=\"Key\"><Collection><Record><PropertyValue Property=\"Name\" PropertyPath=\"{}\"/></Record></Collection></PropertyValue></Record>",
                    escape(k)
                )
            })
            .collect();
        annotations
            .entry(format!("microsoft.graph.{ty}"))
            .or_default()
            .push(format!(
                "<Annotation Term=\"Org.OData.Core.V1.AlternateKeys\"><Collection>{records}</Collection></Annotation>"
            ));
    }
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<!-- Written by `graph-codegen from-sdk` from {}: do not edit; rerun the converter (graph-codegen/metadata/README.md). -->",
        escape(source)
    );
    out.push_str("<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n<edmx:DataServices>\n<Schema Namespace=\"microsoft.graph\" Alias=\"graph\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n");
    out.push_str(&types);
    out.push_str(&operations);
    for (target, list) in &annotations {
        let _ = writeln!(out, "<Annotations Target=\"{}\">", escape(target));
        for a in list {
            out.push_str(a);
            out.push('\n');
        }
        out.push_str("</Annotations>\n");
    }
    out.push_str("</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n");
    Ok(out)
}

fn describe(annotations: &mut BTreeMap<String, Vec<String>>, target: String, text: Option<&str>) {
    if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
        annotations.entry(target).or_default().push(format!(
            "<Annotation Term=\"Org.OData.Core.V1.Description\" String=\"{}\"/>",
            escape(text)
        ));
    }
}
