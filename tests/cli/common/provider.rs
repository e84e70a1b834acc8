//! A real HTTP server on 127.0.0.1, started by a test, that plays a
//! provider's token endpoint and records every request it gets.

use base64::Engine;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The form body (or a JSON object body) as a map.
    pub fn form(&self) -> HashMap<String, String> {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&self.body) {
            return map
                .into_iter()
                .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
                .collect();
        }
        form_urlencoded::parse(self.body.as_bytes())
            .into_owned()
            .collect()
    }

    pub fn param(&self, name: &str) -> Option<String> {
        self.form().get(name).cloned()
    }

    /// The HTTP Basic credentials, form-decoded as RFC 6749 §2.3.1 says.
    pub fn basic(&self) -> Option<(String, String)> {
        let encoded = self.header("authorization")?.strip_prefix("Basic ")?;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (id, secret) = text.split_once(':')?;
        let dec = |s: &str| {
            form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .unwrap()
                .1
                .into_owned()
        };
        Some((dec(id), dec(secret)))
    }
}

pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub delay: Duration,
    pub location: Option<String>,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            body: body.to_string(),
            delay: Duration::ZERO,
            location: None,
        }
    }

    pub fn raw(status: u16, content_type: &'static str, body: impl Into<String>) -> Reply {
        Reply {
            status,
            content_type,
            body: body.into(),
            delay: Duration::ZERO,
            location: None,
        }
    }

    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct Provider {
    pub url: String,
    server: Arc<tiny_http::Server>,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Provider {
    /// Starts serving; each request is answered on its own thread, so a slow
    /// answer does not hold up the next request.
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Provider {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let url = format!("http://{}", server.server_addr().to_ip().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (srv, log) = (server.clone(), requests.clone());
        std::thread::spawn(move || {
            for mut req in srv.incoming_requests() {
                let mut body = String::new();
                let _ = req.as_reader().read_to_string(&mut body);
                let (path, query) = match req.url().split_once('?') {
                    Some((p, q)) => (p.to_string(), q.to_string()),
                    None => (req.url().to_string(), String::new()),
                };
                let recorded = Request {
                    method: req.method().to_string(),
                    path,
                    query,
                    headers: req
                        .headers()
                        .iter()
                        .map(|h| (h.field.to_string(), h.value.to_string()))
                        .collect(),
                    body,
                };
                log.lock().unwrap().push(recorded.clone());
                let handler = handler.clone();
                std::thread::spawn(move || {
                    let reply = handler(&recorded);
                    std::thread::sleep(reply.delay);
                    let header = tiny_http::Header::from_bytes(
                        &b"Content-Type"[..],
                        reply.content_type.as_bytes(),
                    )
                    .unwrap();
                    let mut response = tiny_http::Response::from_string(reply.body)
                        .with_status_code(reply.status)
                        .with_header(header);
                    if let Some(location) = &reply.location {
                        response.add_header(
                            tiny_http::Header::from_bytes(&b"Location"[..], location.as_bytes())
                                .unwrap(),
                        );
                    }
                    let _ = req.respond(response);
                });
            }
        });
        Provider {
            url,
            server,
            requests,
        }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// Requests of one grant type.
    pub fn grants(&self, grant_type: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.param("grant_type").as_deref() == Some(grant_type))
            .collect()
    }

    pub fn token_url(&self) -> String {
        format!("{}/token", self.url)
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// A token response.
pub fn tokens(access: &str, refresh: Option<&str>, expires_in: i64) -> serde_json::Value {
    let mut v = serde_json::json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": expires_in,
    });
    if let Some(r) = refresh {
        v["refresh_token"] = r.into();
    }
    v
}
