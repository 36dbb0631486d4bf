//! Reading the Graph CSDL (OData EDMX) into plain data: the `microsoft.graph` schema's entity,
//! complex and enum types, its operations, and the descriptions Microsoft annotates them with.

use std::collections::{BTreeMap, HashMap, HashSet};

const EDM: &str = "http://docs.oasis-open.org/odata/ns/edm";
const NAMESPACE: &str = "microsoft.graph";
const DESCRIPTION: &str = "Org.OData.Core.V1.Description";
const COMPUTED: &str = "Org.OData.Core.V1.Computed";
const PERMISSIONS: &str = "Org.OData.Core.V1.Permissions";
const ALTERNATE_KEYS: &str = "Org.OData.Core.V1.AlternateKeys";
const NAVIGATION_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.NavigationRestrictions";
const READ_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.ReadRestrictions";
const UPDATE_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.UpdateRestrictions";
const DERIVED_TYPE_CONSTRAINT: &str = "Org.OData.Validation.V1.DerivedTypeConstraint";
/// Capability terms that can forbid a write, and the property that says so.
const RESTRICTIONS: &[(&str, &str, Write)] = &[
    (
        "Org.OData.Capabilities.V1.InsertRestrictions",
        "Insertable",
        Write::Insert,
    ),
    (
        "Org.OData.Capabilities.V1.UpdateRestrictions",
        "Updatable",
        Write::Update,
    ),
    (
        "Org.OData.Capabilities.V1.DeleteRestrictions",
        "Deletable",
        Write::Delete,
    ),
];

/// A write the capability annotations can forbid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Write {
    /// POST to a collection (`InsertRestrictions/Insertable`).
    Insert,
    /// PATCH (`UpdateRestrictions/Updatable`).
    Update,
    /// DELETE (`DeleteRestrictions/Deletable`).
    Delete,
}

/// A type reference: `Edm.String`, a type of this schema by its short name, or a collection.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeRef {
    /// `Collection(…)`.
    pub collection: bool,
    /// `Edm.X`, a short name of a `microsoft.graph` type, or a qualified name from another schema.
    pub name: String,
}

impl TypeRef {
    fn parse(text: &str) -> Self {
        let (collection, inner) = match text.strip_prefix("Collection(") {
            Some(rest) => (true, rest.trim_end_matches(')')),
            None => (false, text),
        };
        let name = inner
            .strip_prefix("graph.")
            .or_else(|| inner.strip_prefix("microsoft.graph."))
            .unwrap_or(inner);
        Self {
            collection,
            name: name.to_owned(),
        }
    }

    /// An `Edm.*` type.
    pub fn is_primitive(&self) -> bool {
        self.name.starts_with("Edm.")
    }
}

/// A structural property.
#[derive(Debug, Clone)]
pub struct Property {
    /// As on the wire.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// `Nullable` (true unless the CSDL says `false`).
    pub nullable: bool,
}

/// A navigation property.
#[derive(Debug, Clone)]
pub struct Navigation {
    /// As on the wire.
    pub name: String,
    /// The target type.
    pub ty: TypeRef,
    /// `ContainsTarget`: the targets live under this resource's path.
    pub contained: bool,
}

/// An entity or complex type.
#[derive(Debug, Clone)]
pub struct StructType {
    /// Short name.
    pub name: String,
    /// The base type (`entity` is left out: its only property, `id`, is written on each root).
    pub base: Option<String>,
    /// `Abstract`.
    pub is_abstract: bool,
    /// Own structural properties, in CSDL order.
    pub properties: Vec<Property>,
    /// Own navigation properties, in CSDL order.
    pub navigations: Vec<Navigation>,
    /// The properties of its own `<Key>`, in order; empty when it has none (it takes
    /// `entity`'s `id`, or is a complex type).
    pub key: Vec<String>,
}

/// An enum type.
#[derive(Debug, Clone)]
pub struct EnumType {
    /// Short name.
    pub name: String,
    /// `IsFlags`.
    pub flags: bool,
    /// Member names, in CSDL order.
    pub members: Vec<String>,
}

