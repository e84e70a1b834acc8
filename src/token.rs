//! What a credential holds: its type, its secret token data, and JWT claims.

use crate::secret::Secret;
use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum TokenType {
    /// An OAuth2 access token, with or without a refresh token.
    Oauth2,
    /// An API key: never expires unless told, never refreshed.
    ApiKey,
    /// A JWT: its `exp` claim sets the expiry.
    Jwt,
}

impl TokenType {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenType::Oauth2 => "oauth2",
            TokenType::ApiKey => "api_key",
            TokenType::Jwt => "jwt",
        }
    }

    pub fn parse(s: &str) -> Option<TokenType> {
        [TokenType::Oauth2, TokenType::ApiKey, TokenType::Jwt]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

/// The secret part of a credential, in the Tokens API's shape. Fields a
/// provider sends that are not named here are kept in `extra`.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct TokenData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "number_or_string"
    )]
    pub expires_in: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<Secret>,
    /// The PEM key a machine identity mints its tokens with; never printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<Secret>,
    /// How a machine identity mints its tokens (GitHub App, service account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// What a machine identity is and how it mints (`mint` does); sealed
/// with its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Identity {
    GithubApp {
        app_id: String,
        installation_id: u64,
        api_url: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        repositories: Vec<String>,
        #[serde(default, skip_serializing_if = "Map::is_empty")]
        permissions: Map<String, Value>,
    },
    GoogleServiceAccount {
        client_email: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        private_key_id: Option<String>,
        token_uri: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        scopes: Vec<String>,
        /// Domain-wide delegation: the user to act as.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        /// An ID token for this audience instead of an access token.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        audience: Option<String>,
    },
}

/// Only the names of the fields present: their values may all be secret.
impl fmt::Debug for TokenData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenData")
            .field("fields", &self.field_names())
            .finish_non_exhaustive()
    }
}

/// The fields of token data tokvault does not name. They may be secret
/// too (AWS keys live there, and whatever else a provider sends): their
/// text is wiped when they go.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Extra(Map<String, Value>);

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        Extra(map)
    }
}

impl std::ops::Deref for Extra {
    type Target = Map<String, Value>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Drop for Extra {
    fn drop(&mut self) {
        fn wipe(value: &mut Value) {
            match value {
                Value::String(s) => zeroize::Zeroize::zeroize(s),
                Value::Array(items) => items.iter_mut().for_each(wipe),
                Value::Object(map) => map.values_mut().for_each(wipe),
                _ => {}
            }
        }
        self.0.values_mut().for_each(wipe);
    }
}

/// Some providers send `expires_in` as a string ("3600").
fn number_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    use serde::de::Error;
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map(Some)
            .ok_or_else(|| D::Error::custom("expires_in is not a number of seconds")),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| D::Error::custom("expires_in is not a number of seconds")),
        Some(_) => Err(D::Error::custom("expires_in is not a number of seconds")),
    }
}

impl TokenData {
    /// What `get --json` shows: everything but a machine identity's private
    /// key, which only says that it is kept.
    pub fn shown(&self) -> TokenData {
        let mut shown = self.clone();
        if shown.private_key.take().is_some() {
            shown.extra.insert(
                "private_key".into(),
                "(kept in the vault, never printed)".into(),
            );
        }
        shown
    }

    /// The secret `get` prints: the api key for api_key credentials, the
    /// access token (or JWT) otherwise.
    pub fn primary(&self, kind: TokenType) -> Option<&Secret> {
        let (first, second) = match kind {
            TokenType::ApiKey => (&self.api_key, &self.access_token),
            TokenType::Oauth2 | TokenType::Jwt => (&self.access_token, &self.api_key),
        };
        first.as_ref().or(second.as_ref())
    }

    /// Every secret field that is set, for masking (AWS keys included).
    pub fn secrets(&self) -> impl Iterator<Item = Secret> + '_ {
        [
            &self.access_token,
            &self.refresh_token,
            &self.id_token,
            &self.client_secret,
            &self.api_key,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .chain(self.aws().into_iter().flat_map(|k| {
            [Some(k.secret_access_key), k.session_token]
                .into_iter()
                .flatten()
        }))
    }

