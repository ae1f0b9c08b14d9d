# Sleep overshoot of time.sleep: the median, over 20 sleeps of 50 ms, of how
# much longer than asked each lasted (time.monotonic), in milliseconds.
import statistics
import time

over = []
for _ in range(20):
    t0 = time.monotonic()
    time.sleep(0.05)
    over.append((time.monotonic() - t0 - 0.05) * 1000)
print("overshoot_ms=%.3f" % statistics.median(over))
