// wali-test: dir=TMP
// times(): the return value and struct tms. The struct is followed by a
// guard that must stay untouched, and the fields must be sane (no children,
// so the children's times are 0).
#include "../common.h"
#include <sys/times.h>

static struct {
	struct tms t;
	unsigned char guard[32];
} s;

int main(void)
{
	volatile unsigned long spin = 0;
	for (unsigned long i = 0; i < 50000000UL; i++) spin += i; /* some CPU time */
	memset(s.guard, 0xAB, sizeof s.guard);
	clock_t c = times(&s.t);
	FACT("times ok", c != (clock_t)-1);
	int intact = 1;
	for (size_t i = 0; i < sizeof s.guard; i++) intact &= s.guard[i] == 0xAB;
	FACT("memory after struct tms intact", intact);
	FACT("children times are 0", s.t.tms_cutime == 0 && s.t.tms_cstime == 0);
	FACT("own times >= 0", s.t.tms_utime >= 0 && s.t.tms_stime >= 0);
	/* the raw syscall writes the kernel's struct tms: four 64-bit clock_t
	 * (x86_64; the WALI ABI widens every long to 8 bytes) */
	static struct { long long k[4]; unsigned char guard[32]; } raw;
	memset(raw.guard, 0xAB, sizeof raw.guard);
	long r = RSYS1(SYS_times, raw.k);
	FACT("raw times ok", r != -1);
	intact = 1;
	for (size_t i = 0; i < sizeof raw.guard; i++) intact &= raw.guard[i] == 0xAB;
	FACT("memory after kernel struct tms intact (raw)", intact);
	FACT("raw children times are 0", raw.k[2] == 0 && raw.k[3] == 0);
	return 0;
}
