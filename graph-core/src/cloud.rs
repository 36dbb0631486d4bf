//! National clouds: one setting picks the Graph host, the login authority and the scope.

use std::fmt;

use url::Url;

/// The four Graph national clouds an endpoint can be available in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NationalCloud {
    /// graph.microsoft.com
    Global,
    /// US Government L4: graph.microsoft.us
    UsGov,
    /// US Government L5 (DoD): dod-graph.microsoft.us
    UsGovDod,
    /// China, operated by 21Vianet: microsoftgraph.chinacloudapi.cn
    China,
}

impl NationalCloud {
    /// All four.
    pub const ALL: &'static [NationalCloud] =
        &[Self::Global, Self::UsGov, Self::UsGovDod, Self::China];

    /// A short name: `global`, `usgov`, `usgovdod`, `china`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::UsGov => "usgov",
            Self::UsGovDod => "usgovdod",
            Self::China => "china",
        }
    }

    /// Parses [`NationalCloud::name`] (case-insensitive; `dod`, `gcchigh`, `21vianet` too).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "global" | "public" | "azurepublic" => Some(Self::Global),
            "usgov" | "gcchigh" | "usgovl4" => Some(Self::UsGov),
            "usgovdod" | "dod" | "usgovl5" => Some(Self::UsGovDod),
            "china" | "21vianet" => Some(Self::China),
            _ => None,
        }
    }
}

impl fmt::Display for NationalCloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where Graph and its login authority are.
///
/// ```
/// use graphwire_core::Cloud;
/// let cloud = Cloud::us_gov_dod();
/// assert_eq!(cloud.graph_root(), "https://dod-graph.microsoft.us/");
/// assert_eq!(cloud.authority(), "https://login.microsoftonline.us/");
/// assert_eq!(cloud.scope(), "https://dod-graph.microsoft.us/.default");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cloud {
    national: NationalCloud,
    /// Always ends with `/`.
    graph_root: String,
    /// Always ends with `/`.
    authority: String,
    custom: bool,
}

impl Cloud {
    /// The global cloud: graph.microsoft.com, login.microsoftonline.com.
    pub fn global() -> Self {
        Self::preset(
            NationalCloud::Global,
            "https://graph.microsoft.com/",
            "https://login.microsoftonline.com/",
        )
    }

    /// US Government L4: graph.microsoft.us, login.microsoftonline.us.
    pub fn us_gov() -> Self {
        Self::preset(
            NationalCloud::UsGov,
            "https://graph.microsoft.us/",
            "https://login.microsoftonline.us/",
        )
    }

    /// US Government L5 (DoD): dod-graph.microsoft.us, login.microsoftonline.us.
    pub fn us_gov_dod() -> Self {
        Self::preset(
            NationalCloud::UsGovDod,
            "https://dod-graph.microsoft.us/",
            "https://login.microsoftonline.us/",
        )
    }

    /// China (21Vianet): microsoftgraph.chinacloudapi.cn, login.chinacloudapi.cn.
    pub fn china() -> Self {
        Self::preset(
            NationalCloud::China,
            "https://microsoftgraph.chinacloudapi.cn/",
            "https://login.chinacloudapi.cn/",
        )
    }

