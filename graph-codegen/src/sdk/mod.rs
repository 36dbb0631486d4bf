//! The converter from Microsoft's Kiota-generated Python SDK (`msgraph-sdk`,
//! `msgraph-beta-sdk`) to the generator's input: a CSDL document of the types, operations and
//! path annotations the SDK's request builders reach from the roots, and the method+path pairs
//! the SDK publishes there.
//!
//! Why: Microsoft publishes Graph beta's CSDL in a repository too large to bring in, but the
//! beta SDK is on PyPI, and Kiota generated it from the beta OpenAPI description, itself
//! converted from the CSDL. Run by hand when refreshing (`graph-codegen from-sdk …`, see
//! `graph-codegen/metadata/README.md`); its output is vendored, so builds never need the SDK.
//!
//! What the SDK's tree decides and what it loses (`docs/sdk-conversion.md` lists each, with
//! the calibration against the v1.0 CSDL):
//! - which paths exist: a navigation is contained when the SDK writes to it or goes below its
//!   items; casts, `$ref`, alternate keys and a property's own path are annotated where the SDK
//!   has them;
//! - what it cannot say: nullability (every property is nullable), integer width (every
//!   integer is `Edm.Int64`, which holds any `Edm.Int32`), `Single`/`Decimal` (read as
//!   `Edm.Double`), abstractness (no type is abstract), function parameter types (strings, as
//!   the SDK types them).

mod python;
mod xml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use python::{Argument, Builder, Class, Model, Module, Result_, Tree};

/// What the converter writes.
pub struct Converted {
    /// The CSDL document (`graph-codegen/metadata/…-from-sdk.xml`).
    pub csdl: String,
    /// `GET /deviceManagement/…` lines, sorted, as the SDK spells its templates.
    pub pairs: Vec<String>,
}

/// Reads the SDK's `generated` folder from each root singleton (`deviceManagement`, …).
/// `source` names what was read, for the document's provenance comment.
pub fn convert(generated: &Path, roots: &[String], source: &str) -> Result<Converted, String> {
    let mut c = Conversion {
        tree: Tree::new(generated),
        ..Conversion::default()
    };
    let mut builders = Vec::new();
    for root in roots {
        builders.extend(c.tree.builders(&crate::naming::snake(root))?);
    }
    // Parents before children: a path is read from the resource its parent path is.
    builders.sort_by(|a, b| {
        (a.template.matches('/').count(), &a.template)
            .cmp(&(b.template.matches('/').count(), &b.template))
    });
    // Items addressed by several properties (`id='{id}',policyId='{policyId}',…`): their
    // collection's type is an entity keyed by those, though Kiota models it as a complex type
    // (it does not derive from `entity`).
    for builder in &builders {
        if let Some((parent, segment)) = builder.template.rsplit_once('/')
            && let Some(key) = composite_key(segment)
        {
            c.composite_parents.insert(parent.to_owned(), key);
        }
    }
    let mut pairs = BTreeSet::new();
    for builder in &builders {
        for m in &builder.methods {
            pairs.insert(format!("{} {}", m.verb, builder.template));
        }
        c.builder(builder, roots)
            .map_err(|e| format!("{}: {e}", builder.file.display()))?;
    }
    c.close()?;
    Ok(Converted {
        csdl: xml::document(&mut c, source)?,
        pairs: pairs.into_iter().collect(),
    })
}

/// A resource while reading paths: its type and the navigation that leads to it.
#[derive(Clone)]
struct Resource {
    module: Module,
    collection: bool,
    /// `(owner type, navigation)`, for what is reached through one.
    navigation: Option<(String, String)>,
}

/// A bound operation as the SDK's paths show it.
struct Operation {
    name: String,
    is_action: bool,
    binding: String,
    collection: bool,
    /// Name, type, and whether the SDK passes it as an alias (`p='@p'`): optional.
    parameters: Vec<(String, TypeName, bool)>,
    returns: Option<TypeName>,
    description: Option<String>,
}

/// A type reference: `Edm.String` or a module, and whether it is a collection.
#[derive(Clone, PartialEq, Eq)]
struct TypeName {
    name: Target,
    collection: bool,
}

