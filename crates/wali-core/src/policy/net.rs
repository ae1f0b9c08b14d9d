//! Network capability: which endpoints a guest may reach or bind.
//!
//! With no rule the guest has no network: `connect`, `sendto`/`sendmsg` to an
//! address, `bind` and `listen` on AF_INET/AF_INET6 sockets answer EACCES, as
//! do abstract AF_UNIX addresses. AF_UNIX sockets with a path go through the
//! mounts like any file and need no rule; `socketpair` always works.
//!
//! A rule is `--allow-net HOST[:PORTS]`:
//! - HOST: an address (`127.0.0.1`, `::1`, `[::1]`), a CIDR (`127.0.0.0/8`,
//!   `::1/128`, `[fd00::]/8`), `*` (every address of both families), or a
//!   name resolved once at start (`localhost`: every address it resolves to).
//!   IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) match as IPv4.
//!   `@NAME` allows the abstract AF_UNIX name NAME, `@*` every abstract name
//!   (and autobind).
//! - PORTS: a number, a range `a-b`, or `*`; omitted means `*`. An IPv6 HOST
//!   with PORTS is written in brackets: `[::1]:8080`.
//!
//! One rule set serves every operation: a matching rule allows connecting
//! and sending to the endpoint, and binding and listening on it. Binding to
//! port 0 (a port the kernel picks) needs a rule whose address matches and
//! whose ports are `*` or a range containing the host's whole ephemeral range
//! (`/proc/sys/net/ipv4/ip_local_port_range`, 32768-60999 by default);
//! `listen` on a socket that is not bound yet is a bind to the wildcard
//! address and port 0.
//! Binding the wildcard address (`0.0.0.0`, `::`) needs a rule matching
//! that address itself (`0.0.0.0:8080`, `*:8080`, `0.0.0.0/0`): a rule for
//! `127.0.0.1` does not let a guest listen on every interface.
//! IPv4-mapped IPv6 destinations (`::ffff:127.0.0.1`) are checked as IPv4.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};

/// What the guest is doing with an endpoint (for messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetOp {
    Connect,
    Send,
    Bind,
    Listen,
}

impl NetOp {
    pub fn name(self) -> &'static str {
        match self {
            NetOp::Connect => "connect",
            NetOp::Send => "send",
            NetOp::Bind => "bind",
            NetOp::Listen => "listen",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Any,
    Net(IpAddr, u8),
    Abstract(Option<Vec<u8>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ports {
    Any,
    Range(u16, u16),
}

#[derive(Clone, Debug)]
pub struct NetRule {
    /// The rule as the user wrote it.
    pub spec: String,
    target: Target,
    ports: Ports,
}

/// The `--allow-net` rules of a process.
#[derive(Clone, Debug)]
pub struct NetPolicy {
    pub rules: Vec<NetRule>,
    /// The host's ephemeral port range (what port 0 binds to).
    pub ephemeral: (u16, u16),
}

impl Default for NetPolicy {
    fn default() -> Self {
        NetPolicy {
            rules: Vec::new(),
            ephemeral: (32768, 60999),
        }
    }
}

fn normalize(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

fn in_net(ip: IpAddr, net: IpAddr, prefix: u8) -> bool {
    match (normalize(ip), net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - prefix as u32)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - prefix as u32)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

fn parse_ports(s: &str) -> Result<Ports, String> {
    if s == "*" {
        return Ok(Ports::Any);
    }
    let num = |p: &str| {
        p.parse::<u16>()
            .map_err(|_| format!("bad port '{p}' (a number 0-65535)"))
    };
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (num(a)?, num(b)?);
            if a > b {
                return Err(format!("bad port range '{s}'"));
            }
            Ok(Ports::Range(a, b))
        }
        None => {
            let p = num(s)?;
            Ok(Ports::Range(p, p))
        }
    }
}

/// Splits `HOST[:PORTS]`.
fn split_host_ports(spec: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(rest) = spec.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("missing ']' in '{spec}'"))?;
        // "[::1]/128:80": the prefix follows the bracket.
        let (prefix, ports) = match after.split_once(':') {
            Some((p, ports)) => (p, Some(ports)),
            None => (after, None),
        };
        if !prefix.is_empty() && !prefix.starts_with('/') {
            return Err(format!("unexpected '{prefix}' after ']' in '{spec}'"));
        }
        // Keep the prefix attached to the host (it lives in `spec`).
        let end = 1 + host.len() + 1 + prefix.len();
        let host_with_prefix = &spec[1..end];
        return Ok((host_with_prefix, ports));
    }
    if spec.matches(':').count() > 1 {
        return Ok((spec, None)); // a bare IPv6 address or CIDR
    }
    match spec.rsplit_once(':') {
        Some((h, p)) => Ok((h, Some(p))),
        None => Ok((spec, None)),
    }
}

