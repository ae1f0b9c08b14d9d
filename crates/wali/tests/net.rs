//! Network policy: what `--allow-net` lets a guest reach and bind.

mod common;
use common::*;
use std::path::Path;

/// sockaddr_in 127.0.0.1:47321 at 0x8000, 127.0.0.1:47322 at 0x8010,
/// 127.0.0.1:0 at 0x8020; sockaddr_in6 [::1]:47321 at 0x8040; the abstract
/// AF_UNIX name "\0wali-t" at 0x8080 (9 bytes with the family).
const ADDRS: &str = r#"
  (data (i32.const 0x8000) "\02\00\b8\d9\7f\00\00\01\00\00\00\00\00\00\00\00")
  (data (i32.const 0x8010) "\02\00\b8\da\7f\00\00\01\00\00\00\00\00\00\00\00")
  (data (i32.const 0x8020) "\02\00\00\00\7f\00\00\01\00\00\00\00\00\00\00\00")
  (data (i32.const 0x8040) "\0a\00\b8\d9\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\01\00\00\00\00")
  (data (i32.const 0x8080) "\01\00\00wali-t")
"#;

/// A guest checking connect to 47321 and 47322, connect to [::1]:47321,
/// bind to 127.0.0.1:0 and bind of the abstract name against expected
/// results (WAT expressions).
fn body(c1: &str, c2: &str, c6: &str, bind0: &str, abs: &str) -> String {
    format!(
        r#"{ADDRS}
  (func $sock (param $family i32) (param $type i32) (result i32)
    (call $okfd @ (call $SYS_socket (local.get $family) (local.get $type) (i32.const 0))))
  (func $main
    (call $eq @ (call $SYS_connect (call $sock (i32.const 2) (i32.const 1)) (i32.const 0x8000) (i32.const 16)) {c1})
    (call $eq @ (call $SYS_connect (call $sock (i32.const 2) (i32.const 1)) (i32.const 0x8010) (i32.const 16)) {c2})
    (call $eq @ (call $SYS_connect (call $sock (i32.const 10) (i32.const 1)) (i32.const 0x8040) (i32.const 28)) {c6})
    (call $eq @ (call $SYS_bind (call $sock (i32.const 2) (i32.const 2)) (i32.const 0x8020) (i32.const 16)) {bind0})
    (call $eq @ (call $SYS_bind (call $sock (i32.const 1) (i32.const 1)) (i32.const 0x8080) (i32.const 9)) {abs})
    ;; socketpair never needs a rule
    (call $eq @ (call $SYS_socketpair (i32.const 1) (i32.const 1) (i32.const 0) (i32.const 0x9000)) (i64.const 0)))
"#
    )
}

const OK: &str = "(i64.const 0)";
const DENIED: &str = "(errno EACCES)";
/// Allowed, but nobody listens there.
const REFUSED: &str = "(i64.const -111)";

#[test]
fn no_rule_denies_every_endpoint() {
    let sb = Sandbox::new();
    sb.check(&body(DENIED, DENIED, DENIED, DENIED, DENIED));
}

#[test]
fn a_port_rule_allows_that_port_only() {
    let sb = Sandbox::new();
    sb.check_with(
        &body(REFUSED, DENIED, DENIED, DENIED, DENIED),
        &["--allow-net", "127.0.0.1:47321"],
    );
}

#[test]
fn ranges_cidrs_and_port_zero() {
    let sb = Sandbox::new();
    // A range covering the ephemeral ports allows binding port 0.
    sb.check_with(
        &body(REFUSED, REFUSED, DENIED, OK, DENIED),
        &["--allow-net", "127.0.0.0/8:1024-65535"],
    );
    // A range that does not cover them does not.
    sb.check_with(
        &body(DENIED, REFUSED, DENIED, DENIED, DENIED),
        &["--allow-net", "127.0.0.1:47322-47400"],
    );
    // No ports means every port.
    sb.check_with(
        &body(REFUSED, REFUSED, DENIED, OK, DENIED),
        &["--allow-net", "127.0.0.1"],
    );
}

