//! The structure the crates promise (ARCHITECTURE.md): no module imports one that imports it
//! back, and the runtime's `__private` module holds re-exports only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file belongs to, as a path below `src` (`client/pipeline.rs` → `client::pipeline`).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

/// The code of a file that is compiled outside tests, without comments and macro bodies' `$crate`.
fn non_test_code(text: &str) -> String {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .filter(|line| !line.contains("$crate"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Edges between sibling modules: `a -> b` when code in `a` (or below it) names `b` through
/// `crate::` (top-level modules) or `super::` (siblings below one parent).
fn module_edges(src: &Path) -> BTreeSet<(String, String)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut edges = BTreeSet::new();
    for file in files {
        let module = module_of(src, &file);
        let Some(top) = module.first() else {
            continue;
        };
        let code = non_test_code(&std::fs::read_to_string(&file).unwrap());
        for (prefix, from, scope) in [
            ("crate::", top.clone(), String::new()),
            (
                "super::",
                module.last().cloned().unwrap_or_default(),
                module[..module.len() - 1].join("::"),
            ),
        ] {
            for (index, _) in code.match_indices(prefix) {
                let name: String = code[index + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                // Only module names (lower case); `crate::Error` is a re-export, not a module.
                if name.is_empty() || name.starts_with(|c: char| c.is_ascii_uppercase()) {
                    continue;
                }
                let is_module = src
                    .join(scope.replace("::", "/"))
                    .join(format!("{name}.rs"))
                    .exists()
                    || src.join(scope.replace("::", "/")).join(&name).is_dir();
                if is_module && name != from {
                    edges.insert((format!("{scope}/{from}"), format!("{scope}/{name}")));
                }
            }
        }
    }
    edges
}

fn cycles(src: &Path) -> Vec<(String, String)> {
    let edges = module_edges(src);
    let mut found = Vec::new();
    for (a, b) in &edges {
        if a < b && edges.contains(&(b.clone(), a.clone())) {
            found.push((a.clone(), b.clone()));
        }
    }
    found
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let root = workspace();
    let mut report = BTreeMap::new();
    for krate in [
        "graph-core",
        "graph-macros",
        "graph-testkit",
        "graph-intune",
    ] {
        let src = root.join(krate).join("src");
        // The graph is read at all: every crate's modules name one another somewhere.
        assert!(!module_edges(&src).is_empty(), "{krate}: no edges read");
        report.insert(krate, cycles(&src));
    }
    let expected: BTreeMap<&str, Vec<(String, String)>> =
        report.keys().map(|k| (*k, Vec::new())).collect();
    assert_eq!(report, expected);
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let dir = std::env::temp_dir().join(format!("graphwire-structure-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\n").unwrap();
    std::fs::write(src.join("a.rs"), "use crate::b::B;\n").unwrap();
    std::fs::write(src.join("b.rs"), "pub struct B;\nuse crate::a;\n").unwrap();
    let found = cycles(&src);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found, [("/a".to_owned(), "/b".to_owned())]);
}

#[test]
fn private_module_holds_re_exports_only() {
    let text = std::fs::read_to_string(workspace().join("graph-core/src/__private.rs")).unwrap();
    let other: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| {
            !(line.is_empty()
                || line.starts_with("//")
                || line.starts_with("#[doc(hidden)]")
                || line.starts_with("pub use ")
                || !line.contains(|c: char| c.is_ascii_alphabetic()) // continuation lines: `};`
                || line.ends_with(','))
        })
        .collect();
    assert_eq!(other, Vec::<&str>::new());
}
