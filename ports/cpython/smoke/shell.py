# The sandbox's userland under the default policy (no flags): /bin/sh and
# the tools (busybox, mounted at /bin and /usr/bin), a private /tmp, HOME,
# PATH finding python3, and uname's machine.
import os, platform, subprocess, sys, sysconfig, tempfile

r = subprocess.run("echo hi | tr a-z A-Z", shell=True, capture_output=True, text=True)
print("shell=True pipeline:", r.stdout.strip(), r.returncode)
sys.stdout.flush()
print("os.system status:", os.waitstatus_to_exitcode(os.system("exit 3")))
print("os.popen:", os.popen("printf '%s\\n' c a b | sort | tr '\\n' ' '").read().strip())
r = subprocess.run(["sh", "-c", 'echo "$0 $1"', "zero", "one"], capture_output=True, text=True)
print("sh by name:", r.stdout.strip())
r = subprocess.run("python3 -c 'print(6 * 7)'", shell=True, capture_output=True, text=True)
print("python3 on PATH:", r.stdout.strip())
print("missing command:", subprocess.run("nosuchcommand", shell=True, stderr=subprocess.DEVNULL).returncode)
with tempfile.TemporaryDirectory() as d:
    print("tempdir under /tmp:", d.startswith("/tmp/"))
    p = os.path.join(d, "f.txt")
    with open(p, "w") as f:
        f.write("x\ny\n")
    print("wc on a temp file:", subprocess.run(["wc", "-l", p], capture_output=True, text=True).stdout.split()[0])
home = os.path.expanduser("~")
print("HOME writable:", home != "/" and os.access(home, os.W_OK))
print("machine:", platform.machine(), sysconfig.get_platform())
