#!/usr/bin/env python3
"""Differential syscall conformance runner (see linux-tests/README.md).

Builds every linux-tests/<family>/<test>.c natively (cc -O1) and for WALI
(build/bin/wali-cc -O1), runs both in fresh temporary directories with the
mounts, arguments and environment its `// wali-test:` header declares, and
compares exit status (including death by signal) and stdout. Coverage of the
syscall table comes from the union of the host's --syscall-stats outputs.
"""

import argparse
import concurrent.futures as cf
import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CACHE = os.path.join(ROOT, "build", "linux-tests")
WALI = os.path.join(ROOT, "target", "release", "wali")
WALI_CC = os.path.join(ROOT, "build", "bin", "wali-cc")
NATIVE_CC = os.environ.get("CC", "cc")
CFLAGS = ["-O1", "-Wall", "-Wno-unused-result"]
CONFORMANCE_MD = os.path.join(ROOT, "docs", "conformance.md")
FAMILIES = ["fs", "mem", "time", "info", "signal", "proc", "thread", "net", "poll", "security"]

# Host features a test can declare with `needs=`, as name -> available. Both
# come from the syscall table (`syscall-table json`, its "features"), which
# calls a feature available when every syscall it lists is supported or
# partial; main() fills this before tests are parsed. A test needing an
# unavailable feature is skipped (SKIP name: needs X). None: the table could
# not be read (--native-only without cargo), every name counts as available.
FEATURES = {}

# Tests that fail because of a *confirmed* wali host or libc bug, with the
# bug. They still run: a failure prints XFAIL (not counted in "failed"); a
# pass prints XPASS and counts as a failure until the entry is removed here.
# Never list a legitimate divergence here: those belong in the syscall
# table's note, and the test prints the documented behaviour.
EXPECTED_FAILURES = {
}

DEFAULT_TIMEOUT = 30


class TestSpec:
    def __init__(self, path):
        self.path = path
        rel = os.path.relpath(path, HERE)
        self.name = rel[:-2]  # family/test
        self.family = self.name.split("/")[0]
        self.args = []
        self.env = {}
        self.mount = "rw"  # rw | ro | none: how TMP is mounted for wali
        self.ro_dirs = []  # sub-directories of TMP mounted read-only
        self.expect_exit = 0
        self.expect_signal = None
        self.needs = []
        self.timeout = DEFAULT_TIMEOUT
        self.policies = []  # policy files (relative to the test's dir) for wali
        self.wali_only = False  # no native run: stdout must match NAME.out
        self.allow_net = []  # --allow-net rules for wali (the native run is not sandboxed)
        self.self_name = None
        self.error = None
        self.parse()

    def parse(self):
        directives = []
        with open(self.path, encoding="utf-8") as f:
            for line in f:
                s = line.strip()
                if s.startswith("// wali-test:"):
                    directives.append(s[len("// wali-test:"):])
                elif s and not s.startswith("//"):
                    break
        if not directives:
            self.error = "no '// wali-test:' header"
            return
        try:
            words = shlex.split(" ".join(directives))
        except ValueError as e:
            self.error = f"bad header: {e}"
            return
        for w in words:
            key, eq, val = w.partition("=")
            if key == "dir":
                if val not in ("TMP", "TMP:ro", "none"):
                    self.error = f"bad dir={val}"
                self.mount = {"TMP": "rw", "TMP:ro": "ro", "none": "none"}.get(val, "rw")
            elif key == "ro-dir":
                self.ro_dirs.append(val)
            elif key == "args":
                self.args = shlex.split(val)
            elif key == "env":
                for kv in shlex.split(val):
                    k, _, v = kv.partition("=")
                    self.env[k] = v
            elif key == "expect-exit":
                self.expect_exit = int(val)
            elif key == "expect-signal":
                self.expect_signal = val
                self.expect_exit = None
            elif key == "needs":
                self.needs = [n for n in val.split(",") if n]
                bad = [n for n in self.needs if FEATURES is not None and n not in FEATURES]
                if bad:
                    self.error = f"unknown needs={','.join(bad)}"
            elif key == "timeout":
                self.timeout = int(val)
            elif key == "policy":
                self.policies.append(val)
                if not os.path.exists(os.path.join(os.path.dirname(self.path), val)):
                    self.error = f"policy file {val} not found"
            elif key == "wali-only":
                self.wali_only = True
                if not os.path.exists(self.expected_path()):
                    self.error = f"wali-only test without {os.path.basename(self.expected_path())}"
            elif key == "self":
                # The test's own binary (native or wasm) is copied into the
                # temp dir under this name, so it can execve itself.
                self.self_name = val
            elif key == "allow-net":
                self.allow_net.append(val)
            else:
                self.error = f"unknown directive '{w}'"

    def expected_path(self):
        return self.path[:-2] + ".out"

    def missing_features(self):
        if FEATURES is None:
            return []
        return [n for n in self.needs if not FEATURES.get(n)]