impl NetRule {
    /// Parses one `--allow-net` value; names resolve now.
    pub fn parse(spec: &str) -> Result<Vec<NetRule>, String> {
        let spec = spec.trim();
        if spec.is_empty() {
            return Err("empty --allow-net rule".into());
        }
        if let Some(name) = spec.strip_prefix('@') {
            let target = Target::Abstract(if name == "*" {
                None
            } else {
                Some(name.as_bytes().to_vec())
            });
            return Ok(vec![NetRule {
                spec: spec.into(),
                target,
                ports: Ports::Any,
            }]);
        }
        let (host, ports) = split_host_ports(spec)?;
        let ports = match ports {
            Some(p) => parse_ports(p)?,
            None => Ports::Any,
        };
        let host = host.replace(['[', ']'], "");
        let rule = |target| NetRule {
            spec: spec.into(),
            target,
            ports,
        };
        if host == "*" {
            return Ok(vec![rule(Target::Any)]);
        }
        let (addr, prefix) = match host.split_once('/') {
            Some((a, p)) => (
                a,
                Some(
                    p.parse::<u8>()
                        .map_err(|_| format!("bad prefix length '{p}' in '{spec}'"))?,
                ),
            ),
            None => (host.as_str(), None),
        };
        if let Ok(ip) = addr.parse::<IpAddr>() {
            let ip = normalize(ip);
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let prefix = prefix.unwrap_or(max);
            if prefix > max {
                return Err(format!("prefix /{prefix} too long in '{spec}'"));
            }
            return Ok(vec![rule(Target::Net(ip, prefix))]);
        }
        if prefix.is_some() {
            return Err(format!("'{addr}' in '{spec}' is not an address"));
        }
        let addrs: Vec<IpAddr> = (addr, 0u16)
            .to_socket_addrs()
            .map_err(|e| format!("cannot resolve '{addr}' in '{spec}': {e}"))?
            .map(|a| normalize(a.ip()))
            .collect();
        if addrs.is_empty() {
            return Err(format!("'{addr}' in '{spec}' resolves to no address"));
        }
        let mut out: Vec<NetRule> = Vec::new();
        for ip in addrs {
            let max = if ip.is_ipv4() { 32 } else { 128 };
            if !out.iter().any(|r| r.target == Target::Net(ip, max)) {
                out.push(rule(Target::Net(ip, max)));
            }
        }
        Ok(out)
    }

    fn port_ok(&self, port: u16, ephemeral: (u16, u16)) -> bool {
        match self.ports {
            Ports::Any => true,
            Ports::Range(a, b) if port == 0 => a <= ephemeral.0 && ephemeral.1 <= b,
            Ports::Range(a, b) => a <= port && port <= b,
        }
    }
}

impl NetPolicy {
    /// A policy from `--allow-net` values.
    pub fn from_specs<S: AsRef<str>>(specs: &[S]) -> Result<NetPolicy, String> {
        let mut p = NetPolicy {
            ephemeral: host_ephemeral_range(),
            ..Default::default()
        };
        for s in specs {
            p.rules.extend(NetRule::parse(s.as_ref())?);
        }
        Ok(p)
    }

    /// The rule allowing `op` on `ip:port`, or None (denied).
    pub fn allows(&self, ip: IpAddr, port: u16, _op: NetOp) -> Option<&NetRule> {
        let ip = normalize(ip);
        self.rules.iter().find(|r| {
            let addr_ok = match &r.target {
                Target::Any => true,
                Target::Net(net, prefix) => in_net(ip, *net, *prefix),
                Target::Abstract(_) => false,
            };
            addr_ok && r.port_ok(port, self.ephemeral)
        })
    }

