#!/usr/bin/env python3
"""irb on a real terminal: starts irb (ruby.wasm under wali) on a
pseudo-terminal, types `1+2` and `exit`, and checks that irb echoes the
evaluation as `=> 3` and exits with status 0.

usage: irb_pty.py WALI RUBY_WASM [LOG]
Exit status 0 on success; the whole terminal transcript goes to LOG (or
stderr on failure).

irb is started as a user would: the installed `irb` script
(build/ports/ruby/bin/irb, beside ruby.wasm) run by ruby.wasm, which mounts
the script's directory; the script activates the irb gem through RubyGems
(the default gems' specifications and psych, which rdoc's needs, are
installed). TERM=xterm-256color so that reline uses its ANSI terminal code;
HOME is a scratch directory (irb's history file).
"""
import os
import pty
import re
import select
import shutil
import sys
import tempfile
import time

TIMEOUT = float(os.environ.get("IRB_TIMEOUT", "120"))


def plain(data):
    """The transcript without terminal control sequences (colours, cursor
    moves, bracketed-paste switches)."""
    return re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", bytes(data))


def main():
    wali, rb = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    log_path = sys.argv[3] if len(sys.argv) > 3 else None
    home = tempfile.mkdtemp(prefix="irb-pty-")
    argv = [wali, "run", "--dir", home, "--env", "HOME=" + home,
            "--env", "TERM=xterm-256color", "--env", "LANG=C.UTF-8",
            rb, os.path.join(os.path.dirname(rb), "bin", "irb")]
    import atexit
    atexit.register(shutil.rmtree, home, True)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(home)
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)

    out = bytearray()
    answered = [0]  # cursor-position queries answered so far
    deadline = time.monotonic() + TIMEOUT

    def read_until(pattern, wait=None):
        """Reads the terminal until PATTERN (bytes regex) matches the
        transcript without control sequences, for at most WAIT seconds (or
        until the overall deadline), answering reline's cursor-position
        queries."""
        end = deadline if wait is None else time.monotonic() + wait
        while time.monotonic() < end:
            # reline asks the terminal for the cursor position (ESC [ 6 n)
            # and waits for the answer (ESC [ row ; col R).
            queries = out.count(b"\x1b[6n")
            while answered[0] < queries:
                os.write(fd, b"\x1b[1;1R")
                answered[0] += 1
            if re.search(pattern, plain(out)):
                return True
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try:
                    data = os.read(fd, 4096)
                except OSError:  # EIO: the child closed the terminal
                    return bool(re.search(pattern, plain(out)))
                if not data:
                    return bool(re.search(pattern, plain(out)))
                out.extend(data)
        return False

    def fail(msg):
        report = "irb_pty: FAIL: %s\n--- terminal transcript ---\n%r\n" % (msg, bytes(out))
        if log_path:
            with open(log_path, "w") as f:
                f.write(report)
        sys.stderr.write(report)
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        sys.exit(1)

    def type_line(text):
        """Types TEXT and Enter like a person: reline treats keys that
        arrive together with Enter as a paste (Enter then inserts a newline
        instead of submitting the line)."""
        for ch in text:
            os.write(fd, ch.encode())
            read_until(rb"$^", 0.05)
        read_until(rb"$^", 0.3)
        os.write(fd, b"\r")

    t0 = time.monotonic()
    # The prompt: irb(main):001>
    if not read_until(rb"irb\(main\):001[:>]"):
        fail("no irb prompt within %.0fs" % TIMEOUT)
    t_prompt = time.monotonic() - t0
    type_line("1+2")
    if not read_until(rb"(?m)^=> 3\r?$"):
        fail("no '=> 3' after typing 1+2")
    type_line("exit")
    read_until(rb"$^")  # until EOF
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    text = bytes(out)
    if code != 0:
        fail("irb exited with status %d" % code)
    msg = "irb_pty: ok (prompt after %.1fs, '=> 3' seen, exit status 0)\n" % t_prompt
    if log_path:
        with open(log_path, "w") as f:
            f.write(msg + "--- terminal transcript ---\n%r\n" % text)
    sys.stdout.write(msg)


if __name__ == "__main__":
    main()
