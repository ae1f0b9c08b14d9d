//! Clocks and sleeping. Guest timespec: tv_sec i64 @0, tv_nsec @8 (the guest
//! writes a 4-byte long there: the host reads the low half, and zeroes the
//! padding when it writes).

mod common;
use common::*;

#[test]
fn clock_gettime_agrees_with_the_host() {
    let sb = Sandbox::new();
    let g = sb.guest(
        r#"
  (func $main
    (memory.fill (i32.const 0x7000) (i32.const 0xff) (i32.const 16))
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_REALTIME) (i32.const 0x7000)) (i64.const 0))
    ;; tv_nsec with its padding is a valid 8-byte value
    (call $true @ (i64.lt_u (i64.load (i32.const 0x7008)) (i64.const 1000000000)))
    (call $print_i64 (i64.load (i32.const 0x7000))))
"#,
    );
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let out = sb.run(&g);
    expect_exit(&g, &out, 0);
    let after = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let guest: u64 = stdout(&out).parse().unwrap();
    assert!(
        before <= guest && guest <= after,
        "{before} <= {guest} <= {after}"
    );
}

#[test]
fn clocks_resolution_and_errors() {
    let sb = Sandbox::new();
    sb.check(
        r#"
  (func $main (local $t0 i64)
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_MONOTONIC) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_MONOTONIC) (i32.const 0x7010)) (i64.const 0))
    ;; monotonic does not go back
    (call $true @ (i64.le_s
      (i64.add (i64.mul (i64.load (i32.const 0x7000)) (i64.const 1000000000)) (i64.load (i32.const 0x7008)))
      (i64.add (i64.mul (i64.load (i32.const 0x7010)) (i64.const 1000000000)) (i64.load (i32.const 0x7018)))))
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_BOOTTIME) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_PROCESS_CPUTIME_ID) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_THREAD_CPUTIME_ID) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (call $SYS_clock_gettime (i32.const 100) (i32.const 0x7000)) (errno EINVAL))
    (call $eq @ (call $SYS_clock_gettime (i32.const -6) (i32.const 0x7000)) (errno EINVAL))
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_REALTIME) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_REALTIME) (i32.const 0x3fff8)) (errno EFAULT))
    ;; resolution: nanoseconds, at most a millisecond
    (memory.fill (i32.const 0x7000) (i32.const 0xff) (i32.const 16))
    (call $eq @ (call $SYS_clock_getres (k CLOCK_MONOTONIC) (i32.const 0x7000)) (i64.const 0))
    (call $eq @ (i64.load (i32.const 0x7000)) (i64.const 0))
    (call $true @ (i64.gt_s (i64.load (i32.const 0x7008)) (i64.const 0)))
    (call $true @ (i64.le_s (i64.load (i32.const 0x7008)) (i64.const 1000000)))
    (call $eq @ (call $SYS_clock_getres (k CLOCK_REALTIME) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_clock_getres (i32.const 100) (i32.const 0x7000)) (errno EINVAL))
    (call $eq @ (call $SYS_clock_getres (k CLOCK_REALTIME) (i32.const 0x3fff8)) (errno EFAULT))
    ;; time and gettimeofday agree with clock_gettime
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_REALTIME) (i32.const 0x7000)) (i64.const 0))
    (local.set $t0 (call $SYS_time (i32.const 0x7100)))
    (call $eq @ (i64.load (i32.const 0x7100)) (local.get $t0))
    (call $true @ (i64.le_s (i64.sub (local.get $t0) (i64.load (i32.const 0x7000))) (i64.const 1)))
    (call $eq @ (call $SYS_time (i32.const 0x3fffc)) (errno EFAULT))
    (call $true @ (i64.gt_s (call $SYS_time (i32.const 0)) (i64.const 1600000000)))
    (memory.fill (i32.const 0x7200) (i32.const 0xff) (i32.const 24))
    (call $eq @ (call $SYS_gettimeofday (i32.const 0x7200) (i32.const 0x7210)) (i64.const 0))
    (call $true @ (i64.le_s (i64.sub (i64.load (i32.const 0x7200)) (i64.load (i32.const 0x7000))) (i64.const 1)))
    (call $true @ (i64.lt_u (i64.load (i32.const 0x7208)) (i64.const 1000000)))
    ;; timezone: zeros
    (call $eq @ (i64.load (i32.const 0x7210)) (i64.const 0))
    (call $eq @ (call $SYS_gettimeofday (i32.const 0) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_gettimeofday (i32.const 0x3fff8) (i32.const 0)) (errno EFAULT))
    ;; times: clock ticks since an arbitrary point, and the 4 counters
    (call $true @ (i64.ne (call $SYS_times (i32.const 0x7300)) (i64.const -1)))
    (call $true @ (i64.ge_s (i64.load (i32.const 0x7300)) (i64.const 0)))
    (call $eq @ (call $SYS_times (i32.const 0x3fff0)) (errno EFAULT)))