#[derive(Clone, PartialEq, Eq)]
enum Target {
    Edm(&'static str),
    Class(Module),
}

#[derive(Default)]
struct Conversion {
    tree: Tree,
    resources: BTreeMap<String, Resource>,
    /// Navigations written to, or gone below: contained.
    contained: BTreeSet<(String, String)>,
    referenceable: BTreeSet<(String, String)>,
    /// Navigations whose items the SDK addresses by key.
    indexed: BTreeSet<(String, String)>,
    /// Navigations reached as collections (to say `IndexableByKey` false where none is
    /// indexed).
    collections: BTreeSet<(String, String)>,
    /// Structural properties with a path of their own, and whether that path takes a PATCH.
    addressable: BTreeMap<(String, String), bool>,
    casts: BTreeMap<(String, String), Vec<String>>,
    alternate_keys: BTreeMap<String, Vec<String>>,
    /// By `name(parameters)`, binding type and whether bound to a collection.
    operations: BTreeMap<(String, String, bool), Operation>,

    /// The roots' types: entity types even where Kiota's class does not derive from `entity`
    /// (beta's `deviceAppManagement`).
    roots: BTreeSet<Module>,
    /// The closure: modules whose navigations are followed, and those that are not.
    deep: BTreeSet<Module>,
    shallow: BTreeSet<Module>,
    /// Collections whose items are addressed by several properties: template -> the key.
    composite_parents: BTreeMap<String, Vec<String>>,
    /// Types keyed by several properties (entity types, whatever Kiota derives them from).
    composite: BTreeMap<Module, Vec<String>>,
}

impl Default for Tree {
    fn default() -> Self {
        Tree::new(Path::new(""))
    }
}

const CALLS: &str = "Provides operations to call the ";
const MANAGES: &str = "Provides operations to manage the ";
const ENTITY_MODULE: &str = "models.entity";

impl Conversion {
    fn model(&mut self, module: &str) -> Result<Model, String> {
        match self.tree.class(module)? {
            Class::Model(m) => Ok(m.clone()),
            Class::Enum(_) => Err(format!("{module} is an enum, not a model")),
        }
    }

    /// The Graph name of a generated class: `win32LobApp`, `deviceManagement.alertRecord` (a
    /// type of the `microsoft.graph.deviceManagement` namespace).
    fn name(&mut self, module: &str) -> Result<String, String> {
        let (class, odata) = match self.tree.class(module)? {
            Class::Model(m) => (m.class.clone(), m.odata_type.clone()),
            Class::Enum(e) => (e.class.clone(), None),
        };
        if let Some(odata) = odata
            .as_deref()
            .and_then(|o| o.strip_prefix("#microsoft.graph."))
        {
            return Ok(odata.to_owned());
        }
        let mut parts: Vec<&str> = module.split('.').collect();
        let file = parts.pop();
        // Kiota writes the type named like a namespace into that namespace's folder
        // (`models.device_management.device_management` is `microsoft.graph.deviceManagement`).
        if file.is_some() && parts.last() == file.as_ref() {
            parts.pop();
        }
        // `models.device_management.alert_record` -> `deviceManagement.`
        let namespace: String = parts
            .iter()
            .skip(1)
            .map(|p| {
                format!(
                    "{}.",
                    crate::naming::lower_first(&crate::naming::upper_camel(p))
                )
            })
            .collect();
        Ok(format!("{namespace}{}", crate::naming::lower_first(&class)))
    }

    /// The model and its bases, nearest first, up to (not including) `entity`.
    fn lineage(&mut self, module: &str) -> Result<Vec<Model>, String> {
        let mut out = Vec::new();
        let mut next = Some(module.to_owned());
        while let Some(m) = next {
            if m == ENTITY_MODULE {
                break;
            }
            let model = self.model(&m)?;
            next = model.base.clone();
            out.push(model);
        }
        Ok(out)
    }

    fn is_entity(&mut self, module: &str) -> Result<bool, String> {
        let mut next = Some(module.to_owned());
        while let Some(m) = next {
            if m == ENTITY_MODULE || self.roots.contains(&m) || self.composite.contains_key(&m) {
                return Ok(true);
            }
            next = match self.tree.class(&m)? {
                Class::Model(model) => model.base.clone(),
                Class::Enum(_) => None,
            };
        }
        Ok(false)
    }