    /// The cloud the environment names, so that one binary runs against Graph in production
    /// and against an emulator in tests without linking it:
    ///
    /// - `GRAPHWIRE_GRAPH_ROOT` (and `GRAPHWIRE_LOGIN_AUTHORITY`, default the same URL): any
    ///   Graph root, such as an `intune-emulator` started for the test;
    /// - else `AZURE_CLOUD` (`global`, `usgov`, `usgovdod`, `china`): that national cloud;
    /// - else the global cloud.
    ///
    /// A value that is not a URL or a cloud's name is [`Error::InvalidArgument`] naming the
    /// variable.
    ///
    /// ```
    /// use graphwire_core::Cloud;
    /// let cloud = Cloud::from_lookup(|name| (name == "AZURE_CLOUD").then(|| "usgov".to_owned())).unwrap();
    /// assert_eq!(cloud, Cloud::us_gov());
    /// let emulated = Cloud::from_lookup(|name| {
    ///     (name == "GRAPHWIRE_GRAPH_ROOT").then(|| "http://127.0.0.1:8080".to_owned())
    /// })
    /// .unwrap();
    /// assert_eq!(emulated.graph_root(), "http://127.0.0.1:8080/");
    /// assert_eq!(emulated.authority(), "http://127.0.0.1:8080/");
    /// ```
    pub fn from_env() -> crate::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Same as [`Cloud::from_env`], reading from `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> crate::Result<Self> {
        let url = |name: &str, value: &str| {
            Url::parse(value)
                .map_err(|e| crate::Error::invalid(name, format!("`{value}` is not a URL: {e}")))
        };
        if let Some(root) = lookup("GRAPHWIRE_GRAPH_ROOT") {
            let graph = url("GRAPHWIRE_GRAPH_ROOT", &root)?;
            let authority = match lookup("GRAPHWIRE_LOGIN_AUTHORITY") {
                Some(login) => url("GRAPHWIRE_LOGIN_AUTHORITY", &login)?,
                None => graph.clone(),
            };
            return Ok(Self::custom(graph, authority));
        }
        match lookup("AZURE_CLOUD") {
            None => Ok(Self::global()),
            Some(name) => NationalCloud::from_name(&name)
                .map(Self::national)
                .ok_or_else(|| {
                    crate::Error::invalid(
                        "AZURE_CLOUD",
                        format!("`{name}` is not a cloud: use global, usgov, usgovdod or china"),
                    )
                }),
        }
    }

    /// The preset for a national cloud.
    pub fn national(cloud: NationalCloud) -> Self {
        match cloud {
            NationalCloud::Global => Self::global(),
            NationalCloud::UsGov => Self::us_gov(),
            NationalCloud::UsGovDod => Self::us_gov_dod(),
            NationalCloud::China => Self::china(),
        }
    }

    /// Any Graph root and authority (an emulator, a proxy). It stands for the global cloud for
    /// availability checks unless [`Cloud::emulating`] says otherwise.
    pub fn custom(graph_root: Url, authority: Url) -> Self {
        Self {
            national: NationalCloud::Global,
            graph_root: with_trailing_slash(graph_root),
            authority: with_trailing_slash(authority),
            custom: true,
        }
    }

    fn preset(national: NationalCloud, graph_root: &str, authority: &str) -> Self {
        Self {
            national,
            graph_root: graph_root.to_owned(),
            authority: authority.to_owned(),
            custom: false,
        }
    }

    /// The same hosts, checked against another national cloud's endpoint availability.
    pub fn emulating(mut self, cloud: NationalCloud) -> Self {
        self.national = cloud;
        self
    }

    /// Replaces the login authority (China's can differ per tenant).
    pub fn with_authority(mut self, authority: Url) -> Self {
        self.authority = with_trailing_slash(authority);
        self
    }

    /// The national cloud endpoints are checked against.
    pub fn national_cloud(&self) -> NationalCloud {
        self.national
    }

    /// Graph's root, e.g. `https://graph.microsoft.com/`.
    pub fn graph_root(&self) -> &str {
        &self.graph_root
    }

    /// The login authority, e.g. `https://login.microsoftonline.com/`.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The `.default` scope of this cloud's Graph.
    pub fn scope(&self) -> String {
        format!("{}.default", self.graph_root)
    }

    /// True for [`Cloud::custom`].
    pub fn is_custom(&self) -> bool {
        self.custom
    }
}

impl Default for Cloud {
    fn default() -> Self {
        Self::global()
    }
}

fn with_trailing_slash(url: Url) -> String {
    let mut text = String::from(url);
    if !text.ends_with('/') {
        text.push('/');
    }
    text
}