"#,
    );
}

#[test]
fn nanosleep_and_clock_nanosleep() {
    let sb = Sandbox::new();
    let start = std::time::Instant::now();
    sb.check(
        r#"
  (func $main (local $t0 i64) (local $t1 i64)
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_MONOTONIC) (i32.const 0x7000)) (i64.const 0))
    (local.set $t0 (i64.add (i64.mul (i64.load (i32.const 0x7000)) (i64.const 1000000000)) (i64.load (i32.const 0x7008))))
    ;; 30 ms; garbage in the high half of tv_nsec is ignored (a 4-byte long)
    (i64.store (i32.const 0x7100) (i64.const 0))
    (i64.store (i32.const 0x7108) (i64.const 0xdeadbeef01c9c380))
    (call $eq @ (call $SYS_nanosleep (i32.const 0x7100) (i32.const 0x7200)) (i64.const 0))
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_MONOTONIC) (i32.const 0x7000)) (i64.const 0))
    (local.set $t1 (i64.add (i64.mul (i64.load (i32.const 0x7000)) (i64.const 1000000000)) (i64.load (i32.const 0x7008))))
    (call $true @ (i64.ge_s (i64.sub (local.get $t1) (local.get $t0)) (i64.const 30000000)))
    ;; invalid requests
    (i64.store (i32.const 0x7108) (i64.const 1000000000))
    (call $eq @ (call $SYS_nanosleep (i32.const 0x7100) (i32.const 0)) (errno EINVAL))
    (i64.store (i32.const 0x7100) (i64.const -1))
    (i64.store (i32.const 0x7108) (i64.const 0))
    (call $eq @ (call $SYS_nanosleep (i32.const 0x7100) (i32.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_nanosleep (i32.const 0) (i32.const 0)) (errno EFAULT))
    (call $eq @ (call $SYS_nanosleep (i32.const 0x3fff8) (i32.const 0)) (errno EFAULT))
    ;; clock_nanosleep: relative 10 ms
    (i64.store (i32.const 0x7100) (i64.const 0))
    (i64.store (i32.const 0x7108) (i64.const 10000000))
    (call $eq @ (call $SYS_clock_nanosleep (k CLOCK_MONOTONIC) (i32.const 0) (i32.const 0x7100) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_clock_nanosleep (k CLOCK_REALTIME) (i32.const 0) (i32.const 0x7100) (i32.const 0)) (i64.const 0))
    ;; absolute, 20 ms from now
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_MONOTONIC) (i32.const 0x7000)) (i64.const 0))
    (local.set $t0 (i64.add (i64.mul (i64.load (i32.const 0x7000)) (i64.const 1000000000)) (i64.load (i32.const 0x7008))))
    (local.set $t1 (i64.add (local.get $t0) (i64.const 20000000)))
    (i64.store (i32.const 0x7100) (i64.div_u (local.get $t1) (i64.const 1000000000)))
    (i64.store (i32.const 0x7108) (i64.rem_u (local.get $t1) (i64.const 1000000000)))
    (call $eq @ (call $SYS_clock_nanosleep (k CLOCK_MONOTONIC) (k TIMER_ABSTIME) (i32.const 0x7100) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_clock_gettime (k CLOCK_MONOTONIC) (i32.const 0x7000)) (i64.const 0))
    (call $true @ (i64.ge_s
      (i64.add (i64.mul (i64.load (i32.const 0x7000)) (i64.const 1000000000)) (i64.load (i32.const 0x7008)))
      (local.get $t1)))
    ;; absolute in the past: returns at once
    (i64.store (i32.const 0x7100) (i64.const 1))
    (call $eq @ (call $SYS_clock_nanosleep (k CLOCK_MONOTONIC) (k TIMER_ABSTIME) (i32.const 0x7100) (i32.const 0)) (i64.const 0))
    (call $eq @ (call $SYS_clock_nanosleep (k CLOCK_THREAD_CPUTIME_ID) (i32.const 0) (i32.const 0x7100) (i32.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_clock_nanosleep (i32.const 100) (i32.const 0) (i32.const 0x7100) (i32.const 0)) (errno EINVAL))
    (call $eq @ (call $SYS_clock_nanosleep (k CLOCK_MONOTONIC) (i32.const 0) (i32.const 0x3fff8) (i32.const 0)) (errno EFAULT)))
"#,
    );
    assert!(start.elapsed() >= std::time::Duration::from_millis(70));
}
