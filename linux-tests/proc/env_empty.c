// wali-test: dir=TMP
// With no variables declared, the environment is empty on both sides.
#include "../common.h"

extern char **environ;

int main(void)
{
	int n = 0;
	while (environ && environ[n]) n++;
	SAY("environ entries: %d\n", n);
	FACT("HOME unset", getenv("HOME") == NULL);
	return 0;
}
