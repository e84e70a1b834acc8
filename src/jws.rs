//! JWTs tokvault signs itself: the assertions that mint machine tokens
//! (GitHub App JWTs, RFC 7523 grants) and authenticate OAuth2 clients
//! (private_key_jwt, client_secret_jwt).
//!
//! Keys are PEM as GitHub and Google hand them out: PKCS#1 (`RSA PRIVATE
//! KEY`) or PKCS#8 (`PRIVATE KEY`), RSA of 2048 to 8192 bits or EC P-256.
//! Signing is ring's, already in the build for TLS: constant-time RSA, no
//! system library.

use crate::secret::Secret;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, RsaKeyPair};
use serde_json::{Value, json};
use zeroize::Zeroizing;

/// A PEM key is a few KiB; bounds what a mistaken path costs.
pub const MAX_KEY_FILE: u64 = 64 << 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum Alg {
    RS256,
    PS256,
    ES256,
    HS256,
}

impl Alg {
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::PS256 => "PS256",
            Alg::ES256 => "ES256",
            Alg::HS256 => "HS256",
        }
    }

    pub fn parse(s: &str) -> Option<Alg> {
        [Alg::RS256, Alg::PS256, Alg::ES256, Alg::HS256]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

enum Key {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
    Hmac(ring::hmac::Key),
}

/// A key ready to sign, with its algorithm.
pub struct SigningKey {
    alg: Alg,
    key: Key,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({}, redacted)", self.alg.as_str())
    }
}

impl SigningKey {
    /// A private key from PEM text. `alg` picks RS256 or PS256 for an RSA
    /// key (RS256 when absent); an EC key is ES256. The reason a key is
    /// refused never quotes the key.
    pub fn from_pem(pem: &Secret, alg: Option<Alg>) -> Result<SigningKey, String> {
        if alg == Some(Alg::HS256) {
            return Err("HS256 signs with the client secret, not a key file".into());
        }
        let (label, der) = pem_body(pem.expose())?;
        let rsa = |key: RsaKeyPair| -> Result<SigningKey, String> {
            let bits = key.public().modulus_len() * 8;
            if !(2048..=8192).contains(&bits) {
                return Err(format!(
                    "an RSA key of {bits} bits (2048 to 8192 are accepted)"
                ));
            }
            match alg {
                Some(Alg::ES256) => Err("an RSA key, which cannot sign ES256".into()),
                Some(Alg::PS256) => Ok(SigningKey {
                    alg: Alg::PS256,
                    key: Key::Rsa(key),
                }),
                _ => Ok(SigningKey {
                    alg: Alg::RS256,
                    key: Key::Rsa(key),
                }),
            }
        };
        match label.as_str() {
            "RSA PRIVATE KEY" => rsa(RsaKeyPair::from_der(&der).map_err(rsa_rejected)?),
            "PRIVATE KEY" => {
                match RsaKeyPair::from_pkcs8(&der) {
                    Ok(key) => return rsa(key),
                    // Of a size ring will not use: said so, rather than
                    // "an unsupported type".
                    Err(e) if matches!(e.to_string().as_str(), "TooSmall" | "TooLarge") => {
                        return Err(rsa_rejected(e));
                    }
                    Err(_) => {}
                }
                let ec = EcdsaKeyPair::from_pkcs8(
                    &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                    &der,
                    &SystemRandom::new(),
                )
                .map_err(|_| {
                    "an unsupported key type (RSA or EC P-256 keys are accepted)".to_string()
                })?;
                if matches!(alg, Some(Alg::RS256 | Alg::PS256)) {
                    return Err("an EC key, which signs ES256 only".into());
                }
                Ok(SigningKey {
                    alg: Alg::ES256,
                    key: Key::Ec(ec),
                })
            }
            "EC PRIVATE KEY" => Err("an EC key in SEC1 form; convert it to PKCS#8 with \
                 `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`"
                .into()),
            "ENCRYPTED PRIVATE KEY" => Err("an encrypted key; decrypt it first \
                 (`openssl pkcs8 -in KEY -out KEY.plain`)"
                .into()),
            other => Err(format!(
                "a PEM '{}', not a private key",
                crate::text::clean(other, 40)
            )),
        }
    }