    /// AWS keys kept in the token data, under AWS's own names
    /// (`AccessKeyId`, as `aws sts` prints them) or snake_case ones.
    pub fn aws(&self) -> Option<AwsKeys> {
        let field = |snake: &str, aws: &str| {
            self.extra
                .get(snake)
                .or_else(|| self.extra.get(aws))
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        Some(AwsKeys {
            access_key_id: field("access_key_id", "AccessKeyId")?,
            secret_access_key: Secret::new(field("secret_access_key", "SecretAccessKey")?),
            session_token: field("session_token", "SessionToken").map(Secret::new),
            expiration: field("expiration", "Expiration"),
        })
    }

    /// Names of the fields present, sorted, read without copying any value
    /// (a serialization would put every secret in a `Value` first).
    fn field_names(&self) -> Vec<String> {
        let known = [
            ("access_token", self.access_token.is_some()),
            ("refresh_token", self.refresh_token.is_some()),
            ("token_type", self.token_type.is_some()),
            ("expires_in", self.expires_in.is_some()),
            ("scope", self.scope.is_some()),
            ("id_token", self.id_token.is_some()),
            ("client_id", self.client_id.is_some()),
            ("client_secret", self.client_secret.is_some()),
            ("api_key", self.api_key.is_some()),
            ("private_key", self.private_key.is_some()),
            ("identity", self.identity.is_some()),
        ];
        let mut names: Vec<String> = known
            .into_iter()
            .filter(|(_, set)| *set)
            .map(|(name, _)| name.to_string())
            .chain(self.extra.keys().cloned())
            .collect();
        names.sort();
        names
    }

    /// One field as text for `--field`, or `None` when absent. Objects and
    /// arrays come out as compact JSON.
    pub fn field(&self, name: &str) -> Option<Secret> {
        let value = serde_json::to_value(self).ok()?;
        Some(Secret::new(match value.get(name)? {
            Value::String(s) => s.clone(),
            Value::Null => return None,
            other => other.to_string(),
        }))
    }
}

/// AWS access keys, as `credential_process` hands them to the SDKs.
pub struct AwsKeys {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
    /// RFC 3339, as given.
    pub expiration: Option<String>,
}

/// A JSON error without the values it quotes: serde names the offending
/// value (`invalid type: integer `123``), and that value may be a secret.
pub fn json_error(e: &serde_json::Error) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in e.to_string().chars() {
        match (quote, c) {
            (None, '`' | '"') => {
                quote = Some(c);
                out.push_str("(value hidden)");
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, c) => out.push(c),
        }
    }
    out
}

/// Where the absolute expiry of a refresh token is kept in token data.
pub const REFRESH_EXPIRES_AT: &str = "refresh_token_expires_at";

/// A `refresh_token_expires_in` (GitHub and others send it) made absolute
/// at receipt, as `expires_in` is: the refresh token's own end, which
/// `check` reports.
pub fn stamp_refresh_expiry(data: &mut TokenData, now: i64) {
    let secs = match data.extra.get("refresh_token_expires_in") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    if let Some(secs) = secs {
        let at = now
            .saturating_add(secs.clamp(0, crate::time::MAX_DURATION))
            .min(crate::time::MAX_EXPIRY);
        data.extra.insert(REFRESH_EXPIRES_AT.into(), at.into());
    }
}

/// When the refresh token stops working, when its provider said.
pub fn refresh_expires_at(data: &TokenData) -> Option<i64> {
    data.extra.get(REFRESH_EXPIRES_AT).and_then(Value::as_i64)
}

/// What is wrong with the expiry a token came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadExpiry {
    /// `expires_in` below zero: the token was expired when it arrived.
    Negative(i64),
    /// Later than `time::MAX_EXPIRY`.
    TooLate,
    /// A JWT whose `exp` claim is not a NumericDate.
    NotANumber,
    /// An `expiration` that is not an RFC 3339 time.
    NotATime,
}

