//! What the generator writes, crate by crate: `graphwire-intune` from the v1.0 CSDL and
//! `graphwire-intune-beta` from the beta SDK's converted tree (`crate::sdk`). One generator,
//! one set of rules; a target names only where its input is and where its output goes.

/// One generated crate.
pub struct Target {
    /// The URL's version segment: `v1.0`, `beta`.
    pub version: &'static str,
    /// The crate's folder, relative to the workspace (`graph-intune`).
    pub crate_dir: &'static str,
    /// The package name (`graphwire-intune`).
    pub package: &'static str,
    /// The handle type `client.<accessor>()` returns (`Intune`).
    pub handle: &'static str,
    /// The client's accessor (`intune`).
    pub accessor: &'static str,
    /// The CSDL the crate is generated from, relative to the workspace.
    pub metadata: &'static str,
    /// The end-to-end test files: `{n}` is replaced by the part's number when there are
    /// several (each compiles as a test binary of its own).
    pub e2e: &'static str,
    /// How many end-to-end files the handlers are spread over.
    pub e2e_parts: usize,
    /// The SDK pairs the surface must equal, when the input is a converted SDK (every
    /// template the generator writes is one of them, and each of them is generated).
    pub sdk_pairs: Option<&'static str>,
    /// The most methods one handler may have ([`crate::surface::MAX_METHODS_PER_HANDLER`]):
    /// an area with more gets a handler per navigation below it
    /// (`virtual_endpoint().cloud_pcs()`), and a handler still over it fails generation.
    pub max_methods_per_handler: usize,
}

impl Target {
    /// `graphwire_intune`.
    pub fn krate(&self) -> String {
        self.package.replace('-', "_")
    }

    /// `Intune's v1.0`, for titles.
    pub fn label(&self) -> String {
        format!("Intune's {}", self.version)
    }

    /// The end-to-end file of part `n` (counted from 1).
    pub fn e2e_file(&self, n: usize) -> String {
        self.e2e.replace("{n}", &n.to_string())
    }
}

/// Graph v1.0: `graphwire-intune`.
pub const V1: Target = Target {
    version: "v1.0",
    crate_dir: "graph-intune",
    package: "graphwire-intune",
    handle: "Intune",
    accessor: "intune",
    metadata: "graph-codegen/metadata/cleanMetadata-v1.0.xml",
    e2e: "tests/tests/generated_endpoints.rs",
    e2e_parts: 1,
    sdk_pairs: None,
    max_methods_per_handler: crate::surface::MAX_METHODS_PER_HANDLER,
};

/// Graph beta: `graphwire-intune-beta`.
pub const BETA: Target = Target {
    version: "beta",
    crate_dir: "graph-intune-beta",
    package: "graphwire-intune-beta",
    handle: "IntuneBeta",
    accessor: "intune_beta",
    metadata: "graph-codegen/metadata/intune-beta-from-sdk.xml",
    e2e: "tests-beta/tests/generated_endpoints_{n}.rs",
    e2e_parts: 4,
    sdk_pairs: Some("graph-codegen/metadata/intune-beta-sdk-pairs.txt"),
    max_methods_per_handler: crate::surface::MAX_METHODS_PER_HANDLER,
};

/// Every target, in the order they are generated.
pub const TARGETS: &[&Target] = &[&V1, &BETA];
