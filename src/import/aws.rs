//! `~/.aws/credentials` and `~/.aws/config`, read as botocore reads them
//! (Python's configparser: `[default]`, `[name]` in credentials,
//! `[profile name]` in config, keys in any case, no quotes or escapes, a
//! repeated section or key an error). Profiles with keys become AWS
//! credentials that `aws-credential` serves; profiles that assume a role
//! or sign in with SSO hold no keys and are reported.

use super::{Entry, Found};
use crate::token::{TokenData, TokenType};
use std::collections::BTreeMap;

/// Keys tools that write session credentials use for their expiry
/// (aws-vault, saml2aws, gimme-aws-creds, `aws configure export-credentials`).
const EXPIRY_KEYS: &[&str] = &[
    "aws_session_expiration",
    "aws_credential_expiration",
    "aws_expiration",
    "x_security_token_expires",
];

pub fn parse(text: &str) -> Result<Found, String> {
    let options = ini::ParseOption {
        enabled_quote: false,
        enabled_escape: false,
        enabled_indented_mutiline_value: true,
        ..ini::ParseOption::default()
    };
    let ini = ini::Ini::load_from_str_opt(text, options)
        .map_err(|e| format!("line {}: not an AWS config or credentials file", e.line))?;
    let is_config = ini.sections().flatten().any(|s| {
        s.starts_with("profile ") || s.starts_with("sso-session ") || s.starts_with("services ")
    });
    let mut seen = Vec::new();
    let mut found = Found::default();
    for (section, properties) in ini.iter() {
        let Some(section) = section else {
            if properties.iter().next().is_some() {
                return Err("a key comes before the first [section]".into());
            }
            continue;
        };
        // rust-ini reads a name up to its `]` across lines; configparser
        // refuses that file, and the name would carry what follows.
        if section.contains(['\n', '\r'])
            || properties.iter().any(|(k, _)| k.contains(['\n', '\r']))
        {
            return Err("a [section] is not closed, or a line has no =".into());
        }
        if seen.contains(&section) {
            return Err(format!("[{}] appears twice", crate::text::excerpt(section)));
        }
        seen.push(section);
        let mut keys = BTreeMap::new();
        for (key, value) in properties.iter() {
            if keys
                .insert(key.trim().to_ascii_lowercase(), value.trim())
                .is_some()
            {
                return Err(format!(
                    "[{}]: {} appears twice",
                    crate::text::excerpt(section),
                    crate::text::excerpt(key)
                ));
            }
        }
        let profile = match (is_config, section.strip_prefix("profile ")) {
            (true, Some(name)) => name.trim(),
            (true, None) if section == "default" => section,
            // sso-session, services and bare names are not profiles in config.
            (true, None) => {
                if !(section.starts_with("sso-session ") || section.starts_with("services ")) {
                    found.skip(
                        format!("[{section}]"),
                        "not a profile: a config file names them [profile NAME]",
                    );
                }
                continue;
            }
            (false, _) => section,
        };
        let source = format!("[{section}]");
        let get = |key: &str| keys.get(key).copied().filter(|v| !v.is_empty());
        let (Some(id), Some(secret)) = (get("aws_access_key_id"), get("aws_secret_access_key"))
        else {
            found.skip(source, why_no_keys(&keys));
            continue;
        };
        let mut data = TokenData::default();
        data.extra.insert("AccessKeyId".into(), id.into());
        data.extra.insert("SecretAccessKey".into(), secret.into());
        if let Some(token) = get("aws_session_token").or_else(|| get("aws_security_token")) {
            data.extra.insert("SessionToken".into(), token.into());
        }
        if let Some(at) = EXPIRY_KEYS.iter().find_map(|k| get(k)) {
            data.extra.insert("Expiration".into(), at.into());
        }
        found.entries.push(Entry {
            source,
            name: format!("aws-{profile}"),
            provider: "aws".into(),
            token_type: TokenType::ApiKey,
            scopes: Vec::new(),
            expires_at: None,
            data,
            route: None,
        });
    }
    Ok(found)
}

/// Why a profile has nothing to import.
fn why_no_keys(keys: &BTreeMap<String, &str>) -> String {
    let has = |k: &str| keys.contains_key(k);
    if let Some(process) = keys.get("credential_process") {
        if process.contains("tokvault") {
            return "it already asks tokvault (credential_process)".into();
        }
        return "its keys come from credential_process".into();
    }
    if has("role_arn") {
        return "it assumes a role (role_arn): the SDK makes its keys".into();
    }
    if has("sso_session") || has("sso_start_url") {
        return "it signs in with IAM Identity Center (sso): no keys are in the file".into();
    }
    if has("web_identity_token_file") {
        return "its keys come from a web identity token".into();
    }
    match (has("aws_access_key_id"), has("aws_secret_access_key")) {
        (true, false) => "aws_secret_access_key is missing".into(),
        (false, true) => "aws_access_key_id is missing".into(),
        _ => "no keys (its other settings stay in the file)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_read_as_botocore_reads_them() {
        let text = "[default]\r\nAWS_ACCESS_KEY_ID = AKIA1\r\naws_secret_access_key = s;e#c\"r'et\r\n\
                    ; a comment\n# another\n[dev]\naws_access_key_id=AKIA2\naws_secret_access_key=s2\n\
                    aws_session_token=tok\naws_session_expiration=2030-01-01T00:00:00Z\n\
                    [ci]\naws_access_key_id=AKIA3\n";
        let found = parse(text).unwrap();
        let got: Vec<_> = found
            .entries
            .iter()
            .map(|e| {
                let k = e.data.aws().unwrap();
                (
                    e.name.clone(),
                    k.access_key_id,
                    k.secret_access_key.expose().to_string(),
                    k.session_token.map(|t| t.expose().to_string()),
                    k.expiration,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "aws-default".into(),
                    "AKIA1".into(),
                    "s;e#c\"r'et".into(),
                    None,
                    None
                ),
                (
                    "aws-dev".into(),
                    "AKIA2".into(),
                    "s2".into(),
                    Some("tok".into()),
                    Some("2030-01-01T00:00:00Z".into())
                ),
            ]
        );
        assert_eq!(found.skipped[0].reason, "aws_secret_access_key is missing");
    }

    #[test]
    fn config_profiles_and_what_has_no_keys() {
        let text = "[default]\nregion=eu-west-1\n[profile admin]\nrole_arn=arn:aws:iam::1:role/a\n\
                    source_profile=default\n[profile keys]\naws_access_key_id=A\naws_secret_access_key=S\n\
                    [sso-session corp]\nsso_start_url=https://x\n[profile sso]\nsso_session=corp\n";
        let found = parse(text).unwrap();
        assert_eq!(found.entries.len(), 1);
        assert_eq!(found.entries[0].name, "aws-keys");
        let reasons: Vec<_> = found.skipped.iter().map(|s| s.source.as_str()).collect();
        assert_eq!(reasons, ["[default]", "[profile admin]", "[profile sso]"]);
    }

    #[test]
    fn what_botocore_refuses_is_refused() {
        for text in [
            "[a]\nx=1\n[a]\ny=2\n",
            "[a]\nx=1\nX=2\n",
            "x=1\n[a]\n",
            "[unclosed\nx=1\n",
            "[default\naws_access_key_id = A\naws_secret_access_key = SECRET\n[dev]\n",
            "[a]\nno equals here\nx=1\n",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
