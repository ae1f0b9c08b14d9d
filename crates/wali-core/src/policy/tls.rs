//! The CA bundle the guest trusts (`tls.ca_bundle`, see docs/policy.md): a
//! host PEM file mounted read-only where OpenSSL, and the libraries built
//! on it (CPython's `ssl`, Ruby's `openssl`), look by default. By default
//! the host's own bundle, and only when the policy allows some network: a
//! guest that cannot connect anywhere has no use for it.

use crate::policy::Policy;
use crate::vfs::MountSpec;
use std::path::{Path, PathBuf};
use syscall_table::Class;

/// Where the guest sees the bundle: OpenSSL's default CA file (the ports
/// build OpenSSL with OPENSSLDIR /etc/ssl) and Debian's bundle, the path
/// programs and other OpenSSL builds name directly.
pub const GUEST_PATHS: [&str; 2] = ["/etc/ssl/cert.pem", "/etc/ssl/certs/ca-certificates.crt"];

/// The host's bundle, the first of these that is a file: Debian and
/// Ubuntu, Fedora and RHEL, openSUSE, Alpine.
const HOST_BUNDLES: [&str; 4] = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// The `tls.ca_bundle` values that are not a path.
pub const AUTO: &str = "auto";
pub const HOST: &str = "host";
pub const NONE: &str = "none";

/// The host file to mount as the guest's CA bundle, if any: `auto` (the
/// default) the host's bundle when the policy allows any network, `host`
/// always the host's bundle, `none` nothing, else the named file. A named
/// file that is not a readable regular file is an error (the user asked
/// for it); a host without a bundle just gives the guest none.
pub fn bundle(policy: &Policy) -> anyhow::Result<Option<PathBuf>> {
    let setting = policy.tls.ca_bundle.as_deref().unwrap_or(AUTO);
    let host_bundle = || {
        HOST_BUNDLES
            .iter()
            .map(Path::new)
            .find(|p| p.is_file())
            .map(Path::to_path_buf)
    };
    match setting {
        NONE => Ok(None),
        HOST => Ok(host_bundle()),
        AUTO => {
            let net = !policy.net.allow.is_empty() && !policy.class_mask().contains(Class::Net);
            Ok(if net { host_bundle() } else { None })
        }
        path => {
            let path = Path::new(path);
            match std::fs::File::open(path).and_then(|f| f.metadata()) {
                Ok(m) if m.is_file() => Ok(Some(path.to_path_buf())),
                Ok(_) => anyhow::bail!(
                    "tls.ca_bundle '{}' is not a regular file: name a PEM bundle, or \"none\"",
                    path.display()
                ),
                Err(e) => anyhow::bail!("tls.ca_bundle '{}': {e}", path.display()),
            }
        }
    }
}

/// The read-only mounts of the bundle at [`GUEST_PATHS`], except where a
/// user mount already covers the path (a mount at `/etc`, `/etc/ssl`,
/// `/etc/ssl/certs` or of the file itself wins, as for the default `/etc`).
pub fn mounts(policy: &Policy, user: &[MountSpec]) -> anyhow::Result<Vec<MountSpec>> {
    let Some(host) = bundle(policy)? else {
        return Ok(Vec::new());
    };
    Ok(GUEST_PATHS
        .iter()
        .map(Path::new)
        .filter(|guest| {
            !user
                .iter()
                .any(|m| m.guest.starts_with("/etc") && guest.starts_with(&m.guest))
        })
        .map(|guest| MountSpec {
            host: host.clone(),
            guest: guest.to_path_buf(),
            read_only: true,
            root: None,
        })
        .collect())
}