    /// The rule allowing abstract AF_UNIX name `name` (without the leading
    /// NUL; empty for autobind), or None.
    pub fn allows_abstract(&self, name: &[u8]) -> Option<&NetRule> {
        self.rules.iter().find(|r| match &r.target {
            Target::Abstract(None) => true,
            Target::Abstract(Some(n)) => !name.is_empty() && n == name,
            _ => false,
        })
    }
}

/// The host's ephemeral port range.
pub(crate) fn host_ephemeral_range() -> (u16, u16) {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| {
            let mut it = s.split_whitespace().map(|x| x.parse::<u16>().ok());
            Some((it.next()??, it.next()??))
        })
        .unwrap_or((32768, 60999))
}

/// The wildcard address of a family (what an unbound socket listens on).
pub fn unspecified(v6: bool) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pol(specs: &[&str]) -> NetPolicy {
        let mut p = NetPolicy::from_specs(specs).unwrap();
        p.ephemeral = (32768, 60999);
        p
    }
    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn empty_policy_denies_everything() {
        let p = pol(&[]);
        assert!(p.allows(ip("127.0.0.1"), 80, NetOp::Connect).is_none());
        assert!(p.allows_abstract(b"x").is_none());
    }

    #[test]
    fn address_and_port_forms() {
        let p = pol(&["127.0.0.1:8080"]);
        assert!(p.allows(ip("127.0.0.1"), 8080, NetOp::Connect).is_some());
        assert!(p.allows(ip("127.0.0.1"), 8081, NetOp::Connect).is_none());
        assert!(p.allows(ip("127.0.0.2"), 8080, NetOp::Connect).is_none());
        assert!(p
            .allows(ip("::ffff:127.0.0.1"), 8080, NetOp::Connect)
            .is_some());
        // port 0 needs the whole ephemeral range
        assert!(p.allows(ip("127.0.0.1"), 0, NetOp::Bind).is_none());

        let p = pol(&["127.0.0.0/8:1000-2000", "[::1]:*"]);
        assert!(p.allows(ip("127.1.2.3"), 1500, NetOp::Bind).is_some());
        assert!(p.allows(ip("127.1.2.3"), 2001, NetOp::Bind).is_none());
        assert!(p.allows(ip("::1"), 0, NetOp::Bind).is_some());
        assert!(p.allows(ip("::2"), 1, NetOp::Bind).is_none());

        let p = pol(&["10.0.0.0/8:1-65535"]);
        assert!(p.allows(ip("10.9.9.9"), 0, NetOp::Bind).is_some());
        let p = pol(&["::1/128"]);
        assert!(p.allows(ip("::1"), 443, NetOp::Connect).is_some());
        let p = pol(&["[fd00::]/8:53"]);
        assert!(p.allows(ip("fd12::1"), 53, NetOp::Send).is_some());
        assert!(p.allows(ip("fe80::1"), 53, NetOp::Send).is_none());
        let p = pol(&["*:53"]);
        assert!(p.allows(ip("8.8.8.8"), 53, NetOp::Send).is_some());
        assert!(p.allows(ip("::"), 53, NetOp::Bind).is_some());
        assert!(p.allows(ip("8.8.8.8"), 54, NetOp::Send).is_none());
    }

    #[test]
    fn names_resolve_at_start() {
        let p = pol(&["localhost:80"]);
        assert!(p.allows(ip("127.0.0.1"), 80, NetOp::Connect).is_some());
        assert!(p.allows(ip("127.0.0.1"), 81, NetOp::Connect).is_none());
    }

    #[test]
    fn abstract_names() {
        let p = pol(&["@wali-test"]);
        assert!(p.allows_abstract(b"wali-test").is_some());
        assert!(p.allows_abstract(b"other").is_none());
        assert!(p.allows_abstract(b"").is_none());
        assert!(p.allows(ip("127.0.0.1"), 1, NetOp::Connect).is_none());
        let p = pol(&["@*"]);
        assert!(p.allows_abstract(b"").is_some());
    }

    #[test]
    fn bad_rules_are_errors() {
        for bad in [
            "",
            "127.0.0.1:x",
            "127.0.0.1:9-1",
            "1.2.3.4/33",
            "[::1",
            "[::1]x",
        ] {
            assert!(NetRule::parse(bad).is_err(), "{bad}");
        }
    }
}