impl fmt::Display for BadExpiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A number below any real lifetime was clamped on reading.
            BadExpiry::Negative(n) if *n > -crate::time::MAX_DURATION => {
                write!(f, "expires_in is {n}: the token was already expired")
            }
            BadExpiry::Negative(_) => {
                write!(
                    f,
                    "expires_in is a huge negative number: the token was already expired"
                )
            }
            BadExpiry::TooLate => write!(
                f,
                "the expiry is later than {}",
                crate::time::MAX_EXPIRY_TEXT
            ),
            BadExpiry::NotANumber => write!(f, "the JWT's exp claim is not a number of seconds"),
            BadExpiry::NotATime => write!(f, "expiration is not an RFC 3339 time"),
        }
    }
}

/// When a token received `now` expires: from `expires_in`, else from the
/// `exp` claim of a JWT, else never (as far as anyone said).
pub fn expires_at(data: &TokenData, kind: TokenType, now: i64) -> Result<Option<i64>, BadExpiry> {
    let aws_expiration = || {
        data.aws()
            .and_then(|k| k.expiration)
            .map(|t| crate::time::parse_time(&t).map_err(|_| BadExpiry::NotATime))
            .transpose()
    };
    let at = match data.expires_in {
        Some(secs) if secs < 0 => return Err(BadExpiry::Negative(secs)),
        Some(secs) => Some(now.saturating_add(secs)),
        None => match data.primary(kind) {
            Some(s) => jwt_exp(s.expose())?,
            None => aws_expiration()?,
        },
    };
    match at {
        Some(t) if t > crate::time::MAX_EXPIRY => Err(BadExpiry::TooLate),
        at => Ok(at),
    }
}

/// The expiry of tokens a token endpoint just issued. What cannot be kept
/// as sent is clamped, with a warning: the tokens themselves must be
/// stored. A negative `expires_in` is kept (the token *is* expired) and
/// returned for the caller to report once the tokens are safe.
pub fn issued_expiry(data: &TokenData, now: i64) -> (Option<i64>, Option<BadExpiry>) {
    match expires_at(data, TokenType::Oauth2, now) {
        Ok(at) => (at, None),
        Err(BadExpiry::Negative(n)) => (
            Some(now.saturating_add(n).max(0)),
            Some(BadExpiry::Negative(n)),
        ),
        Err(e) => {
            let kept = match e {
                BadExpiry::TooLate => Some(crate::time::MAX_EXPIRY),
                _ => None,
            };
            crate::notice::warn(format!(
                "the token endpoint's answer: {e}; keeping {}",
                kept.map_or("no expiry".into(), crate::time::timestamp)
            ));
            (kept, None)
        }
    }
}

/// The claims of a JWT, decoded without checking its signature.
pub fn jwt_claims(token: &str) -> Option<Map<String, Value>> {
    let mut parts = token.split('.');
    let (_header, payload) = (parts.next()?, parts.next()?);
    parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    decode_segment(payload)
}

/// The header and claims of a JWT, for showing an id_token.
pub fn jwt_parts(token: &str) -> Option<(Map<String, Value>, Map<String, Value>)> {
    let header = decode_segment(token.split('.').next()?)?;
    Some((header, jwt_claims(token)?))
}

/// Checks that `token` is a signed JWT (JWS compact form): three base64url
/// parts, the first two JSON objects, with a numeric `exp` if any.
pub fn check_jwt(token: &str) -> Result<(), String> {
    let parts = token.split('.').count();
    if parts != 3 {
        return Err(format!(
            "not a JWT: a JWT has three parts separated by dots, this has {parts}"
        ));
    }
    if jwt_parts(token).is_none() {
        return Err(
            "not a JWT: its header and claims are not base64url-encoded JSON objects".into(),
        );
    }
    jwt_exp(token).map(|_| ()).map_err(|e| e.to_string())
}

fn decode_segment(segment: &str) -> Option<Map<String, Value>> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The `exp` claim of a JWT, in Unix seconds: `Ok(None)` for a token that
/// is not a JWT or has no `exp`; an error for an `exp` that is not a
/// NumericDate (a string, a boolean, null, an array).
pub fn jwt_exp(token: &str) -> Result<Option<i64>, BadExpiry> {
    let Some(claims) = jwt_claims(token) else {
        return Ok(None);
    };
    match claims.get("exp") {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(secs) if secs > crate::time::MAX_EXPIRY => Err(BadExpiry::TooLate),
            Some(secs) => Ok(Some(secs)),
            None => match n.as_f64() {
                Some(f)
                    if f.is_finite()
                        && f >= i64::MIN as f64
                        && f < crate::time::MAX_EXPIRY as f64 =>
                {
                    Ok(Some(f.floor() as i64))
                }
                Some(f) if f > 0.0 => Err(BadExpiry::TooLate),
                _ => Err(BadExpiry::NotANumber),
            },
        },
        Some(_) => Err(BadExpiry::NotANumber),
    }
}