    fn builder(&mut self, b: &Builder, roots: &[String]) -> Result<(), String> {
        let (parent_template, segment) = b
            .template
            .rsplit_once('/')
            .ok_or("a template without a path")?;
        if parent_template.is_empty() {
            if !roots.iter().any(|r| format!("/{r}") == b.template) {
                return Err(format!("{} is not a root", b.template));
            }
            let module = b
                .methods
                .iter()
                .find_map(|m| match &m.result {
                    Result_::Class(c) if m.verb == "GET" => Some(c.clone()),
                    _ => None,
                })
                .ok_or("the root has no GET")?;
            self.deep.insert(module.clone());
            self.roots.insert(module.clone());
            self.resources.insert(
                b.template.clone(),
                Resource {
                    module,
                    collection: false,
                    navigation: None,
                },
            );
            return Ok(());
        }
        let parent = self
            .resources
            .get(parent_template)
            .cloned()
            .ok_or_else(|| {
                format!(
                    "no resource at {parent_template}, the parent of {}",
                    b.template
                )
            })?;
        let writes = b.methods.iter().any(|m| m.verb != "GET");
        let mark_contained = |c: &mut Self, r: &Resource| {
            if let Some(n) = &r.navigation {
                c.contained.insert(n.clone());
            }
        };
        if segment == "$count" {
            return Ok(());
        }
        if segment == "$ref" {
            if let Some(n) = parent.navigation {
                self.referenceable.insert(n);
            }
            return Ok(());
        }
        // An item by its key, or by a key of several properties (`id='{id}',policyId='{…}'`).
        if segment.starts_with('{') || (segment.contains("='") && !segment.contains('(')) {
            if let Some(n) = &parent.navigation {
                self.indexed.insert(n.clone());
            }
            let item = Resource {
                collection: false,
                ..parent.clone()
            };
            if writes {
                mark_contained(self, &item);
            }
            self.resources.insert(b.template.clone(), item);
            return Ok(());
        }
        if let Some(cast) = segment.strip_prefix("graph.") {
            mark_contained(self, &parent);
            let base = self.model(&parent.module)?;
            let module = base
                .derived
                .iter()
                .find(|(name, _)| name == cast)
                .map(|(_, m)| m.clone())
                .ok_or_else(|| format!("`{cast}` does not derive from {}", base.class))?;
            if let Some(n) = &parent.navigation {
                let list = self.casts.entry(n.clone()).or_default();
                if !list.iter().any(|c| c == cast) {
                    list.push(cast.to_owned());
                }
            }
            self.deep.insert(module.clone());
            self.resources
                .insert(b.template.clone(), Resource { module, ..parent });
            return Ok(());
        }
        if b.doc.starts_with(CALLS) {
            mark_contained(self, &parent);
            return self.operation(b, &parent, segment);
        }
        let (property, key) = match segment.split_once('(') {
            Some((p, rest)) => (p, Some(rest)),
            None => (segment, None),
        };
        let owner_name = b
            .doc
            .strip_prefix(MANAGES)
            .and_then(|d| d.split_once(" property of the microsoft.graph."))
            .map(|(p, rest)| (p.to_owned(), rest.trim_end_matches(" entity.").to_owned()));
        // The declaring type: where the SDK names it, else the nearest that has the property.
        let mut declaring = None;
        for model in self.lineage(&parent.module)? {
            let name = self.name(&model.module)?;
            let named = owner_name.as_ref().is_none_or(|(_, owner)| *owner == name);
            if let Some(field) = model.fields.iter().find(|f| f.json == property)
                && named
            {
                declaring = Some((name, field.clone()));
                break;
            }
        }
        let (owner, field) = declaring.ok_or_else(|| {
            format!("no property `{property}` on the type at {parent_template} or its bases")
        })?;
        let Argument::Class(module) = field.argument.clone() else {
            return Err(format!("`{owner}/{property}` has no type of its own"));
        };
        if let Some(key) = self.composite_parents.get(&b.template) {
            self.composite.insert(module.clone(), key.clone());
        }
        let entity = self.is_entity(&module)?;
        let here = (owner.clone(), property.to_owned());
        if !entity {
            // A structural property with a path of its own.
            let updatable = b.methods.iter().any(|m| m.verb == "PATCH");
            let entry = self.addressable.entry(here).or_insert(false);
            *entry |= updatable;
            self.deep.insert(module.clone());
            self.resources.insert(
                b.template.clone(),
                Resource {
                    module,
                    collection: field.list,
                    navigation: None,
                },
            );
            return Ok(());
        }
        // A navigation below a resource makes the navigation leading to it contained.
        mark_contained(self, &parent);
        if let Some(key) = key {
            let key = key.split_once('=').map_or(key, |(k, _)| k).to_owned();
            let target = self.name(&module)?;
            let keys = self.alternate_keys.entry(target).or_default();
            if !keys.contains(&key) {
                keys.push(key);
            }
            return Ok(());
        }
        if field.list {
            self.collections.insert(here.clone());
        }
        let resource = Resource {
            module,
            collection: field.list,
            navigation: Some(here),
        };
        if writes {
            mark_contained(self, &resource);
        }
        self.resources.insert(b.template.clone(), resource);
        Ok(())
    }