#[test]
fn ipv6_names_and_abstract_rules() {
    let sb = Sandbox::new();
    sb.check_with(
        &body(DENIED, DENIED, REFUSED, DENIED, DENIED),
        &["--allow-net", "[::1]:47321"],
    );
    sb.check_with(
        &body(DENIED, DENIED, REFUSED, DENIED, DENIED),
        &["--allow-net", "::1/128"],
    );
    sb.check_with(
        &body(REFUSED, DENIED, DENIED, DENIED, DENIED),
        &["--allow-net", "localhost:47321"],
    );
    sb.check_with(
        &body(DENIED, DENIED, DENIED, DENIED, OK),
        &["--allow-net", "@wali-t"],
    );
    sb.check_with(
        &body(REFUSED, REFUSED, REFUSED, OK, DENIED),
        &["--allow-net", "*"],
    );
}

#[test]
fn denials_are_traced_and_bad_rules_rejected() {
    let sb = Sandbox::new();
    let g = sb.guest(&body(DENIED, DENIED, DENIED, DENIED, DENIED));
    let out = sb.run_with(&g, &["--trace"], &[]);
    expect_exit(&g, &out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("connect 127.0.0.1:47321: denied"),
        "no denial in the trace:\n{err}"
    );
    for bad in ["127.0.0.1:x", "1.2.3.4/33", "[::1", "127.0.0.1:9-1"] {
        let out = sb.run_with(&g, &["--allow-net", bad], &[]);
        assert_ne!(out.status.code(), Some(0), "{bad} accepted");
        // One line naming the rule set ("--allow-net" or the policy's "net.allow").
        assert!(stderr(&out).contains("allow"), "{bad}: {}", stderr(&out));
    }
}

/// The default /etc: hosts, passwd, group, nsswitch.conf, services and
/// protocols, read-only; a user mount at /etc replaces it.
#[test]
fn default_etc_and_its_replacement() {
    let sb = Sandbox::new();
    let body = r#"
  (func $main (local $fd i32) (local $n i64)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/etc/hosts") (k O_RDONLY) (i32.const 0))))
    (local.set $n (call $okv @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 4096))))
    (call $print (i32.const 0x8000) (i32.wrap_i64 (local.get $n)))
    (call $ok @ (call $SYS_access (str "/etc/passwd") (k R_OK)))
    (call $ok @ (call $SYS_access (str "/etc/group") (k R_OK)))
    (call $ok @ (call $SYS_access (str "/etc/nsswitch.conf") (k R_OK)))
    (call $ok @ (call $SYS_access (str "/etc/services") (k R_OK)))
    (call $ok @ (call $SYS_access (str "/etc/protocols") (k R_OK)))
    (call $eq @ (call $SYS_open (str "/etc/hosts") (k O_WRONLY) (i32.const 0)) (errno EROFS))
    (call $eq @ (call $SYS_open (str "/etc/new") (k O_WRONLY|O_CREAT) (i32.const 0o644)) (errno EROFS)))
"#;
    let out = sb.check(body);
    let hosts = stdout(&out);
    assert!(
        hosts.contains("127.0.0.1") && hosts.contains("localhost"),
        "{hosts}"
    );
    assert!(hosts.contains("::1"), "{hosts}");

    let etc = sb.path("myetc");
    std::fs::create_dir(&etc).unwrap();
    std::fs::write(etc.join("hosts"), "10.1.2.3 mine\n").unwrap();
    let g = sb.guest(
        r#"
  (func $main (local $fd i32) (local $n i64)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/etc/hosts") (k O_RDONLY) (i32.const 0))))
    (local.set $n (call $okv @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 4096))))
    (call $print (i32.const 0x8000) (i32.wrap_i64 (local.get $n)))
    (call $eq @ (call $SYS_access (str "/etc/passwd") (k R_OK)) (errno ENOENT)))
"#,
    );
    let spec = format!("{}::/etc", etc.display());
    let out = sb.run_with(&g, &["--ro-dir", &spec], &[]);
    expect_exit(&g, &out, 0);
    assert_eq!(stdout(&out), "10.1.2.3 mine\n");
}