def sha(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else p.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def file_bytes(path):
    with open(path, "rb") as f:
        return f.read()


_toolchain_ids = {}
_toolchain_lock = threading.Lock()


def toolchain_id(kind):
    with _toolchain_lock:
        if kind not in _toolchain_ids:
            if kind == "native":
                v = subprocess.run([NATIVE_CC, "--version"], capture_output=True, text=True).stdout
                _toolchain_ids[kind] = sha(v, " ".join(CFLAGS))
            else:
                parts = [file_bytes(WALI_CC), " ".join(CFLAGS)]
                sysroot = os.path.join(ROOT, "build", "sysroot")
                for rel in ("VERSION", "lib/libc.a", "lib/crt1.o"):
                    p = os.path.join(sysroot, rel)
                    parts.append(file_bytes(p) if os.path.exists(p) else b"")
                _toolchain_ids[kind] = sha(*parts)
        return _toolchain_ids[kind]


def build(spec, kind):
    """Returns (path, None) or (None, error message). Cached per source hash."""
    src = file_bytes(spec.path)
    common = file_bytes(os.path.join(HERE, "common.h"))
    key = sha(src, common, toolchain_id(kind))
    ext = "native" if kind == "native" else "wasm"
    out = os.path.join(CACHE, f"{spec.name.replace('/', '__')}-{key}.{ext}")
    if os.path.exists(out):
        return out, None
    os.makedirs(CACHE, exist_ok=True)
    cc = [NATIVE_CC] if kind == "native" else [WALI_CC]
    tmp = out + f".tmp{os.getpid()}"
    r = subprocess.run(cc + CFLAGS + ["-o", tmp, spec.path], capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(tmp):
        lines = [l for l in (r.stderr + r.stdout).splitlines() if "error" in l] or (r.stderr + r.stdout).splitlines() or ["?"]
        return None, f"{kind} build failed: {lines[0].strip()}"
    os.replace(tmp, out)
    # keep only the current build of this test: older hashes are stale
    prefix = f"{spec.name.replace('/', '__')}-"
    for f in os.listdir(CACHE):
        if f.startswith(prefix) and f.endswith("." + ext) and f != os.path.basename(out) \
                and f[len(prefix):-len(ext) - 1].isalnum():
            try:
                os.remove(os.path.join(CACHE, f))
            except OSError:
                pass
    return out, None


def signame(n):
    try:
        return signal.Signals(n).name
    except ValueError:
        return f"signal {n}"


def describe(status):
    kind, val = status
    return f"exit {val}" if kind == "exit" else f"killed by {val}"


class Run:
    def __init__(self, status, stdout, stderr, stats):
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.stats = stats


def execute(spec, cmd, tmp, keep_env_for_native, stats_path=None):
    env = dict(spec.env) if keep_env_for_native else {}
    try:
        p = subprocess.run(cmd, cwd=tmp, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=spec.timeout)
        rc = p.returncode
        status = ("exit", rc) if rc >= 0 else ("signal", signame(-rc))
        out, err = p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        status = ("timeout", spec.timeout)
        out, err = e.stdout or b"", e.stderr or b""
    stats = {}
    if stats_path and os.path.exists(stats_path):
        with open(stats_path) as f:
            for line in f:
                name, _, n = line.strip().partition("\t")
                if name:
                    stats[name] = stats.get(name, 0) + int(n or 0)
    return Run(status, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), stats)


def make_tmp(spec, binary=None):
    tmp = os.path.realpath(tempfile.mkdtemp(prefix="lt-"))
    for d in spec.ro_dirs:
        os.makedirs(os.path.join(tmp, d), exist_ok=True)
    if getattr(spec, "self_name", None) and binary:
        dst = os.path.join(tmp, spec.self_name)
        shutil.copyfile(binary, dst)
        os.chmod(dst, 0o755)
    return tmp


def subst(args, tmp):
    return [a.replace("TMP", tmp) for a in args]


def run_native(spec, exe, keep):
    tmp = make_tmp(spec, exe)
    try:
        return execute(spec, [exe] + subst(spec.args, tmp), tmp, True)
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def run_wali(spec, wasm, keep):
    tmp = make_tmp(spec, wasm)
    statsdir = tempfile.mkdtemp(prefix="lt-stats-")
    stats_path = os.path.join(statsdir, "stats.tsv")
    cmd = [WALI, "run", "--syscall-stats", stats_path]
    if spec.mount == "rw":
        cmd += ["--dir", tmp]
    elif spec.mount == "ro":
        cmd += ["--ro-dir", tmp]
    for d in spec.ro_dirs:
        cmd += ["--ro-dir", os.path.join(tmp, d)]
    for rule in spec.allow_net:
        cmd += ["--allow-net", rule]
    for i, pol in enumerate(spec.policies):
        # TMP in a policy file is the test's temp dir, as in args.
        with open(os.path.join(os.path.dirname(spec.path), pol)) as f:
            text = f.read().replace("TMP", tmp)
        dst = os.path.join(statsdir, f"policy{i}.toml")
        with open(dst, "w") as f:
            f.write(text)
        cmd += ["--policy", dst]
    for k, v in spec.env.items():
        cmd += ["--env", f"{k}={v}"]
    cmd += [wasm] + subst(spec.args, tmp)
    try:
        return execute(spec, cmd, tmp, False, stats_path)
    finally:
        shutil.rmtree(statsdir, ignore_errors=True)
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def first_difference(a, b):
    la, lb = a.split("\n"), b.split("\n")
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<end of output>"
        y = lb[i] if i < len(lb) else "<end of output>"
        if x != y:
            return i + 1, x, y
    return None


def expectation_error(spec, status):
    if spec.expect_signal is not None:
        want = ("signal", spec.expect_signal)
    else:
        want = ("exit", spec.expect_exit)
    if status != want:
        return f"native {describe(status)}, but the header expects {describe(want)}"
    return None


class Result:
    def __init__(self, spec, outcome, detail="", stats=None):
        self.spec = spec
        self.outcome = outcome  # PASS FAIL SKIP XFAIL XPASS
        self.detail = detail
        self.stats = stats or {}

    def line(self):
        if self.outcome == "PASS":
            return f"PASS {self.spec.name}"
        sep = ": " if self.detail else ""
        return f"{self.outcome} {self.spec.name}{sep}{self.detail}"


def compare(spec, a, b, label_a, label_b):
    """Returns a failure message, or None when both runs agree."""
    if a.status != b.status:
        return f"exit status: {label_a} {describe(a.status)} vs {label_b} {describe(b.status)}"
    d = first_difference(a.stdout, b.stdout)
    if d:
        line, x, y = d
        return f"first differing line ({line}): {label_a} '{x}' vs {label_b} '{y}'"
    return None


def run_test(spec, opts):
    if spec.error:
        return Result(spec, "FAIL", f"test header: {spec.error}")
    missing = spec.missing_features()
    if missing:
        return Result(spec, "SKIP", f"needs {', '.join(missing)} (not implemented by the host yet)")
    if spec.wali_only:
        return run_wali_only(spec, opts)
    exe, err = build(spec, "native")
    if err:
        return Result(spec, "FAIL", err)
    native = run_native(spec, exe, opts.keep)
    if native.status[0] == "timeout":
        return Result(spec, "FAIL", f"native timed out after {spec.timeout}s")
    err = expectation_error(spec, native.status)
    if err:
        return Result(spec, "FAIL", err)
    if opts.native_only:
        # Self-check: a second native run in another directory must print the
        # same, or the test depends on the machine (pids, times, paths...).
        again = run_native(spec, exe, opts.keep)
        msg = compare(spec, native, again, "native", "native again")
        if msg:
            return Result(spec, "FAIL", "not deterministic: " + msg)
        if opts.verbose:
            sys.stderr.write(f"--- {spec.name} stdout\n{native.stdout}")
        return Result(spec, "PASS")
    wasm, err = build(spec, "wasm")
    if err:
        res = Result(spec, "FAIL", err)
    else:
        wali = run_wali(spec, wasm, opts.keep)
        msg = compare(spec, native, wali, "native", "wali")
        if msg and wali.stderr.strip():
            msg += f" [wali stderr: {wali.stderr.strip().splitlines()[-1][:200]}]"
        if opts.verbose and msg:
            sys.stderr.write(f"--- {spec.name} native stdout\n{native.stdout}--- wali stdout\n{wali.stdout}--- wali stderr\n{wali.stderr}")
        res = Result(spec, "FAIL" if msg else "PASS", msg or "", wali.stats)
    if spec.name in EXPECTED_FAILURES:
        if res.outcome == "FAIL":
            res.outcome = "XFAIL"
            res.detail = f"{EXPECTED_FAILURES[spec.name]} ({res.detail})"
        else:
            res.outcome = "XPASS"
            res.detail = "passes now: remove it from EXPECTED_FAILURES in linux-tests/runner.py"
    return res


def run_wali_only(spec, opts):
    """A sandbox behaviour with no native counterpart: wali's stdout must
    equal NAME.out and its ending the header's expect-exit/expect-signal."""
    if opts.native_only:
        return Result(spec, "SKIP", "wali-only")
    wasm, err = build(spec, "wasm")
    if err:
        return Result(spec, "FAIL", err)
    with open(spec.expected_path(), encoding="utf-8") as f:
        expected = Run(None, f.read(), "", {})
    expected.status = ("signal", spec.expect_signal) if spec.expect_signal else ("exit", spec.expect_exit)
    wali = run_wali(spec, wasm, opts.keep)
    msg = compare(spec, expected, wali, "expected", "wali")
    if msg and wali.stderr.strip():
        msg += f" [wali stderr: {wali.stderr.strip().splitlines()[-1][:200]}]"
    if opts.verbose and msg:
        sys.stderr.write(f"--- {spec.name} wali stdout\n{wali.stdout}--- wali stderr\n{wali.stderr}")
    res = Result(spec, "FAIL" if msg else "PASS", msg or "", wali.stats)
    if spec.name in EXPECTED_FAILURES:
        res.outcome = "XFAIL" if res.outcome == "FAIL" else "XPASS"
    return res


def discover(filters):
    specs = []
    for fam in FAMILIES:
        d = os.path.join(HERE, fam)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith(".c"):
                specs.append(TestSpec(os.path.join(d, f)))
    if filters:
        specs = [s for s in specs if any(s.name == f or s.family == f or s.name.startswith(f.rstrip("/") + "/") for f in filters)]
    return specs


def syscall_table():
    """The table as `syscall-table json` prints it: {"syscalls": [...], "features": [...], ...}."""
    try:
        r = subprocess.run(["cargo", "run", "-q", "-p", "syscall-table", "--", "json"],
                           cwd=ROOT, capture_output=True, text=True)
    except OSError as e:
        raise SystemExit(f"run.sh: cannot run cargo to read the syscall table: {e}")
    if r.returncode != 0:
        raise SystemExit(f"run.sh: cannot read the syscall table: {r.stderr.strip()}")
    try:
        return json.loads(r.stdout)
    except ValueError as e:
        raise SystemExit(f"run.sh: the syscall table's json is not JSON: {e}")


def write_conformance(table, results, exercised):
    ran = [r for r in results if r.outcome != "SKIP"]
    total = len(ran)
    by_status = {}
    for row in table:
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    outcome_of = {r.spec.name: r.outcome for r in results}
    lines = [
        "# Syscall conformance",
        "",
        "Generated by `make conformance` (`linux-tests/run.sh`); do not edit by hand.",
        "Each test in `linux-tests/` runs natively and under `wali`, and must print the same",
        "and end the same way; a syscall is *exercised* by a test when the host's",
        "`--syscall-stats` saw the guest call it. \"all tests\" means every test that ran.",
        "",
    ]
    counts = {}
    for r in results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    lines.append("Tests: " + ", ".join(f"{counts.get(k, 0)} {k.lower()}" for k in ("PASS", "FAIL", "XFAIL", "XPASS", "SKIP") if counts.get(k)) + ".")
    need = [row for row in table if row["status"] in ("supported", "partial")]
    covered = [row for row in need if exercised.get(row["name"])]
    lines.append(f"Coverage: {len(covered)} of {len(need)} supported or partial syscalls exercised.")
    lines += ["", "| nr | syscall | status | result | exercised by |", "|---:|---|---|---|---|"]
    for row in table:
        tests = sorted(exercised.get(row["name"], []))
        if not tests:
            result = "not exercised" if row["status"] != "unsupported" else "-"
            by = ""
        else:
            bad = [t for t in tests if outcome_of.get(t) in ("FAIL", "XPASS")]
            good = [t for t in tests if outcome_of.get(t) == "PASS"]
            if bad:
                result = "fail (" + ", ".join(bad) + ")"
            elif good:
                result = "pass"
            else:
                result = "known bug only"
            by = "all tests" if len(tests) == total and total > 1 else ", ".join(f"`{t}`" for t in tests)
        lines.append(f"| {row['number']} | `{row['name']}` | {row['status']} | {result} | {by} |")
    xfails = [r for r in results if r.outcome == "XFAIL"]
    if xfails:
        lines += ["", "## Known wali bugs (expected failures)", "",
                  "Tests in `EXPECTED_FAILURES` (linux-tests/runner.py): each isolates one confirmed",
                  "host or libc bug, so the tests above stay meaningful while it is open.", ""]
        for r in xfails:
            lines.append(f"- `{r.spec.name}`: {EXPECTED_FAILURES.get(r.spec.name, '')}")
    lines.append("")
    with open(CONFORMANCE_MD + ".tmp", "w") as f:
        f.write("\n".join(lines))
    os.replace(CONFORMANCE_MD + ".tmp", CONFORMANCE_MD)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tests", nargs="*", help="test names (fs/open) or families (fs); default: all")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="tests run at once (at most 2)")
    ap.add_argument("--native-only", action="store_true",
                    help="no wali: build natively, check expectations and that two native runs agree")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directories")
    ap.add_argument("-v", "--verbose", action="store_true", help="show outputs of failing tests")
    ap.add_argument("--no-docs", action="store_true", help="do not regenerate docs/conformance.md")
    opts = ap.parse_args()
    opts.jobs = max(1, min(opts.jobs, 2))

    if not opts.native_only:
        for tool, how in ((WALI, "make host"), (WALI_CC, "make sysroot")):
            if not os.access(tool, os.X_OK):
                print(f"run.sh: {os.path.relpath(tool, ROOT)} is missing (run '{how}', or use --native-only)", file=sys.stderr)
                return 2

    global FEATURES
    try:
        table = syscall_table()
    except SystemExit as e:
        if not opts.native_only:
            raise
        print(f"{e} (native-only: every feature counts as available)", file=sys.stderr)
        table = None
    if table is None:
        FEATURES = None
    else:
        # natively every feature is there: validate every test
        FEATURES = {f["name"]: f["available"] or opts.native_only for f in table["features"]}
        table = table["syscalls"]

    specs = discover(opts.tests)
    if not specs:
        print("run.sh: no test matches", file=sys.stderr)
        return 2
    full = not opts.tests and not opts.native_only

    with cf.ThreadPoolExecutor(max_workers=opts.jobs) as ex:
        futures = [ex.submit(run_test, s, opts) for s in specs]
        results = []
        for fut in futures:  # print in test order
            r = fut.result()
            results.append(r)
            print(r.line(), flush=True)

    passed = sum(r.outcome == "PASS" for r in results)
    failed = sum(r.outcome in ("FAIL", "XPASS") for r in results)
    skipped = [r for r in results if r.outcome == "SKIP"]
    xfail = [r for r in results if r.outcome == "XFAIL"]

    coverage_ok = True
    if full:
        exercised = {}
        for r in results:
            for name in r.stats:
                exercised.setdefault(name, set()).add(r.spec.name)
        alias = {a: row["name"] for row in table for a in row["aliases"]}
        for a, canon in alias.items():
            if a in exercised:
                exercised.setdefault(canon, set()).update(exercised.pop(a))
        missing = [row["name"] for row in table
                   if row["status"] in ("supported", "partial") and not exercised.get(row["name"])]
        if missing:
            coverage_ok = False
            print(f"coverage: FAIL: {len(missing)} supported/partial syscalls not exercised by any test: {' '.join(missing)}")
        else:
            need = sum(row["status"] in ("supported", "partial") for row in table)
            print(f"coverage: all {need} supported/partial syscalls exercised")
        if not opts.no_docs:
            write_conformance(table, results, exercised)
            print(f"wrote {os.path.relpath(CONFORMANCE_MD, ROOT)}")

    if xfail:
        print(f"{len(xfail)} expected failures (known wali bugs): {' '.join(r.spec.name for r in xfail)}")
    if skipped:
        print(f"{len(skipped)} skipped")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and coverage_ok else 1


if __name__ == "__main__":
    sys.exit(main())