    fn operation(&mut self, b: &Builder, parent: &Resource, segment: &str) -> Result<(), String> {
        let (name, arguments) = match segment.split_once('(') {
            Some((n, rest)) => (n.to_owned(), Some(rest.trim_end_matches(')'))),
            None => (segment.to_owned(), None),
        };
        let method = b
            .methods
            .first()
            .ok_or_else(|| format!("operation `{name}` has no method"))?;
        let is_action = method.verb == "POST";
        let mut parameters = Vec::new();
        if is_action {
            if let Some(body) = &method.body {
                for field in self.model(body)?.fields {
                    if field.json == "@odata.type" {
                        continue;
                    }
                    parameters.push((field.json.clone(), self.field_type(&field)?, false));
                }
            }
        } else if let Some(arguments) = arguments {
            for argument in arguments.split(',').filter(|a| !a.is_empty()) {
                let (name, value) = argument.split_once('=').unwrap_or((argument, ""));
                // The SDK types every function parameter as a string; a collection is the one
                // it writes unquoted (`ids={ids}`).
                parameters.push((
                    name.to_owned(),
                    TypeName {
                        name: Target::Edm("Edm.String"),
                        collection: !value.starts_with('\''),
                    },
                    value.starts_with("'@"),
                ));
            }
        }
        let returns = match &method.result {
            Result_::Nothing => None,
            Result_::Primitive(p) => Some(TypeName {
                name: match p.as_str() {
                    "int" => Target::Edm("Edm.Int64"),
                    "bytes" => Target::Edm("Edm.Stream"),
                    "str" => Target::Edm("Edm.String"),
                    "bool" => Target::Edm("Edm.Boolean"),
                    "float" => Target::Edm("Edm.Double"),
                    "datetime" => Target::Edm("Edm.DateTimeOffset"),
                    // An enum, by its Graph name.
                    other => Target::Class(format!("models.{}", kiota_module(other))),
                },
                collection: false,
            }),
            Result_::Class(module) => {
                let model = self.model(module)?;
                let wrapper = module.split('.').count() > 2
                    && !module.starts_with("models.")
                    && (model.class.ends_with("PostResponse")
                        || model.class.ends_with("GetResponse"));
                match model.fields.iter().find(|f| f.json == "value") {
                    Some(value) if wrapper => Some(self.field_type(value)?),
                    _ => Some(TypeName {
                        name: Target::Class(module.clone()),
                        collection: false,
                    }),
                }
            }
        };
        for t in parameters.iter().map(|(_, t, _)| t).chain(returns.iter()) {
            if let Target::Class(m) = &t.name {
                self.deep.insert(m.clone());
            }
        }
        let binding = self.name(&parent.module)?;
        // Overloads of a function differ in their parameters.
        let signature: Vec<&str> = parameters.iter().map(|(n, _, _)| n.as_str()).collect();
        let key = format!("{name}({})", signature.join(","));
        self.operations
            .entry((key, binding.clone(), parent.collection))
            .or_insert(Operation {
                name: name.clone(),
                is_action,
                binding,
                collection: parent.collection,
                parameters,
                returns,
                description: method.description.clone(),
            });
        Ok(())
    }