    /// An HS256 key: the client secret itself (client_secret_jwt).
    pub fn hmac(secret: &Secret) -> SigningKey {
        SigningKey {
            alg: Alg::HS256,
            key: Key::Hmac(ring::hmac::Key::new(
                ring::hmac::HMAC_SHA256,
                secret.expose().as_bytes(),
            )),
        }
    }

    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// A compact JWT of `claims`, with `kid` in its header when given.
    pub fn sign(&self, kid: Option<&str>, claims: &Value) -> Result<Secret, String> {
        let mut header = json!({"alg": self.alg.as_str(), "typ": "JWT"});
        if let Some(kid) = kid {
            header["kid"] = kid.into();
        }
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let rng = SystemRandom::new();
        let signature = match &self.key {
            Key::Rsa(key) => {
                let padding: &dyn signature::RsaEncoding = match self.alg {
                    Alg::PS256 => &signature::RSA_PSS_SHA256,
                    _ => &signature::RSA_PKCS1_SHA256,
                };
                let mut sig = vec![0; key.public().modulus_len()];
                key.sign(padding, &rng, input.as_bytes(), &mut sig)
                    .map_err(|_| "signing failed".to_string())?;
                sig
            }
            Key::Ec(key) => key
                .sign(&rng, input.as_bytes())
                .map_err(|_| "signing failed".to_string())?
                .as_ref()
                .to_vec(),
            Key::Hmac(key) => ring::hmac::sign(key, input.as_bytes()).as_ref().to_vec(),
        };
        Ok(Secret::new(format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        )))
    }
}

fn rsa_rejected(e: ring::error::KeyRejected) -> String {
    match e.to_string().as_str() {
        "TooSmall" => "an RSA key of fewer than 2048 bits (2048 to 8192 are accepted)".into(),
        "TooLarge" => "an RSA key of more than 8192 bits (2048 to 8192 are accepted)".into(),
        _ => format!("an RSA key that cannot be used ({e})"),
    }
}

/// The label and DER bytes of the one PEM block in `text`.
fn pem_body(text: &str) -> Result<(String, Zeroizing<Vec<u8>>), String> {
    let not_pem = || "not a PEM private key (-----BEGIN PRIVATE KEY----- ...)".to_string();
    let start = text.find("-----BEGIN ").ok_or_else(not_pem)?;
    let rest = &text[start + "-----BEGIN ".len()..];
    let (label, rest) = rest.split_once("-----").ok_or_else(not_pem)?;
    let end_marker = format!("-----END {label}-----");
    let (body, _) = rest.split_once(&end_marker).ok_or_else(not_pem)?;
    if body.contains("Proc-Type:") && body.contains("ENCRYPTED") {
        return Err(
            "an encrypted key; decrypt it first (`openssl rsa -in KEY -out KEY.plain`)".into(),
        );
    }
    let b64: Zeroizing<String> = Zeroizing::new(
        body.lines()
            .filter(|l| !l.contains(':'))
            .flat_map(str::chars)
            .filter(|c| !c.is_whitespace())
            .collect(),
    );
    let der = STANDARD
        .decode(b64.as_bytes())
        .map_err(|_| "a PEM block that is not base64".to_string())?;
    Ok((label.to_string(), Zeroizing::new(der)))
}

/// 16 random bytes, hex: a JWT's unique `jti`.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_usable_key() {
        let cases = [
            ("", "not a PEM"),
            ("hello", "not a PEM"),
            (
                "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n",
                "not base64",
            ),
            (
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "unsupported key type",
            ),
            (
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "not a private key",
            ),
            (
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
                "encrypted",
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
                "encrypted",
            ),
            (
                "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
                "SEC1",
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
                "cannot be used",
            ),
        ];
        for (pem, why) in cases {
            let e = SigningKey::from_pem(&Secret::new(pem), None).unwrap_err();
            assert!(e.contains(why), "{pem:?}: {e}");
        }
    }

    #[test]
    fn ec_keys_sign_es256_and_verify() {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .unwrap();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            STANDARD.encode(pkcs8.as_ref())
        );
        let key = SigningKey::from_pem(&Secret::new(pem.clone()), None).unwrap();
        assert_eq!(key.alg(), Alg::ES256);
        assert!(SigningKey::from_pem(&Secret::new(pem), Some(Alg::RS256)).is_err());
        let jwt = key.sign(Some("k1"), &json!({"iss": "me"})).unwrap();
        let parts: Vec<&str> = jwt.expose().split('.').collect();
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header, json!({"alg": "ES256", "typ": "JWT", "kid": "k1"}));
        let pair = EcdsaKeyPair::from_pkcs8(
            &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            pkcs8.as_ref(),
            &rng,
        )
        .unwrap();
        use ring::signature::KeyPair;
        signature::UnparsedPublicKey::new(
            &signature::ECDSA_P256_SHA256_FIXED,
            pair.public_key().as_ref(),
        )
        .verify(
            format!("{}.{}", parts[0], parts[1]).as_bytes(),
            &URL_SAFE_NO_PAD.decode(parts[2]).unwrap(),
        )
        .unwrap();
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_text_is_a_clear_refusal_or_a_key(text in ".{0,400}") {
                if let Err(e) = SigningKey::from_pem(&Secret::new(text.clone()), None) {
                    prop_assert!(e.len() < 200);
                    prop_assert!(text.len() < 12 || !e.contains(&text));
                }
            }
        }
    }
}
