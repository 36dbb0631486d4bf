//! `cargo run -p graph-codegen` regenerates graph-intune's declarations (and their end-to-end
//! test); `cargo run -p graph-codegen -- --check` fails when the committed files differ.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Folders the generator owns entirely: a file there that it did not write is stale.
const OWNED_DIRS: &[&str] = &[
    "graph-intune/src/generated",
    "graph-intune/src/generated/endpoints",
    "graph-intune-beta/src/generated",
    "graph-intune-beta/src/generated/endpoints",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("from-sdk") {
        return from_sdk(&args[1..]);
    }
    let check = std::env::args().any(|a| a == "--check");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = match graph_codegen::generate(&workspace) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("graph-codegen: {message}");
            return ExitCode::FAILURE;
        }
    };
    let mut differing = Vec::new();
    for (relative, text) in &files {
        let path = workspace.join(relative);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        differing.push(relative.clone());
        if !check {
            if let Some(parent) = path.parent()
                && let Err(e) = std::fs::create_dir_all(parent)
            {
                eprintln!("graph-codegen: cannot create {}: {e}", parent.display());
                return ExitCode::FAILURE;
            }
            if let Err(e) = std::fs::write(&path, text) {
                eprintln!("graph-codegen: cannot write {relative}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    for dir in OWNED_DIRS {
        for stale in stale_files(&workspace, dir, &files) {
            differing.push(format!("{stale} (not generated any more)"));
            if !check {
                let _ = std::fs::remove_file(workspace.join(&stale));
            }
        }
    }
    if check && !differing.is_empty() {
        eprintln!(
            "graph-codegen --check: {} file(s) differ from what the generator writes; run `cargo run -p graph-codegen` and commit:",
            differing.len()
        );
        for file in &differing {
            eprintln!("  {file}");
        }
        return ExitCode::FAILURE;
    }
    println!(
        "graph-codegen: {} files, {} {}",
        files.len(),
        differing.len(),
        if check { "differ" } else { "written" }
    );
    ExitCode::SUCCESS
}

fn stale_files(
    workspace: &Path,
    dir: &str,
    files: &std::collections::BTreeMap<String, String>,
) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(workspace.join(dir)) else {
        return Vec::new();
    };
    let mut stale: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p: PathBuf| {
            p.file_name()
                .map(|n| format!("{dir}/{}", n.to_string_lossy()))
        })
        .filter(|relative| !files.contains_key(relative))
        .collect();
    stale.sort();
    stale
}

/// `graph-codegen from-sdk <sdk generated/ folder> <root,root> <out.xml> <out-pairs.txt> <source>`:
/// converts a Kiota Python SDK (see `graph_codegen::sdk`).
fn from_sdk(args: &[String]) -> ExitCode {
    let [generated, roots, csdl, pairs, source] = args else {
        eprintln!(
            "usage: graph-codegen from-sdk <sdk generated/ folder> <root,root> <out.xml> <out-pairs.txt> <source>"
        );
        return ExitCode::FAILURE;
    };
    let roots: Vec<String> = roots.split(',').map(str::to_owned).collect();
    let converted = match graph_codegen::sdk::convert(Path::new(generated), &roots, source) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("graph-codegen from-sdk: {message}");
            return ExitCode::FAILURE;
        }
    };
    let mut listing = converted.pairs.join("\n");
    listing.push('\n');
    for (path, text) in [(csdl, &converted.csdl), (pairs, &listing)] {
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("graph-codegen from-sdk: cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    println!(
        "graph-codegen from-sdk: {} pairs, {} bytes of CSDL",
        converted.pairs.len(),
        converted.csdl.len()
    );
    ExitCode::SUCCESS
}
