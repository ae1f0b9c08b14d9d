# A SIGALRM handler interrupts a pure-Python loop.
# smoke-attempts: 3
# Known intermittent failure, CPython's own: the Alarm raised by the handler
# inside the try block below is sometimes not caught and ends the script.
# The native build of the same CPython 3.13.5 source does it too (1 run in
# 30 on this machine; about 1 in 5 under wali, whose timing differs).
# Retried so that it cannot fail CI alone, reported as RETRY when it happens.
import signal, sys, time, errno
class Alarm(Exception):
    pass
def handler(signum, frame):
    raise Alarm(signum)
signal.signal(signal.SIGALRM, handler)
try:
    signal.setitimer(signal.ITIMER_REAL, 0.2)
except OSError as e:
    print(f"SKIP: setitimer: {e}"); sys.exit(0)
deadline = time.monotonic() + 10
n = 0
try:
    while time.monotonic() < deadline:
        n += 1
    print("SKIP: SIGALRM was not delivered into a running loop within 10 s (asynchronous signals not landed?)")
    sys.exit(0)
except Alarm as e:
    print("interrupted by", signal.Signals(e.args[0]).name, n > 0)
# And signal.alarm() interrupting time.sleep().
signal.alarm(1)
t0 = time.monotonic()
try:
    time.sleep(10)
except Alarm:
    print("sleep interrupted", time.monotonic() - t0 < 5)