/// An operation parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// As on the wire.
    pub name: String,
    /// Annotated `Core.OptionalParameter`: Microsoft's paths pass it as a parameter alias
    /// (`provisioningPolicyId='@provisioningPolicyId'`, its value in the query), not in the path.
    pub optional: bool,
    /// Its type.
    pub ty: TypeRef,
}

/// A bound action or function.
#[derive(Debug, Clone)]
pub struct Operation {
    /// As in the path.
    pub name: String,
    /// An action (POST) rather than a function (GET).
    pub is_action: bool,
    /// The binding parameter's type.
    pub binding: TypeRef,
    /// The parameters after the binding parameter.
    pub parameters: Vec<Parameter>,
    /// The return type, if any.
    pub returns: Option<TypeRef>,
    /// How Microsoft's annotation targets for it begin: `name(binding` (the parameter types
    /// follow).
    pub target: String,
}

/// The `microsoft.graph` schema.
#[derive(Debug, Default)]
pub struct Schema {
    /// Entity types by short name.
    pub entities: BTreeMap<String, StructType>,
    /// Complex types by short name.
    pub complexes: BTreeMap<String, StructType>,
    /// Enum types by short name.
    pub enums: BTreeMap<String, EnumType>,
    /// Bound actions and functions, in CSDL order.
    pub operations: Vec<Operation>,
    descriptions: HashMap<String, String>,
    read_only: HashSet<String>,
    /// (annotation target, write) pairs Microsoft marks as not allowed.
    forbidden: HashSet<(String, Write)>,
    /// Navigation properties (`managedDevice/deviceCategory`) whose `$ref` Microsoft's
    /// `NavigationRestrictions` make addressable (`Referenceable`).
    referenceable: HashSet<String>,
    /// Navigation properties whose items cannot be addressed by key (`IndexableByKey` false).
    not_indexable: HashSet<String>,
    /// Structural properties (`user/mailboxSettings`) with a path of their own: annotated
    /// `ReadRestrictions/Readable`, and whether `UpdateRestrictions/Updatable` too.
    addressable: HashMap<String, bool>,
    /// Single-property alternate keys of entity types (`user` -> `userPrincipalName`).
    alternate_keys: HashMap<String, Vec<String>>,
    /// The subtypes a navigation property may hold (`deviceAppManagement/mobileApps` ->
    /// `win32LobApp`, …; `DerivedTypeConstraint`), in CSDL order: Microsoft's paths cast to each.
    derived_types: HashMap<String, Vec<String>>,
}

impl Schema {
    /// Parses the CSDL text.
    pub fn parse(xml: &str) -> Result<Self, String> {
        let document = roxmltree::Document::parse_with_options(
            xml,
            roxmltree::ParsingOptions {
                allow_dtd: false,
                ..Default::default()
            },
        )
        .map_err(|e| format!("the CSDL is not well-formed XML: {e}"))?;
        let schema = document
            .descendants()
            .find(|n| is(n, "Schema") && n.attribute("Namespace") == Some(NAMESPACE))
            .ok_or("the CSDL has no `microsoft.graph` schema")?;
        let mut out = Schema::default();
        for node in schema.children().filter(roxmltree::Node::is_element) {
            match node.tag_name().name() {
                "EntityType" => {
                    let ty = struct_type(&node)?;
                    out.entities.insert(ty.name.clone(), ty);
                }
                "ComplexType" => {
                    let ty = struct_type(&node)?;
                    out.complexes.insert(ty.name.clone(), ty);
                }
                "EnumType" => {
                    let name = required(&node, "Name")?;
                    out.enums.insert(
                        name.clone(),
                        EnumType {
                            name,
                            flags: node.attribute("IsFlags") == Some("true"),
                            members: node
                                .children()
                                .filter(|c| is(c, "Member"))
                                .map(|c| required(&c, "Name"))
                                .collect::<Result<_, _>>()?,
                        },
                    );
                }
                "Action" | "Function" if node.attribute("IsBound") == Some("true") => {
                    out.operations.push(operation(&node)?);
                }
                _ => {}
            }
        }
        // Microsoft publishes most annotations out of line, in a schema of their own.
        for node in document.descendants().filter(|n| is(n, "Annotations")) {
            if let Some(target) = node.attribute("Target") {
                let target = target.strip_prefix("microsoft.graph.").unwrap_or(target);
                out.read_annotations(target, &node);
            }
        }
        // The capability and key annotations that decide which paths exist are written inline.
        for ty in schema.children().filter(|n| is(n, "EntityType")) {
            let Some(name) = ty.attribute("Name") else {
                continue;
            };
            out.read_path_annotations(name, &ty);
            for member in ty
                .children()
                .filter(|c| is(c, "Property") || is(c, "NavigationProperty"))
            {
                if let Some(member_name) = member.attribute("Name") {
                    out.read_path_annotations(&format!("{name}/{member_name}"), &member);
                }
            }
        }
        Ok(out)
    }

