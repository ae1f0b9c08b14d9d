/* A libc-heavy program whose output must be identical natively (glibc) and on
 * WALI (musl): only libc behaviour that both define the same way is printed.
 * Run by tests/run.sh with: env WALI_TEST_VAR=... TZ=... libc-heavy a "b c" */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

static unsigned lcg_state = 12345;
static unsigned lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return lcg_state >> 8;
}

static void section(const char *name)
{
	printf("== %s\n", name);
}

static void floats(void)
{
	static const double v[] = { 0.0, -0.0, 1.0, -1.5, 0.1, 1.0/3, 2.0/3, 123456.789,
		1e-5, 6.02214076e23, 1e300, 1e-300, 2.2250738585072014e-308,
		9007199254740993.0, 0.5, 2.5, -2.5, 1e21, 1e22 };
	section("floats");
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		printf("%.3f|%e|%g|%.17g|%a|%10.4f|%-12.3e|%+g\n",
			v[i], v[i], v[i], v[i], v[i], v[i], v[i], v[i]);
	/* no %a here: glibc and musl spell subnormals differently */
	printf("%.3f|%e|%g|%.17g\n", 5e-324, 5e-324, 5e-324, 5e-324);
	printf("%f %f %f %F\n", INFINITY, -INFINITY, NAN, INFINITY);
	printf("%.0f %.0f %.0f %.0f\n", 0.5, 1.5, 2.5, 3.5);
	printf("%.15Lg %.15Lg\n", 1.0L/3, (long double)1e100);
	printf("%5.1f%% done, %08.3f, %.*f\n", 99.5, -3.14159, 4, 2.0/7);
	printf("%.10g %.10g %.10g %.10g %.10g\n", sin(1.0), exp(2.0), log(10.0), pow(2.0, 0.5), atan2(1.0, 2.0));
	printf("%.10g %.10g %.10g\n", sqrt(2.0), cbrt(27.0), fmod(10.5, 3.0));
	printf("%ld %lld %d\n", lround(2.5), llrint(3.5), (int)floor(-2.5));

	char *end;
	double d = strtod("  -1.25e-3xyz", &end);
	printf("strtod %.17g rest=%s\n", d, end);
	printf("strtod hex %.17g inf %g nan? %d\n", strtod("0x1.8p3", 0), strtod("inf", 0), isnan(strtod("nan", 0)));
	float f;
	int n;
	if (sscanf("3.25 17 word", "%f %d %*s", &f, &n) == 2) printf("sscanf %.2f %d\n", f, n);
}