/// Checks the secret fields of token data: no NUL byte (no environment
/// variable or C string can hold one), and a primary secret that is not
/// blank. Names the field, never the value.
pub fn check_secrets(data: &TokenData, kind: TokenType) -> Result<(), String> {
    let fields = [
        ("access_token", &data.access_token),
        ("refresh_token", &data.refresh_token),
        ("id_token", &data.id_token),
        ("client_secret", &data.client_secret),
        ("api_key", &data.api_key),
    ];
    let aws = data.aws();
    let aws_fields = [
        (
            "secret_access_key",
            aws.as_ref().map(|k| k.secret_access_key.clone()),
        ),
        (
            "session_token",
            aws.as_ref().and_then(|k| k.session_token.clone()),
        ),
    ];
    for (name, value) in fields
        .into_iter()
        .map(|(n, v)| (n, v.clone()))
        .chain(aws_fields)
    {
        if let Some(v) = &value {
            if v.expose().contains('\0') {
                return Err(format!("{name} contains a NUL byte"));
            }
            if v.expose().trim().is_empty() {
                return Err(format!("{name} is empty"));
            }
        }
    }
    if kind == TokenType::Jwt
        && let Some(token) = data.primary(kind)
    {
        check_jwt(token.expose())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", e(r#"{"alg":"none"}"#), e(claims))
    }

    #[test]
    fn reads_exp_from_a_jwt() {
        assert_eq!(
            jwt_exp(&jwt(r#"{"exp":1700000000,"sub":"x"}"#)),
            Ok(Some(1700000000))
        );
        assert_eq!(
            jwt_exp(&jwt(r#"{"exp":1700000000.7}"#)),
            Ok(Some(1700000000))
        );
        assert_eq!(jwt_exp("not-a-jwt"), Ok(None));
        assert_eq!(jwt_exp(&jwt(r#"{"sub":"x"}"#)), Ok(None));
        for bad in [
            r#"{"exp":"1"}"#,
            r#"{"exp":true}"#,
            r#"{"exp":null}"#,
            r#"{"exp":[1]}"#,
        ] {
            assert_eq!(jwt_exp(&jwt(bad)), Err(BadExpiry::NotANumber), "{bad}");
        }
        assert_eq!(jwt_exp(&jwt(r#"{"exp":1e30}"#)), Err(BadExpiry::TooLate));
        assert_eq!(
            jwt_exp(&jwt(r#"{"exp":253402300799}"#)),
            Err(BadExpiry::TooLate)
        );
    }

    #[test]
    fn only_three_part_jwts_pass() {
        assert!(check_jwt(&jwt(r#"{"sub":"x"}"#)).is_ok());
        for bad in [
            "not-a-jwt-at-all",
            "a.b",
            "a.b.c",
            "a.b.c.d",
            "a.b.c.d.e",
            "",
        ] {
            assert!(check_jwt(bad).is_err(), "{bad}");
        }
        let four = format!("{}.x", jwt(r#"{"sub":"x"}"#));
        assert!(check_jwt(&four).is_err());
    }

    #[test]
    fn expiries_are_bounded() {
        let data = |v: serde_json::Value| serde_json::from_value::<TokenData>(v).unwrap();
        let now = 1_700_000_000;
        let d = data(serde_json::json!({"access_token": "a", "expires_in": 60}));
        assert_eq!(expires_at(&d, TokenType::Oauth2, now), Ok(Some(now + 60)));
        let d = data(serde_json::json!({"access_token": "a", "expires_in": 1e30}));
        assert_eq!(
            expires_at(&d, TokenType::Oauth2, now),
            Err(BadExpiry::TooLate)
        );
        assert_eq!(
            issued_expiry(&d, now),
            (Some(crate::time::MAX_EXPIRY), None)
        );
        let d = data(serde_json::json!({"access_token": "a", "expires_in": -3600}));
        assert_eq!(
            issued_expiry(&d, now),
            (Some(now - 3600), Some(BadExpiry::Negative(-3600)))
        );
    }

    #[test]
    fn json_errors_hide_values() {
        let e = serde_json::from_str::<TokenData>(r#"{"api_key": 9876543210}"#).unwrap_err();
        let shown = json_error(&e);
        assert!(
            !shown.contains("9876543210") && shown.contains("line 1"),
            "{shown}"
        );
        let e = serde_json::from_str::<TokenData>(r#"{"expires_in": "soon"}"#).unwrap_err();
        assert!(
            json_error(&e).contains("expires_in is not a number"),
            "{}",
            json_error(&e)
        );
    }

    #[test]
    fn expires_in_may_be_a_string() {
        let t: TokenData =
            serde_json::from_str(r#"{"access_token":"a","expires_in":"3600"}"#).unwrap();
        assert_eq!(t.expires_in, Some(3600));
        assert!(serde_json::from_str::<TokenData>(r#"{"expires_in":"soon"}"#).is_err());
    }

    #[test]
    fn debug_names_fields_but_shows_no_value() {
        let t: TokenData =
            serde_json::from_str(r#"{"access_token":"SECRET1","team":{"id":"SECRET2"}}"#).unwrap();
        let shown = format!("{t:?}");
        assert!(
            shown.contains("access_token") && shown.contains("team"),
            "{shown}"
        );
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    #[test]
    fn field_reads_known_and_extra_fields() {
        let t: TokenData =
            serde_json::from_str(r#"{"refresh_token":"r","expires_in":5,"team":{"id":"T"}}"#)
                .unwrap();
        assert_eq!(t.field("refresh_token").unwrap().expose(), "r");
        assert_eq!(t.field("expires_in").unwrap().expose(), "5");
        assert_eq!(t.field("team").unwrap().expose(), r#"{"id":"T"}"#);
        assert!(t.field("nope").is_none());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn json_value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_map(Value::from),
                ".{0,20}".prop_map(Value::String),
            ];
            leaf.prop_recursive(3, 24, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    prop::collection::btree_map(
                        prop_oneof![
                            Just("access_token".to_string()),
                            Just("expires_in".to_string()),
                            Just("refresh_token".to_string()),
                            Just("exp".to_string()),
                            "[a-z_]{1,8}",
                        ],
                        inner,
                        0..6
                    )
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #[test]
            fn token_responses_never_panic(value in json_value(), now in 0i64..4_000_000_000) {
                if let Ok(data) = serde_json::from_value::<TokenData>(value) {
                    let _ = check_secrets(&data, TokenType::Oauth2);
                    let (at, _) = issued_expiry(&data, now);
                    prop_assert!(at.is_none_or(|t| t <= crate::time::MAX_EXPIRY));
                    if let Ok(Some(t)) = expires_at(&data, TokenType::Jwt, now) {
                        prop_assert!(t <= crate::time::MAX_EXPIRY);
                    }
                }
            }

            #[test]
            fn jwt_checks_never_panic(token in ".{0,200}") {
                let _ = check_jwt(&token);
                let _ = jwt_exp(&token);
            }

            #[test]
            fn a_jwts_exp_reads_back(exp in 0i64..=crate::time::MAX_EXPIRY, claims in json_value()) {
                let mut claims = match claims {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                claims.insert("exp".into(), exp.into());
                let token = jwt(&Value::Object(claims).to_string());
                prop_assert!(check_jwt(&token).is_ok());
                prop_assert_eq!(jwt_exp(&token), Ok(Some(exp)));
            }

            #[test]
            fn json_errors_never_quote_a_value(secret in "[A-Za-z0-9]{12,30}") {
                let text = format!(r#"{{"access_token": {secret}}}"#);
                if let Err(e) = serde_json::from_str::<TokenData>(&text) {
                    prop_assert!(!json_error(&e).contains(&secret));
                }
            }
        }
    }
}
