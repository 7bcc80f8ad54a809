//! Who the client is on the network: the address rate limits and the
//! sign-in throttle count by.
//!
//! Policy: the socket's peer address, unless the peer is one of the trusted
//! reverse proxies (`--trusted-proxies`); then `X-Forwarded-For` is read
//! from the right (each proxy appends the address it received the request
//! from) and the first hop that is not a trusted proxy is the client. Hops
//! to its left were written by the client and are never believed. Without a
//! known peer (the router served without connect info, as in-process tests
//! do) the header is all there is, read the same way.

use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The client's address (see the module's policy); `None` when neither the
/// socket nor the header tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    /// The key to count a client by in rate limits: its address, with IPv6
    /// addresses cut to their /64 network (one subscriber's usual share, so
    /// that walking through its addresses gains nothing). Unknown clients
    /// share one key.
    pub fn limit_key(self) -> IpAddr {
        match self.0 {
            Some(IpAddr::V6(v6)) => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(bits.into())
            }
            Some(v4) => v4,
            None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        }
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(of(parts, &state.config.trusted_proxies))
    }
}

/// The client of a request, given the trusted proxies' ranges.
pub fn of(parts: &Parts, trusted: &[IpNet]) -> ClientIp {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip());
    ClientIp(resolve(peer, &parts.headers, trusted))
}

/// The right-most untrusted hop (see the module's policy).
pub fn resolve(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(&ip));
    let mut client = peer.map(|p| p.to_canonical());
    if client.is_some_and(|c| !is_trusted(c)) {
        return client;
    }
    // Several X-Forwarded-For lines read as one list, in order.
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("").split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            // A hop no proxy would write: stop at the last address known.
            return client;
        };
        client = Some(ip);
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// `192.0.2.1`, `2001:db8::1`, and the forms with a port some proxies
/// write (`192.0.2.1:4711`, `[2001:db8::1]:4711`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let ip = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| hop.strip_prefix('[').and_then(|h| h.strip_suffix(']')).and_then(|h| h.parse().ok()))?;
    Some(ip.to_canonical())
}

/// Reads `--trusted-proxies`: CIDR ranges or single addresses, separated by
/// commas or spaces, e.g. `10.0.0.0/8, 192.168.1.7, ::1`.
pub fn parse_ranges(text: &str) -> Result<Vec<IpNet>, String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map(|n| n.trunc())
                .map_err(|_| format!("{s:?} is not an IP address or CIDR range (e.g. 10.0.0.0/8)"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_the_header_says() {
        let trusted = parse_ranges("10.0.0.0/8").unwrap();
        let h = headers(&["198.51.100.7"]);
        assert_eq!(resolve(Some(ip("203.0.113.9")), &h, &trusted), Some(ip("203.0.113.9")));
        assert_eq!(resolve(Some(ip("203.0.113.9")), &h, &[]), Some(ip("203.0.113.9")));
        assert_eq!(resolve(Some(ip("10.0.0.2")), &HeaderMap::new(), &trusted), Some(ip("10.0.0.2")));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = parse_ranges("10.0.0.0/8, 192.168.1.7").unwrap();
        let peer = Some(ip("10.0.0.2"));
        // The client wrote a fake hop; the proxy appended the real address.
        let h = headers(&["6.6.6.6, 203.0.113.5"]);
        assert_eq!(resolve(peer, &h, &trusted), Some(ip("203.0.113.5")));
        // Two proxies in a row (a load balancer, then nginx), across lines.
        let h = headers(&["6.6.6.6, 203.0.113.5", "192.168.1.7"]);
        assert_eq!(resolve(peer, &h, &trusted), Some(ip("203.0.113.5")));
        // Every hop trusted: the left-most one.
        let h = headers(&["10.1.1.1, 10.2.2.2"]);
        assert_eq!(resolve(peer, &h, &trusted), Some(ip("10.1.1.1")));
        // No header: the proxy itself.
        assert_eq!(resolve(peer, &HeaderMap::new(), &trusted), peer);
        // Ports and brackets some proxies write.
        let h = headers(&["[2001:db8::1]:4711"]);
        assert_eq!(resolve(peer, &h, &trusted), Some(ip("2001:db8::1")));
        let h = headers(&["203.0.113.5:4711"]);
        assert_eq!(resolve(peer, &h, &trusted), Some(ip("203.0.113.5")));
        // Garbage stops the walk at the last address known.
        let h = headers(&["203.0.113.5, nonsense, 10.3.3.3"]);
        assert_eq!(resolve(peer, &h, &trusted), Some(ip("10.3.3.3")));
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_ranges() {
        let trusted = parse_ranges("127.0.0.1").unwrap();
        let h = headers(&["203.0.113.5"]);
        assert_eq!(resolve(Some(ip("::ffff:127.0.0.1")), &h, &trusted), Some(ip("203.0.113.5")));
    }

    #[test]
    fn without_a_peer_the_header_is_read_from_the_right() {
        assert_eq!(resolve(None, &headers(&["6.6.6.6, 203.0.113.5"]), &[]), Some(ip("203.0.113.5")));
        assert_eq!(resolve(None, &HeaderMap::new(), &[]), None);
    }

    #[test]
    fn ranges_parse_and_refuse_nonsense() {
        let r = parse_ranges("10.0.0.0/8, 192.168.1.7 ::1,fd00::/8").unwrap();
        assert_eq!(r.len(), 4);
        assert!(r[1].contains(&ip("192.168.1.7")) && !r[1].contains(&ip("192.168.1.8")));
        assert_eq!(parse_ranges("10.0.0.9/8").unwrap()[0].to_string(), "10.0.0.0/8");
        assert!(parse_ranges("").unwrap().is_empty());
        assert!(parse_ranges("10.0.0.0/33").is_err());
        assert!(parse_ranges("proxy.internal").unwrap_err().contains("proxy.internal"));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        let a = ClientIp(Some(ip("2001:db8:1:2:aaaa::1"))).limit_key();
        assert_eq!(a, ClientIp(Some(ip("2001:db8:1:2:bbbb::9"))).limit_key());
        assert_ne!(a, ClientIp(Some(ip("2001:db8:1:3::1"))).limit_key());
        assert_eq!(ClientIp(Some(ip("203.0.113.5"))).limit_key(), ip("203.0.113.5"));
        assert_eq!(ClientIp(None).limit_key(), ip("0.0.0.0"));
    }
}