static void integers(void)
{
	section("integers");
	printf("%d %i %u %x %X %o %#x %#o %5d|%-5d|%05d\n", -42, 42, 42u, 255, 255, 8, 255, 8, 7, 7, 7);
	printf("%lld %llu %zu %zd %jd %hhd %hd\n", -9000000000LL, 18000000000ULL, (size_t)12345, (ssize_t)-3,
		(intmax_t)INT64_MIN, (signed char)300, (short)70000);
	printf("%s|%10s|%-10s|%.3s|%c|%%\n", "str", "right", "left", "truncate", 'c');
	printf("strtol %ld %ld %lu\n", strtol("-0x7f", 0, 16), strtol("0777", 0, 0), strtoul("4294967295", 0, 10));
	char buf[16];
	int w = snprintf(buf, sizeof buf, "%s-%d-%s", "truncated", 123456, "output");
	printf("snprintf %d '%s'\n", w, buf);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sorting(void)
{
	section("qsort");
	enum { N = 1000 };
	int *a = malloc(N * sizeof *a);
	for (int i = 0; i < N; i++) a[i] = (int)(lcg() % 100000) - 50000;
	qsort(a, N, sizeof *a, cmp_int);
	long long sum = 0;
	int sorted = 1;
	for (int i = 0; i < N; i++) {
		sum += (long long)a[i] * (i + 1);
		if (i && a[i-1] > a[i]) sorted = 0;
	}
	printf("sorted=%d min=%d max=%d weighted=%lld\n", sorted, a[0], a[N-1], sum);
	int key = a[N/2];
	int *hit = bsearch(&key, a, N, sizeof *a, cmp_int);
	printf("bsearch found=%d\n", hit && *hit == key);
	free(a);

	char *words[] = { "pear", "apple", "fig", "banana", "cherry", "date", "apple" };
	qsort(words, 7, sizeof *words, cmp_str);
	for (int i = 0; i < 7; i++) printf("%s%c", words[i], i == 6 ? '\n' : ' ');
}

static void memory(void)
{
	section("malloc");
	/* many small blocks of varied sizes */
	enum { N = 20000 };
	static unsigned char *p[N];
	unsigned long long check = 0;
	for (int i = 0; i < N; i++) {
		size_t sz = 1 + lcg() % 200;
		p[i] = malloc(sz);
		if (!p[i]) { puts("small malloc failed"); exit(1); }
		memset(p[i], i & 0xff, sz);
		check += p[i][sz-1];
	}
	for (int i = 0; i < N; i += 2) free(p[i]);
	for (int i = 0; i < N; i += 2) p[i] = calloc(3, 16);
	int zero = 1;
	for (int i = 0; i < N; i += 2) for (int j = 0; j < 48; j++) if (p[i][j]) zero = 0;
	for (int i = 0; i < N; i++) free(p[i]);
	printf("small ok check=%llu calloc-zero=%d\n", check, zero);

	/* one 64 MiB block, touched everywhere */
	size_t big = 64u << 20;
	unsigned char *b = malloc(big);
	if (!b) { puts("64 MiB malloc failed"); exit(1); }
	for (size_t i = 0; i < big; i += 4096) b[i] = (unsigned char)(i >> 12);
	unsigned long long s = 0;
	for (size_t i = 0; i < big; i += 4096) s += b[i];
	b = realloc(b, big + (1u << 20));
	if (!b) { puts("realloc failed"); exit(1); }
	printf("big ok sum=%llu keep=%d\n", s, b[4096*7] == 7);
	free(b);

	char *str = strdup("duplicate me");
	str = realloc(str, 100);
	strcat(str, " and grow");
	printf("%s (%zu)\n", str, strlen(str));
	free(str);
}

static jmp_buf outer, inner;
static int depth_reached;

static void dive(int depth, jmp_buf target)
{
	volatile char pad[64];
	pad[0] = (char)depth;
	depth_reached = depth + pad[0] - depth;
	if (depth == 10) longjmp(target, depth);
	dive(depth + 1, target);
}

static int nested(void)
{
	volatile int stage = 0;
	int r = setjmp(inner);
	if (r) {
		printf("inner caught %d at depth %d (stage %d)\n", r, depth_reached, stage);
		longjmp(outer, 100 + r);
	}
	stage = 1;
	dive(0, inner);
	return -1;
}

static sigjmp_buf sigenv;

static void jumps(void)
{
	section("setjmp");
	volatile int count = 0;
	int r = setjmp(outer);
	printf("setjmp returned %d\n", r);
	if (r == 0) {
		nested();
		puts("not reached");
	}
	jmp_buf zero;
	if (!setjmp(zero)) longjmp(zero, 0);
	else puts("longjmp(0) made setjmp return nonzero");

	/* a loop of jumps back to the same frame */
	jmp_buf loop;
	if (setjmp(loop) < 5) {
		count++;
		longjmp(loop, count);
	}
	printf("looped %d times\n", count);

	sigset_t set, now;
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, 0);
	if (!sigsetjmp(sigenv, 1)) {
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, 0);
		siglongjmp(sigenv, 1);
	}
	sigprocmask(SIG_SETMASK, 0, &now);
	printf("siglongjmp restored mask: %d\n", !sigismember(&now, SIGUSR1));
}

static void times(void)
{
	section("time");
	char buf[128];
	time_t t = 1700000000;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %j %a %A %b %B %U %W %u %w %y %C %e %D %T %R %p %%", &tm);
	printf("gmtime %s\n", buf);
	localtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z %z isdst=", &tm);
	printf("localtime %s%d\n", buf, tm.tm_isdst);
	time_t summer = 1720000000;
	localtime_r(&summer, &tm);
	strftime(buf, sizeof buf, "%c %Z %z", &tm);
	printf("summer %s\n", buf);
	struct tm mk = { .tm_year = 124, .tm_mon = 1, .tm_mday = 29, .tm_hour = 12, .tm_isdst = -1 };
	long long mt = mktime(&mk);
	printf("mktime %lld wday=%d yday=%d\n", mt, mk.tm_wday, mk.tm_yday);
	printf("asctime %s", asctime(gmtime(&t)));

	struct timespec a, b;
	int ok = !clock_gettime(CLOCK_MONOTONIC, &a) && !clock_gettime(CLOCK_REALTIME, &b);
	printf("clock_gettime ok=%d realtime-after-2023=%d\n", ok, b.tv_sec > 1700000000);
}

