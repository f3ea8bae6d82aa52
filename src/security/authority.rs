//! The syntax of a host as the server accepts it from a request, whether from `Host`, the HTTP/2
//! authority or a trusted `X-Forwarded-Host`: `name[:port]`, `IPv4[:port]` or `[IPv6][:port]`.
//!
//! Hosts end up in URLs the server writes, some with the basic-auth credentials in front of them
//! (`scheme://user:password@host/...`). A value such as `a@evil.example` or `evil.example#`
//! would move those credentials to another host, so anything but a plain host and port is
//! refused: names are dot-separated labels of letters, digits, `-` and `_` (a final dot
//! allowed), ports are 1 to 5 digits up to 65535, IPv6 literals are bracketed and parse.
//! Internationalized names arrive as punycode (`xn--...`), which fits.

use std::net::Ipv6Addr;

/// Longest host name (RFC 1035), without a final dot.
const MAX_NAME: usize = 253;
/// Longest label of a name.
const MAX_LABEL: usize = 63;

/// True when `authority` is a host with an optional port and nothing else.
pub(crate) fn is_valid(authority: &str) -> bool {
    if let Some(rest) = authority.strip_prefix('[') {
        let Some((literal, after)) = rest.split_once(']') else {
            return false;
        };
        return literal.parse::<Ipv6Addr>().is_ok()
            && (after.is_empty() || after.strip_prefix(':').is_some_and(is_port));
    }
    match authority.split_once(':') {
        Some((name, port)) => is_name(name) && is_port(port),
        None => is_name(authority),
    }
}

/// A name or an IPv4 address (which has the shape of a name).
fn is_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.len() <= MAX_NAME
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= MAX_LABEL
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn is_port(port: &str) -> bool {
    (1..=5).contains(&port.len())
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u32>().is_ok_and(|n| n <= u32::from(u16::MAX))
}

/// `http` or `https`, any case, lower-cased: the only schemes a forwarded proto may name.
pub(crate) fn web_scheme(proto: &str) -> Option<&'static str> {
    if proto.eq_ignore_ascii_case("https") {
        Some("https")
    } else if proto.eq_ignore_ascii_case("http") {
        Some("http")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_hosts_and_ports_are_valid() {
        for host in [
            "localhost",
            "localhost:3000",
            "agents.example.com",
            "Agents.Example.COM.",
            "a-b_c.example:65535",
            "127.0.0.1",
            "127.0.0.1:8080",
            "[::1]",
            "[::1]:443",
            "[2001:db8::1]:80",
            "xn--bcher-kva.example",
        ] {
            assert!(is_valid(host), "{host}");
        }
    }

    #[test]
    fn anything_that_could_move_a_url_elsewhere_is_refused() {
        let long_label = format!("{}.example", "a".repeat(64));
        let long_name = format!("{}a", "a.".repeat(127));
        for host in [
            "",
            "a@evil.example",
            "user:pass@evil.example",
            "evil.example#",
            "evil.example/path",
            "evil.example?x",
            "evil.example\\x",
            "evil .example",
            "évil.example",
            "evil..example",
            ".example",
            "example:",
            "example:0x50",
            "example:65536",
            "example:123456",
            "example:80:80",
            "::1",
            "[::1",
            "[::1]x",
            "[::1]:",
            "[not-v6]",
            "[fe80::1%eth0]",
            long_label.as_str(),
            long_name.as_str(),
        ] {
            assert!(!is_valid(host), "{host:?}");
        }
    }

    #[test]
    fn only_web_schemes_are_taken_from_a_forwarded_proto() {
        assert_eq!(web_scheme("HTTPS"), Some("https"));
        assert_eq!(web_scheme("http"), Some("http"));
        for proto in ["gopher", "javascript", "https:", "ws", ""] {
            assert_eq!(web_scheme(proto), None, "{proto}");
        }
    }
}