/// Bad pointers and lengths in socket and poll calls answer EFAULT/EINVAL;
/// nothing reaches the host with them. (Memory is 4 pages: 0x40000 is
/// past its end.)
#[test]
fn bad_pointers_fault() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $a i32) (local $b i32) (local $ep i32)
    (call $ok @ (call $SYS_socketpair (i32.const 1) (i32.const 1) (i32.const 0) (i32.const 0x9000)))
    (local.set $a (i32.load (i32.const 0x9000)))
    (local.set $b (i32.load (i32.const 0x9004)))
    (call $eq @ (call $SYS_socketpair (i32.const 1) (i32.const 1) (i32.const 0) (i32.const 0x3fffc)) (errno EFAULT))
    (call $eq @ (call $SYS_sendto (local.get $a) (i32.const 0x3fff0) (i32.const 32) (i32.const 0) (i32.const 0) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_recvfrom (local.get $b) (i32.const 0x3fff0) (i32.const 32) (i32.const 0) (i32.const 0) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_connect (local.get $a) (i32.const 0x3fff8) (i32.const 16)) (errno EFAULT))
    (call $eq @ (call $SYS_connect (local.get $a) (i32.const 0x9000) (i32.const 200)) (errno EINVAL))
    (call $eq @ (call $SYS_getsockname (local.get $a) (i32.const 0x9000) (i32.const 0x40000)) (errno EFAULT))
    ;; msghdr past the end, iovec past the end, control past the end
    (call $eq @ (call $SYS_sendmsg (local.get $a) (i32.const 0x3fff0) (i32.const 0)) (errno EFAULT))
    (i32.store (i32.const 0xa008) (i32.const 0xa100)) ;; iov
    (i32.store (i32.const 0xa00c) (i32.const 1))      ;; iovlen
    (i32.store (i32.const 0xa100) (i32.const 0x3fff0)) ;; iov base
    (i32.store (i32.const 0xa104) (i32.const 64))      ;; iov len
    (call $eq @ (call $SYS_sendmsg (local.get $a) (i32.const 0xa000) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_recvmsg (local.get $b) (i32.const 0xa000) (i32.const 0)) (errno EFAULT))
    (i32.store (i32.const 0xa104) (i32.const 4))
    (i32.store (i32.const 0xa014) (i32.const 0x3fff8)) ;; control
    (i32.store (i32.const 0xa018) (i32.const 64))      ;; controllen
    (call $eq @ (call $SYS_sendmsg (local.get $a) (i32.const 0xa000) (i32.const 0)) (errno EFAULT))
    ;; a control message longer than the buffer
    (i32.store (i32.const 0xa014) (i32.const 0xa200))
    (i32.store (i32.const 0xa018) (i32.const 16))
    (i32.store (i32.const 0xa200) (i32.const 100))
    (call $eq @ (call $SYS_sendmsg (local.get $a) (i32.const 0xa000) (i32.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_getsockopt (local.get $a) (i32.const 1) (i32.const 3) (i32.const 0x9000) (i32.const 0x40000)) (errno EFAULT))
    (call $eq @ (call $SYS_setsockopt (local.get $a) (i32.const 1) (i32.const 2) (i32.const 0x3fffe) (i32.const 4)) (errno EFAULT))
    ;; poll family
    (call $eq @ (call $SYS_poll (i32.const 0x3fffc) (i64.const 1) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_poll (i32.const 0x9000) (i64.const 100000) (i32.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_select (i32.const 64) (i32.const 0x3fffc) (i32.const 0) (i32.const 0) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_ppoll (i32.const 0x9000) (i64.const 0) (i32.const 0x3fffc) (i32.const 0) (i32.const 8)) (errno EFAULT))
    (local.set $ep (call $okfd @ (call $SYS_epoll_create1 (i32.const 0))))
    (call $eq @ (call $SYS_epoll_wait (local.get $ep) (i32.const 0x3fff0) (i32.const 2) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_epoll_ctl (local.get $ep) (i32.const 1) (local.get $a) (i32.const 0x3fffc)) (errno EFAULT))
    (call $eq @ (call $SYS_timerfd_gettime (call $okfd @ (call $SYS_timerfd_create (i32.const 1) (i32.const 0))) (i32.const 0x3fff0)) (errno EFAULT))
    ;; not a socket
    (call $eq @ (call $SYS_listen (local.get $ep) (i32.const 1)) (i64.const -88)))
"#,
    );
}