static void strings(void)
{
	section("strings");
	printf("%s|%s|%s|%s\n", strerror(ENOENT), strerror(EACCES), strerror(EINVAL), strerror(ENOTDIR));
	errno = 0;
	FILE *f = fopen("/definitely/not/here", "r");
	printf("fopen missing: %s errno=%s\n", f ? "opened?" : "NULL", errno == ENOENT ? "ENOENT" : "other");
	char s[] = "a,b,,c";
	char *save, *tok;
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(0, ",", &save)) printf("[%s]", tok);
	printf(" strstr=%s strchr=%s strrchr=%s\n", strstr("haystack", "st"), strchr("a.b.c", '.'), strrchr("a.b.c", '.'));
	printf("strncmp=%d memcmp=%d strcasecmp=%d strspn=%zu strcspn=%zu\n",
		strncmp("abcd", "abcf", 3), memcmp("ab", "ac", 2) < 0, strcasecmp("HeLLo", "hello"),
		strspn("aaab", "a"), strcspn("xyz;", ";"));
	char buf[32];
	memmove(buf + 2, memcpy(buf, "overlap!", 9), 9);
	printf("memmove %s\n", buf);

	printf("setlocale C.UTF-8: %s\n", setlocale(LC_ALL, "C.UTF-8") ? "ok" : "missing");
	const char *utf8 = "h\xc3\xa9llo \xe2\x82\xac";
	wchar_t w[16];
	size_t nw = mbstowcs(w, utf8, 16);
	printf("mbstowcs %zu last=U+%04X\n", nw, (unsigned)w[nw-1]);
	setlocale(LC_ALL, "C");
}

static void environment(int argc, char **argv)
{
	section("argv/env");
	printf("argc=%d\n", argc);
	for (int i = 1; i < argc; i++) printf("argv[%d]=<%s>\n", i, argv[i]);
	const char *v = getenv("WALI_TEST_VAR");
	printf("WALI_TEST_VAR=%s\n", v ? v : "(unset)");
	printf("TZ=%s\n", getenv("TZ") ? getenv("TZ") : "(unset)");
	setenv("ADDED", "yes", 1);
	printf("ADDED=%s unset-missing=%s\n", getenv("ADDED"), getenv("NOPE_NOT_SET") ? "set" : "null");
	unsetenv("ADDED");
	printf("after unsetenv=%s\n", getenv("ADDED") ? "set" : "null");
}

static volatile sig_atomic_t got_usr1, got_usr2_code;

static void on_usr1(int sig)
{
	got_usr1 = sig;
}

static void on_usr2(int sig, siginfo_t *si, void *ctx)
{
	got_usr2_code = si->si_signo == sig ? 1 : -1;
}

static void signals(void)
{
	section("signals");
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	printf("handler saw signal %d\n", (int)got_usr1);
	struct sigaction sa = { .sa_sigaction = on_usr2, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, 0);
	raise(SIGUSR2);
	printf("siginfo handler: %d\n", (int)got_usr2_code);
	struct sigaction old;
	sigaction(SIGUSR1, 0, &old);
	printf("old handler is on_usr1: %d\n", old.sa_handler == on_usr1);
	/* Flags and mask round-trip through the kernel k_sigaction (24 bytes
	 * in the WALI ABI); nothing is written past the caller's struct. */
	struct sigaction with = { .sa_handler = on_usr1, .sa_flags = SA_RESTART | SA_NODEFER };
	sigemptyset(&with.sa_mask);
	sigaddset(&with.sa_mask, SIGTERM);
	sigaddset(&with.sa_mask, SIGCHLD);
	sigaction(SIGUSR1, &with, 0);
	struct { struct sigaction sa; unsigned canary; } o;
	memset(&o, 0, sizeof o);
	o.canary = 0xC0FFEE;
	sigaction(SIGUSR1, 0, &o.sa);
	printf("old flags kept: %d, mask TERM %d CHLD %d INT %d, canary %d\n",
		(o.sa.sa_flags & (SA_RESTART | SA_NODEFER)) == (SA_RESTART | SA_NODEFER),
		sigismember(&o.sa.sa_mask, SIGTERM), sigismember(&o.sa.sa_mask, SIGCHLD),
		sigismember(&o.sa.sa_mask, SIGINT), o.canary == 0xC0FFEE);
	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	puts("ignored SIGUSR1");
	sigaction(SIGUSR1, 0, &old);
	printf("old handler is SIG_IGN: %d\n", old.sa_handler == SIG_IGN);
	void *h = dlopen("libnothere.so", RTLD_NOW);
	printf("dlopen -> %s, dlerror set: %d\n", h ? "handle" : "NULL", dlerror() != 0);
}

static void bye(void)
{
	puts("atexit handler ran");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	atexit(bye);
	environment(argc, argv);
	floats();
	integers();
	sorting();
	memory();
	jumps();
	times();
	strings();
	signals();
	section("done");
	return 3;
}
