//! A client of the public address: HTTP through HAProxy from a chosen loopback source address
//! (so the replicas see each client as a different caller), with the public host name the
//! platform would use, the basic-auth credentials, and webhook signatures.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{Value, json};

use crate::cluster::{PASSWORD, SIGNING_KEY, USER};

/// The host name clients use at the proxy: the public URL is `http://PUBLIC_HOST/...`.
pub(crate) const PUBLIC_HOST: &str = "voice.example.test";

/// An answer as the client saw it.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    /// The replica that answered (the proxy's `X-Served-By`).
    pub served_by: String,
    pub body: Value,
}

pub(crate) struct Client {
    http: reqwest::blocking::Client,
    port: u16,
}

impl Client {
    /// A client from `source` (127.0.0.2 and up) to the proxy on `port`.
    pub(crate) fn from(source: Ipv4Addr, port: u16) -> Client {
        let http = reqwest::blocking::Client::builder()
            .local_address(IpAddr::V4(source))
            .timeout(Duration::from_secs(15))
            .no_proxy()
            .build()
            .unwrap();
        Client { http, port }
    }

    /// Sends `method path` with `body` (JSON when not null), to replica `pin` when given,
    /// with `headers` besides the public `Host` and the credentials.
    pub(crate) fn send(
        &self,
        method: &str,
        path: &str,
        body: &Value,
        pin: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Answer {
        self.try_send(method, path, body, pin, headers)
            .unwrap_or_else(|error| panic!("{method} {path}: {error}"))
    }

    /// [`send`](Self::send), with a transport failure returned instead of a panic.
    pub(crate) fn try_send(
        &self,
        method: &str,
        path: &str,
        body: &Value,
        pin: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Result<Answer, reqwest::Error> {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self
            .http
            .request(method, url)
            .header("Host", PUBLIC_HOST)
            .basic_auth(USER, Some(PASSWORD));
        if !body.is_null() {
            request = request
                .header("Content-Type", "application/json")
                .body(serde_json::to_vec(body).unwrap());
        }
        if let Some(replica) = pin {
            request = request.header("X-Replica", replica);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send()?;
        let status = response.status().as_u16();
        let served_by = response
            .headers()
            .get("x-served-by")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = response.json().unwrap_or(Value::Null);
        Ok(Answer {
            status,
            served_by,
            body,
        })
    }

    /// A signed `POST` of `body` to `path`, signed for `signed_url` (normally the public URL,
    /// `http://PUBLIC_HOST` + `path`).
    pub(crate) fn post_signed(
        &self,
        path: &str,
        body: &Value,
        pin: &str,
        signed_url: &str,
    ) -> Answer {
        let signature = sign(signed_url, &serde_json::to_vec(body).unwrap());
        let headers = [("X-SignalWire-Signature", signature.as_str())];
        self.send("POST", path, body, Some(pin), &headers)
    }

    /// The `assistant` agent's document for call `call_id`, fetched from replica `pin`.
    pub(crate) fn document(&self, call_id: &str, pin: &str) -> Answer {
        let body = json!({"call": {"call_id": call_id}});
        self.post_signed("/agent", &body, pin, &public_url("/agent"))
    }
}

/// The URL the platform posts to for `path` (what it signs).
pub(crate) fn public_url(path: &str) -> String {
    format!("http://{PUBLIC_HOST}{path}")
}

/// Scheme A webhook signature: lowercase hex HMAC-SHA1 of the URL followed by the raw body.
pub(crate) fn sign(url: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(SIGNING_KEY.as_bytes()).unwrap();
    mac.update(url.as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// The `web_hook_url` of tool `function` in a rendered document.
pub(crate) fn tool_url(document: &Value, function: &str) -> String {
    let main = document["sections"]["main"].as_array().unwrap();
    let ai = main.iter().find_map(|verb| verb.get("ai")).unwrap();
    let functions = ai["SWAIG"]["functions"].as_array().unwrap();
    let tool = functions
        .iter()
        .find(|f| f["function"] == function)
        .unwrap();
    tool["web_hook_url"].as_str().unwrap().to_string()
}

/// The path and query of a URL the server wrote (`http://user:pass@host/p?q` → `/p?q`).
pub(crate) fn path_and_query(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let at = after_scheme.find('/').unwrap();
    after_scheme[at..].to_string()
}