/// The CA bundle (`tls.ca_bundle`): the host's, read-only at
/// /etc/ssl/cert.pem and /etc/ssl/certs/ca-certificates.crt, when the
/// policy allows network ("auto"), never with "none", a named file always;
/// a named file that does not exist stops the run (125, one line).
#[test]
fn ca_bundle_follows_the_policy() {
    let sb = Sandbox::new();
    let read = sb.guest(
        r#"
  (func $main (local $fd i32) (local $n i64)
    (local.set $fd (call $okfd @ (call $SYS_open (str "/etc/ssl/cert.pem") (k O_RDONLY) (i32.const 0))))
    (local.set $n (call $okv @ (call $SYS_read (local.get $fd) (i32.const 0x8000) (i32.const 4096))))
    (call $print (i32.const 0x8000) (i32.wrap_i64 (local.get $n)))
    (call $ok @ (call $SYS_access (str "/etc/ssl/certs/ca-certificates.crt") (k R_OK)))
    (call $eq @ (call $SYS_open (str "/etc/ssl/cert.pem") (k O_WRONLY) (i32.const 0)) (errno EROFS))
    (call $ok @ (call $SYS_access (str "/etc/hosts") (k R_OK))))
"#,
    );
    let absent = sb.guest(
        r#"
  (func $main
    (call $eq @ (call $SYS_access (str "/etc/ssl/cert.pem") (k R_OK)) (errno ENOENT))
    (call $eq @ (call $SYS_access (str "/etc/ssl/certs/ca-certificates.crt") (k R_OK)) (errno ENOENT)))
"#,
    );
    let pem = "-----BEGIN CERTIFICATE-----\nwali test bundle\n-----END CERTIFICATE-----\n";
    let bundle = sb.path("bundle.pem");
    std::fs::write(&bundle, pem).unwrap();
    let policy = |name: &str, value: &str| {
        let p = sb.path(name);
        std::fs::write(&p, format!("[tls]\nca_bundle = {value:?}\n")).unwrap();
        p.display().to_string()
    };
    let mine = policy("mine.toml", "bundle.pem"); // relative to the file
    let none = policy("none.toml", "none");
    let missing = policy("missing.toml", "/nonexistent/ca.pem");
    let net = ["--allow-net", "127.0.0.1:443"];

    // No network, no bundle.
    expect_exit(&absent, &sb.run(&absent), 0);
    // Network: the host's bundle, if the host has one.
    let host = [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
    ]
    .into_iter()
    .find(|p| Path::new(p).is_file());
    if let Some(host) = host {
        let out = sb.run_with(&read, &net, &[]);
        expect_exit(&read, &out, 0);
        let want = std::fs::read(host).unwrap();
        assert_eq!(out.stdout, want[..want.len().min(4096)]);
    }
    // "none" wins over the network; a named file needs no network.
    expect_exit(
        &absent,
        &sb.run_with(&absent, &["--policy", &none, net[0], net[1]], &[]),
        0,
    );
    let out = sb.run_with(&read, &["--policy", &mine], &[]);
    expect_exit(&read, &out, 0);
    assert_eq!(stdout(&out), pem);
    // A user mount at /etc/ssl replaces it.
    let ssl = sb.path("ssl");
    std::fs::create_dir(&ssl).unwrap();
    let spec = format!("{}::/etc/ssl", ssl.display());
    let out = sb.run_with(&absent, &["--policy", &mine, "--ro-dir", &spec], &[]);
    expect_exit(&absent, &out, 0);
    // A bundle that is not there: the run does not start.
    let out = sb.run_with(&read, &["--policy", &missing], &[]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("tls.ca_bundle") && err.lines().count() == 1,
        "{err}"
    );
}
