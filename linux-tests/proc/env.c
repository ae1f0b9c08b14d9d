// wali-test: dir=TMP env="FOO=bar EMPTY= EQ=a=b=c SPACES='x y  z' LT_UNICODE=é"
// The environment is exactly what the header declares (the runner gives
// the native run no other variables), plus getenv/setenv/unsetenv.
#include "../common.h"

extern char **environ;

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
	int n = 0;
	while (environ[n]) n++;
	char **copy = malloc((n + 1) * sizeof *copy);
	memcpy(copy, environ, (n + 1) * sizeof *copy);
	qsort(copy, n, sizeof *copy, cmp);
	SAY("environ has %d entries\n", n);
	for (int i = 0; i < n; i++) SAY("env: %s\n", copy[i]);
	SAY("getenv FOO: %s\n", getenv("FOO"));
	SAY("getenv EMPTY: '%s'\n", getenv("EMPTY"));
	SAY("getenv EQ: %s\n", getenv("EQ"));
	FACT("getenv missing is NULL", getenv("NOPE") == NULL);
	FACT("no PATH", getenv("PATH") == NULL);
	CHECK("setenv", setenv("NEW", "1", 0));
	CHECK("setenv no overwrite", setenv("FOO", "baz", 0));
	SAY("FOO: %s\n", getenv("FOO"));
	CHECK("setenv overwrite", setenv("FOO", "baz", 1));
	SAY("FOO: %s\n", getenv("FOO"));
	CHECK("setenv bad name", setenv("A=B", "x", 1));
	CHECK("unsetenv", unsetenv("FOO"));
	FACT("FOO gone", getenv("FOO") == NULL);
	CHECK("clearenv", clearenv());
	FACT("empty after clearenv", environ == NULL || environ[0] == NULL);
	return 0;
}