    /// The annotations that say which paths exist, wherever they are written: `$ref`,
    /// addressing by key, a property's own path, alternate keys.
    fn read_path_annotations(&mut self, target: &str, node: &roxmltree::Node<'_, '_>) {
        let says = |annotation: &roxmltree::Node<'_, '_>, property: &str, value: &str| {
            annotation.descendants().any(|n| {
                is(&n, "PropertyValue")
                    && n.attribute("Property") == Some(property)
                    && n.attribute("Bool") == Some(value)
            })
        };
        for annotation in node.children().filter(|c| is(c, "Annotation")) {
            match annotation.attribute("Term") {
                Some(NAVIGATION_RESTRICTIONS) => {
                    if says(&annotation, "Referenceable", "true") {
                        self.referenceable.insert(target.to_owned());
                    }
                    if says(&annotation, "IndexableByKey", "false") {
                        self.not_indexable.insert(target.to_owned());
                    }
                }
                Some(READ_RESTRICTIONS)
                    if target.contains('/') && says(&annotation, "Readable", "true") =>
                {
                    self.addressable.entry(target.to_owned()).or_insert(false);
                }
                Some(UPDATE_RESTRICTIONS)
                    if target.contains('/') && says(&annotation, "Updatable", "true") =>
                {
                    if let Some(updatable) = self.addressable.get_mut(target) {
                        *updatable = true;
                    }
                }
                Some(DERIVED_TYPE_CONSTRAINT) => {
                    let types = annotation
                        .descendants()
                        .filter(|n| is(n, "String"))
                        .filter_map(|n| n.text())
                        .map(|t| t.trim().trim_start_matches("microsoft.graph.").to_owned());
                    self.derived_types
                        .entry(target.to_owned())
                        .or_default()
                        .extend(types);
                }
                Some(ALTERNATE_KEYS) => {
                    for key in annotation.descendants().filter(|n| {
                        is(n, "PropertyValue") && n.attribute("Property") == Some("Key")
                    }) {
                        let parts: Vec<String> = key
                            .descendants()
                            .filter(|n| {
                                is(n, "PropertyValue") && n.attribute("Property") == Some("Name")
                            })
                            .filter_map(|n| n.attribute("PropertyPath").map(str::to_owned))
                            .collect();
                        // A key of several properties has no single argument to take.
                        if let [one] = parts.as_slice() {
                            self.alternate_keys
                                .entry(target.to_owned())
                                .or_default()
                                .push(one.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn read_annotations(&mut self, target: &str, node: &roxmltree::Node<'_, '_>) {
        self.read_path_annotations(target, node);
        for annotation in node.children().filter(|c| is(c, "Annotation")) {
            match annotation.attribute("Term") {
                Some(DESCRIPTION) => {
                    if let Some(text) = annotation.attribute("String") {
                        self.descriptions.insert(target.to_owned(), text.to_owned());
                    }
                }
                Some(COMPUTED) if annotation.attribute("Bool") == Some("true") => {
                    self.read_only.insert(target.to_owned());
                }
                Some(term) if RESTRICTIONS.iter().any(|(t, _, _)| *t == term) => {
                    for (t, property, write) in RESTRICTIONS {
                        let denied = *t == term
                            && annotation.descendants().any(|n| {
                                is(&n, "PropertyValue")
                                    && n.attribute("Property") == Some(property)
                                    && n.attribute("Bool") == Some("false")
                            });
                        if denied {
                            self.forbidden.insert((target.to_owned(), *write));
                        }
                    }
                }
                Some(PERMISSIONS) => {
                    let read = annotation
                        .descendants()
                        .filter(|n| is(n, "EnumMember"))
                        .filter_map(|n| n.text())
                        .all(|t| t.trim().ends_with("/Read"));
                    if read {
                        self.read_only.insert(target.to_owned());
                    }
                }
                _ => {}
            }
        }
    }

    /// Microsoft's description of a type (`managedDevice`), member (`managedDevice/deviceName`)
    /// or operation (by its annotation target).
    pub fn description(&self, target: &str) -> Option<&str> {
        self.descriptions
            .get(target)
            .map(String::as_str)
            .filter(|d| !d.trim().is_empty())
    }

    /// Microsoft's description of an operation, annotated under its signature.
    pub fn operation_description(&self, operation: &Operation) -> Option<&str> {
        let prefix = operation
            .target
            .strip_prefix("microsoft.graph.")
            .unwrap_or(&operation.target);
        let mut matches: Vec<(&String, &String)> = self
            .descriptions
            .iter()
            .filter(|(k, _)| k.starts_with(prefix) && k[prefix.len()..].starts_with([',', ')']))
            .collect();
        matches.sort();
        matches
            .first()
            .map(|(_, d)| d.as_str())
            .filter(|d| !d.trim().is_empty())
    }

    /// False when Microsoft's capability annotations forbid `write` on entity type `ty` (as
    /// on `cloudPcServicePlan`, which Graph only reads).
    pub fn allows(&self, ty: &str, write: Write) -> bool {
        !self.forbidden.contains(&(ty.to_owned(), write))
    }

    /// Whether `owner/navigation` has a `$ref` path (`NavigationRestrictions/Referenceable`).
    pub fn is_referenceable(&self, owner: &str, navigation: &str) -> bool {
        self.referenceable
            .contains(&format!("{owner}/{navigation}"))
    }

    /// Whether the items of `owner/navigation` can be addressed by key (true unless
    /// `NavigationRestrictions` say `IndexableByKey` false).
    pub fn is_indexable(&self, owner: &str, navigation: &str) -> bool {
        !self
            .not_indexable
            .contains(&format!("{owner}/{navigation}"))
    }

    /// `Some(updatable)` when structural property `owner/property` has a path of its own
    /// (`ReadRestrictions/Readable`), with whether it takes a PATCH (`UpdateRestrictions`).
    pub fn property_path(&self, owner: &str, property: &str) -> Option<bool> {
        self.addressable
            .get(&format!("{owner}/{property}"))
            .copied()
    }

    /// The subtypes of its target a navigation property's paths cast to (`…/mobileApps/{id}/
    /// microsoft.graph.win32LobApp`): those its `DerivedTypeConstraint` names that this schema
    /// declares as entity types deriving from the target (a constraint may name types of a
    /// later schema), in CSDL order.
    pub fn cast_targets(&self, owner: &str, navigation: &str, target: &str) -> Vec<String> {
        self.derived_types
            .get(&format!("{owner}/{navigation}"))
            .into_iter()
            .flatten()
            .filter(|t| {
                t.as_str() != target
                    && self.entities.contains_key(t.as_str())
                    && self.lineage(t).iter().any(|a| a.name == target)
            })
            .cloned()
            .collect()
    }

    /// The single-property alternate keys of an entity type, in CSDL order.
    pub fn alternate_keys(&self, ty: &str) -> &[String] {
        self.alternate_keys.get(ty).map_or(&[], Vec::as_slice)
    }

    /// A property annotated as computed or read-only.
    pub fn is_read_only(&self, owner: &str, property: &str) -> bool {
        self.read_only.contains(&format!("{owner}/{property}"))
    }

    /// An entity or complex type by short name.
    pub fn struct_type(&self, name: &str) -> Option<&StructType> {
        self.entities.get(name).or_else(|| self.complexes.get(name))
    }

    /// The properties of a key of several (`id`, `policyId`, `deviceId`), declared on the type
    /// or the root of its lineage; `None` for a key of one property.
    pub fn composite_key(&self, name: &str) -> Option<&[String]> {
        let root = self.lineage(name).into_iter().last()?;
        (root.key.len() > 1).then_some(root.key.as_slice())
    }

    /// The type and its ancestors, nearest first.
    pub fn lineage(&self, name: &str) -> Vec<&StructType> {
        let mut out = Vec::new();
        let mut next = self.struct_type(name);
        while let Some(ty) = next {
            out.push(ty);
            next = ty.base.as_deref().and_then(|b| self.struct_type(b));
        }
        out
    }

    /// Direct subtypes, by name order.
    pub fn subtypes(&self, name: &str) -> Vec<&StructType> {
        self.entities
            .values()
            .chain(self.complexes.values())
            .filter(|t| t.base.as_deref() == Some(name))
            .collect()
    }

    /// The operations bound to this type or a collection of it.
    pub fn bound_to(&self, name: &str, collection: bool) -> Vec<&Operation> {
        self.operations
            .iter()
            .filter(|o| o.binding.name == name && o.binding.collection == collection)
            .collect()
    }
}

fn is(node: &roxmltree::Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(EDM)
}

fn required(node: &roxmltree::Node<'_, '_>, attribute: &str) -> Result<String, String> {
    node.attribute(attribute).map(str::to_owned).ok_or_else(|| {
        format!(
            "a <{}> element has no `{attribute}` attribute",
            node.tag_name().name()
        )
    })
}

fn struct_type(node: &roxmltree::Node<'_, '_>) -> Result<StructType, String> {
    let mut properties = Vec::new();
    let mut navigations = Vec::new();
    let mut key = Vec::new();
    for child in node.children().filter(roxmltree::Node::is_element) {
        match child.tag_name().name() {
            "Key" => {
                for part in child.children().filter(|c| is(c, "PropertyRef")) {
                    key.push(required(&part, "Name")?);
                }
            }
            "Property" => properties.push(Property {
                name: required(&child, "Name")?,
                ty: TypeRef::parse(&required(&child, "Type")?),
                nullable: child.attribute("Nullable") != Some("false"),
            }),
            "NavigationProperty" => navigations.push(Navigation {
                name: required(&child, "Name")?,
                ty: TypeRef::parse(&required(&child, "Type")?),
                contained: child.attribute("ContainsTarget") == Some("true"),
            }),
            _ => {}
        }
    }
    Ok(StructType {
        name: required(node, "Name")?,
        base: node
            .attribute("BaseType")
            .map(|b| TypeRef::parse(b).name)
            .filter(|b| b != "entity"),
        is_abstract: node.attribute("Abstract") == Some("true"),
        properties,
        navigations,
        key,
    })
}

fn operation(node: &roxmltree::Node<'_, '_>) -> Result<Operation, String> {
    let name = required(node, "Name")?;
    let mut parameters = node.children().filter(|c| is(c, "Parameter"));
    let binding = parameters
        .next()
        .ok_or_else(|| format!("bound operation `{name}` has no binding parameter"))?;
    let binding_text = required(&binding, "Type")?;
    let parameters: Vec<(Parameter, String)> = parameters
        .map(|p| {
            let text = required(&p, "Type")?;
            Ok((
                Parameter {
                    name: required(&p, "Name")?,
                    ty: TypeRef::parse(&text),
                    optional: p.children().any(|a| {
                        is(&a, "Annotation")
                            && a.attribute("Term") == Some("Org.OData.Core.V1.OptionalParameter")
                    }),
                },
                text,
            ))
        })
        .collect::<Result<_, String>>()?;
    // Annotation targets spell types fully qualified.
    let qualify = |t: &str| {
        t.replace("graph.", "microsoft.graph.")
            .replace("microsoft.microsoft.", "microsoft.")
    };
    Ok(Operation {
        target: format!("{name}({}", qualify(&binding_text)),
        name,
        is_action: node.tag_name().name() == "Action",
        binding: TypeRef::parse(&binding_text),
        parameters: parameters.into_iter().map(|(p, _)| p).collect(),
        returns: node
            .children()
            .find(|c| is(c, "ReturnType"))
            .and_then(|r| r.attribute("Type"))
            .map(TypeRef::parse),
    })
}