    /// A property's type from the reader Kiota gives it.
    fn field_type(&mut self, field: &python::Field) -> Result<TypeName, String> {
        let edm = |t: &'static str| Ok(Target::Edm(t));
        let collection = field.reader.starts_with("get_collection_of_");
        let name = match (field.reader.as_str(), &field.argument) {
            ("get_str_value", _) => edm("Edm.String"),
            ("get_bool_value", _) => edm("Edm.Boolean"),
            ("get_int_value", _) => edm("Edm.Int64"),
            ("get_float_value", _) => edm("Edm.Double"),
            ("get_datetime_value", _) => edm("Edm.DateTimeOffset"),
            ("get_date_value", _) => edm("Edm.Date"),
            ("get_time_value", _) => edm("Edm.TimeOfDay"),
            ("get_timedelta_value", _) => edm("Edm.Duration"),
            ("get_uuid_value", _) => edm("Edm.Guid"),
            ("get_bytes_value", _) => edm("Edm.Binary"),
            ("get_collection_of_primitive_values", Argument::Builtin(b)) => match b.as_str() {
                "str" => edm("Edm.String"),
                "int" => edm("Edm.Int64"),
                "bool" => edm("Edm.Boolean"),
                "float" => edm("Edm.Double"),
                "UUID" => edm("Edm.Guid"),
                "datetime.datetime" => edm("Edm.DateTimeOffset"),
                "datetime.date" | "date" => edm("Edm.Date"),
                "datetime.time" => edm("Edm.TimeOfDay"),
                "datetime.timedelta" => edm("Edm.Duration"),
                "bytes" => edm("Edm.Binary"),
                other => Err(format!("unknown primitive `{other}` of `{}`", field.json)),
            },
            (
                "get_object_value"
                | "get_collection_of_object_values"
                | "get_enum_value"
                | "get_collection_of_enum_values",
                Argument::Class(m),
            ) => Ok(Target::Class(m.clone())),
            (reader, argument) => Err(format!(
                "`{}` is read with {reader}({argument:?}), which the converter does not know",
                field.json
            )),
        }?;
        // A flags enum: one value, read as a collection of members.
        let flags = field.reader == "get_collection_of_enum_values" && !field.list;
        Ok(TypeName {
            name,
            collection: collection && !flags,
        })
    }

    /// The closure of types from what the paths reach, as the generator's walk takes it:
    /// bases, property types, subtypes of what is used as a target; the navigations of a type
    /// only where the type is reached through contained ones.
    fn close(&mut self) -> Result<(), String> {
        let mut queue: Vec<(Module, bool, bool)> =
            self.deep.iter().map(|m| (m.clone(), true, true)).collect();
        self.deep.clear();
        let mut targets = BTreeSet::new();
        while let Some((module, deep, as_target)) = queue.pop() {
            if module == ENTITY_MODULE {
                continue;
            }
            let known = self.deep.contains(&module) || (!deep && self.shallow.contains(&module));
            let new_target = as_target && targets.insert(module.clone());
            if known && !new_target {
                continue;
            }
            if !known {
                if deep {
                    self.shallow.remove(&module);
                    self.deep.insert(module.clone());
                } else {
                    self.shallow.insert(module.clone());
                }
            }
            let Class::Model(model) = self.tree.class(&module)?.clone() else {
                continue;
            };
            if !known {
                if let Some(base) = &model.base {
                    queue.push((base.clone(), deep, false));
                }
                let owner = self.name(&module)?;
                for field in &model.fields {
                    let Argument::Class(target) = &field.argument else {
                        continue;
                    };
                    if self.is_entity(target)? {
                        let contained = self
                            .contained
                            .contains(&(owner.clone(), field.json.clone()));
                        if deep {
                            queue.push((target.clone(), contained, true));
                        }
                    } else {
                        queue.push((target.clone(), deep, true));
                    }
                }
            }
            if new_target {
                for (_, sub) in &model.derived {
                    queue.push((sub.clone(), deep, true));
                }
            }
        }
        Ok(())
    }
}

/// The properties of an item segment addressed by several of them:
/// `id='{id}',policyId='{policyId}'` -> `["id", "policyId"]`; `None` for any other segment.
fn composite_key(segment: &str) -> Option<Vec<String>> {
    if segment.contains('(') || !segment.contains("='") {
        return None;
    }
    let parts: Vec<String> = segment
        .split(',')
        .map(|part| part.split_once("='").map(|(name, _)| name.to_owned()))
        .collect::<Option<_>>()?;
    (parts.len() > 1).then_some(parts)
}

/// The module Kiota writes a class to: `chromeOSOnboardingStatus` -> `chrome_o_s_onboarding_status`.
fn kiota_module(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_of_several_quoted_values_is_a_composite_key() {
        assert_eq!(
            composite_key("id='{id}',policyId='{policyId}',deviceId='{deviceId}'"),
            Some(vec!["id".into(), "policyId".into(), "deviceId".into()])
        );
        assert_eq!(composite_key("{deviceScript%2Did}"), None);
        assert_eq!(composite_key("getRunCount(since='{since}')"), None);
        assert_eq!(composite_key("id='{id}'"), None);
    }

    #[test]
    fn kiota_modules_split_every_capital() {
        assert_eq!(
            kiota_module("chromeOSOnboardingStatus"),
            "chrome_o_s_onboarding_status"
        );
        assert_eq!(
            kiota_module("AndroidManagedStoreLayoutType"),
            "android_managed_store_layout_type"
        );
    }
}
