//! The shape of an agent's route: a leading `/`, no trailing `/`, non-empty segments of
//! `[A-Za-z0-9._~-]` (unreserved URL characters, so the route needs no encoding and means the
//! same to the router and in a URL), no `.` or `..` segments.

/// Checks a route's shape; the error says what is wrong.
pub(crate) fn validate_route(route: &str) -> Result<(), String> {
    if route == "/" {
        return Ok(());
    }
    if !route.starts_with('/') {
        return Err("it must start with '/'".into());
    }
    if route.ends_with('/') {
        return Err("it must not end with '/'".into());
    }
    for segment in route[1..].split('/') {
        if segment.is_empty() {
            return Err("it has an empty segment ('//')".into());
        }
        if segment == "." || segment == ".." {
            return Err("'.' and '..' segments are not allowed".into());
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | '-');
        if let Some(bad) = segment.chars().find(|c| !allowed(*c)) {
            return Err(format!(
                "character {bad:?} is not allowed (use A-Z a-z 0-9 . _ ~ -)"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_need_a_leading_slash_and_no_trailing_one() {
        assert_eq!(validate_route("/"), Ok(()));
        assert_eq!(validate_route("/agent"), Ok(()));
        assert_eq!(validate_route("/a/b-c.d_e~f"), Ok(()));
        assert!(validate_route("agent").is_err());
        assert!(validate_route("/agent/").is_err());
        assert!(validate_route("/a//b").is_err());
        assert!(validate_route("/a b").is_err());
        assert!(validate_route("/a/%61").is_err());
        assert!(validate_route("/a/..").is_err());
    }
}
