//! Reading the files Kiota writes for Python: model classes, enums and request builders. Kiota's
//! output is regular (one class per file, one line per property in fixed forms), so a few
//! patterns read it whole; a file that does not match them is an error naming the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;

/// Kiota's fixed forms, as patterns (compiled once).
struct Patterns {
    /// `from ....models.win32_lob_app import Win32LobApp`: a class and the module it comes from.
    import: Regex,
    class: Regex,
    /// A property's deserializer: JSON name, Python attribute, reader and its argument.
    field: Regex,
    /// The JSON names `serialize` writes (Kiota leaves read-only properties out).
    written: Regex,
    /// A class attribute with the comment Kiota writes above it (Microsoft's description).
    attribute: Regex,
    enum_member: Regex,
    /// A discriminator value and the class it makes: every type deriving from this one.
    derived: Regex,
    docstring: Regex,
    url_template: Regex,
    /// A request method: verb, body class (if any), declared result.
    method: Regex,
    /// How the method reads the answer: `send_primitive_async(request_info, "int", …)`.
    send: Regex,
    method_doc: Regex,
}

fn re(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern)
        .map_err(|e| format!("the converter's pattern {pattern} does not compile: {e}"))
}

fn patterns() -> Result<&'static Patterns, String> {
    static PATTERNS: OnceLock<Result<Patterns, String>> = OnceLock::new();
    PATTERNS
        .get_or_init(|| {
            Ok(Patterns {
            import: re(r"(?m)^\s*from (\.+)([\w.]*) import (\w+)\s*$")?,
            class: re(r"(?m)^class (\w+)\(([^)]*)\):")?,
            field: re(r#"(?m)^\s*"([^"]+)": lambda n : setattr\(self, '(\w+)', n\.(\w+)\(([\w.]*)\)\),$"#)?,
            written: re(r#"(?m)^\s*writer\.write_\w+\("([^"]+)","#)?,
            attribute: re(r#"(?m)^    # (.*)\n    (\w+): Optional\[(list\[)?[\w.]+\]?\] = (None|"([^"]*)")$"#)?,
            enum_member: re(r#"(?m)(?:^    # (.*)\n)?^    \w+ = "([^"]*)",$"#)?,
            derived: re(r##"casefold\(\) == "#microsoft\.graph\.([\w.]+)"\.casefold\(\):\s*\n\s*from (\.+)([\w.]*) import (\w+)"##)?,
            docstring: re(r#"(?ms)^class [^\n]*\n    """\n(.*?)\n    """"#)?,
            url_template: re(r#"super\(\)\.__init__\(request_adapter, "\{\+baseurl\}([^"{?]*(?:\{[^?][^}]*\}[^"{?]*)*)"#)?,
            method: re(r"(?m)^    async def (get|post|patch|put|delete)\(self,(?:body: (\w+), )?request_configuration[^)]*\) -> ([^:]+):")?,
            send: re(r#"return await self\.request_adapter\.(\w+)\(request_info, "?(\w+)"?"#)?,
            method_doc: re(r#"(?ms)^    async def (\w+)\([^\n]*\n        """\n        ([^\n]*)"#)?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A Python module by its dotted path below the SDK's `generated` package
/// (`models.win32_lob_app`).
pub type Module = String;

/// One property as Kiota reads it.
#[derive(Debug, Clone)]
pub struct Field {
    pub json: String,
    /// The parse-node method (`get_str_value`, `get_collection_of_object_values`, …).
    pub reader: String,
    /// The class the reader is given (`Win32LobAppDetection`, `str`), resolved to its module
    /// when it is a generated class.
    pub argument: Argument,
    /// The attribute is declared `list[…]`: a collection, unless the reader makes it a
    /// flags enum (a collection reader on a single value).
    pub list: bool,
    pub description: Option<String>,
    /// `serialize` writes it.
    pub written: bool,
}

/// What a reader is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Argument {
    /// Nothing (`get_str_value()`).
    None,
    /// A Python builtin or library type (`str`, `datetime.datetime`, `UUID`).
    Builtin(String),
    /// A generated class.
    Class(Module),
}

/// A model class or an enum.
#[derive(Debug, Clone)]
pub enum Class {
    Model(Model),
    Enum(Enum),
}

#[derive(Debug, Clone)]
pub struct Model {
    pub class: String,
    pub module: Module,
    /// The generated base class (`None` for a root or for `AdditionalDataHolder` only).
    pub base: Option<Module>,
    pub description: Option<String>,
    /// `#microsoft.graph.win32LobApp`, where Kiota writes it as the default of `odata_type`.
    pub odata_type: Option<String>,
    pub fields: Vec<Field>,
    /// Every type deriving from this one, directly or not: its Graph name (after
    /// `microsoft.graph.`) and module.
    pub derived: Vec<(String, Module)>,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub class: String,
    /// Wire values with their descriptions, in order.
    pub members: Vec<(String, Option<String>)>,
}

/// One request builder: a URL template and what may be sent to it.
#[derive(Debug, Clone)]
pub struct Builder {
    /// The path, percent-encoded as Kiota writes it (`{managedDevice%2Did}`), without the query.
    pub template: String,
    /// The class's first docstring line: says what the path is (`Provides operations to
    /// manage the assignments property of the microsoft.graph.x entity.`).
    pub doc: String,
    pub methods: Vec<Method>,
    pub file: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Method {
    /// `GET`, `POST`, …
    pub verb: String,
    pub body: Option<Module>,
    pub result: Result_,
    pub description: Option<String>,
}

/// What a method answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Result_ {
    Nothing,
    /// `send_primitive_async(…, "int")`: a Python primitive, or an enum by its Graph name.
    Primitive(String),
    Class(Module),
}

/// The SDK's `generated` folder, read on demand and remembered.
pub struct Tree {
    root: PathBuf,
    classes: BTreeMap<Module, Class>,
}

impl Tree {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_owned(),
            classes: BTreeMap::new(),
        }
    }

    fn module_file(&self, module: &str) -> PathBuf {
        let mut path = self.root.clone();
        for part in module.split('.') {
            path.push(part);
        }
        path.set_extension("py");
        path
    }

    /// The class a module holds.
    pub fn class(&mut self, module: &str) -> Result<&Class, String> {
        if !self.classes.contains_key(module) {
            let file = self.module_file(module);
            let text = read(&file)?;
            let class =
                parse_class(module, &text).map_err(|e| format!("{}: {e}", file.display()))?;
            self.classes.insert(module.to_owned(), class);
        }
        self.classes
            .get(module)
            .ok_or_else(|| format!("{module} was not read"))
    }

    /// Every request builder below `folder` (`device_management`), by template.
    pub fn builders(&self, folder: &str) -> Result<Vec<Builder>, String> {
        let mut files = Vec::new();
        collect(&self.root.join(folder), &mut files)?;
        files.sort();
        let mut out = Vec::new();
        for file in files {
            let text = read(&file)?;
            let module = self.module_of(&file)?;
            out.push(
                parse_builder(&module, &text, &file)
                    .map_err(|e| format!("{}: {e}", file.display()))?,
            );
        }
        Ok(out)
    }

    fn module_of(&self, file: &Path) -> Result<Module, String> {
        let relative = file
            .strip_prefix(&self.root)
            .map_err(|_| format!("{} is outside the SDK tree", file.display()))?;
        let text = relative.with_extension("");
        Ok(text
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("."))
    }
}

fn read(file: &Path) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with("_request_builder.py"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The modules a file imports, by class name: relative imports resolved against `module`.
fn imports(p: &Patterns, module: &str, text: &str) -> BTreeMap<String, Module> {
    let package: Vec<&str> = module.split('.').collect();
    let mut out = BTreeMap::new();
    for c in p.import.captures_iter(text) {
        let dots = c[1].len();
        if dots > package.len() {
            continue;
        }
        let mut parts: Vec<&str> = package[..package.len() - dots].to_vec();
        parts.extend(c[2].split('.').filter(|p| !p.is_empty()));
        out.insert(c[3].to_owned(), parts.join("."));
    }
    out
}

fn first_docstring(p: &Patterns, text: &str) -> Option<String> {
    p.docstring.captures(text).map(|c| {
        c[1].lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
            .trim()
            .to_owned()
    })
}

fn parse_class(module: &str, text: &str) -> Result<Class, String> {
    let p = patterns()?;
    let class = p.class.captures(text).ok_or("no class")?;
    let name = class[1].to_owned();
    let bases: Vec<&str> = class
        .get(2)
        .map_or("", |m| m.as_str())
        .split(',')
        .map(str::trim)
        .collect();
    if bases.contains(&"Enum") {
        let members = p
            .enum_member
            .captures_iter(text)
            .map(|c| (c[2].to_owned(), c.get(1).map(|d| d.as_str().to_owned())))
            .collect();
        return Ok(Class::Enum(Enum {
            class: name,
            members,
        }));
    }
    let mut imported = imports(p, module, text);
    // A class naming itself (`groupPolicyCategory/children`) does not import itself.
    imported.insert(name.clone(), module.to_owned());
    let base = bases
        .iter()
        .find(|b| !matches!(**b, "AdditionalDataHolder" | "BackedModel" | "Parsable"))
        .map(|b| {
            imported
                .get(*b)
                .cloned()
                .ok_or_else(|| format!("base class {b} is not imported"))
        })
        .transpose()?;
    let mut descriptions = BTreeMap::new();
    let mut lists = BTreeMap::new();
    let mut odata_type = None;
    for c in p.attribute.captures_iter(text) {
        let attribute = c[2].to_owned();
        if attribute == "odata_type" {
            odata_type = c.get(5).map(|m| m.as_str().to_owned());
        }
        lists.insert(attribute.clone(), c.get(3).is_some());
        descriptions.insert(attribute, c[1].to_owned());
    }
    let written: std::collections::BTreeSet<String> = p
        .written
        .captures_iter(text)
        .map(|c| c[1].to_owned())
        .collect();
    let mut fields = Vec::new();
    for c in p.field.captures_iter(text) {
        let (json, attribute, reader, argument) = (&c[1], &c[2], &c[3], &c[4]);
        let argument = if argument.is_empty() {
            Argument::None
        } else if let Some(m) = imported.get(argument) {
            Argument::Class(m.clone())
        } else {
            Argument::Builtin(argument.to_owned())
        };
        fields.push(Field {
            json: json.to_owned(),
            reader: reader.to_owned(),
            argument,
            list: lists.get(attribute).copied().unwrap_or(false),
            description: descriptions
                .get(attribute)
                .filter(|d| !d.starts_with("The ") || !d.ends_with(" property"))
                .cloned(),
            written: written.contains(json),
        });
    }
    let package: Vec<&str> = module.split('.').collect();
    let derived = p
        .derived
        .captures_iter(text)
        .filter_map(|c| {
            let dots = c[2].len();
            let mut parts: Vec<&str> = package.get(..package.len().checked_sub(dots)?)?.to_vec();
            parts.extend(c[3].split('.').filter(|p| !p.is_empty()));
            Some((c[1].to_owned(), parts.join(".")))
        })
        .collect();
    Ok(Class::Model(Model {
        derived,
        class: name,
        module: module.to_owned(),
        base,
        description: first_docstring(p, text),
        odata_type,
        fields,
    }))
}

fn parse_builder(module: &str, text: &str, file: &Path) -> Result<Builder, String> {
    let p = patterns()?;
    let template = p.url_template.captures(text).ok_or("no URL template")?[1].to_owned();
    let doc = first_docstring(p, text).unwrap_or_default();
    let imported = imports(p, module, text);
    let docs: BTreeMap<String, String> = p
        .method_doc
        .captures_iter(text)
        .map(|c| (c[1].to_owned(), c[2].trim().to_owned()))
        .collect();
    // Each method's `send_…` line follows its signature, in the same order.
    let sends: Vec<(String, String)> = p
        .send
        .captures_iter(text)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect();
    let signatures: Vec<_> = p.method.captures_iter(text).collect();
    if signatures.len() != sends.len() {
        return Err(format!(
            "{} request methods but {} answers read",
            signatures.len(),
            sends.len()
        ));
    }
    let mut methods = Vec::new();
    for (c, (send, what)) in signatures.iter().zip(sends) {
        let resolve = |class: &str| {
            imported
                .get(class)
                .cloned()
                .ok_or_else(|| format!("class {class} is not imported"))
        };
        let body = c.get(2).map(|b| resolve(b.as_str())).transpose()?;
        let result = match send.as_str() {
            "send_no_response_content_async" => Result_::Nothing,
            "send_primitive_async" => Result_::Primitive(what),
            "send_async" => Result_::Class(resolve(&what)?),
            other => return Err(format!("unknown way of reading an answer: {other}")),
        };
        methods.push(Method {
            verb: c[1].to_uppercase(),
            body,
            result,
            description: docs.get(&c[1]).cloned(),
        });
    }
    Ok(Builder {
        template,
        doc,
        methods,
        file: file.to_owned(),
    })
}
