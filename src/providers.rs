//! The built-in providers, as data.

/// A known service. OAuth2 endpoints and quirks arrive with OAuth2 clients.
#[derive(Debug)]
pub struct Provider {
    pub name: &'static str,
    /// openai and anthropic issue API keys only; there is nothing to refresh.
    pub api_key_only: bool,
}

pub const PROVIDERS: &[Provider] = &[
    Provider {
        name: "google",
        api_key_only: false,
    },
    Provider {
        name: "slack",
        api_key_only: false,
    },
    Provider {
        name: "openai",
        api_key_only: true,
    },
    Provider {
        name: "anthropic",
        api_key_only: true,
    },
    Provider {
        name: "github",
        api_key_only: false,
    },
    Provider {
        name: "microsoft",
        api_key_only: false,
    },
    Provider {
        name: "zoom",
        api_key_only: false,
    },
    Provider {
        name: "dropbox",
        api_key_only: false,
    },
    Provider {
        name: "notion",
        api_key_only: false,
    },
];

pub fn find(name: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.name == name)
}

pub fn names() -> String {
    PROVIDERS
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}
