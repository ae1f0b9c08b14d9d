// wali-test: dir=TMP args="alpha 'two words' '' --flag=x 'ünï' TMP"
// argv and argc as given (argv[0] differs: it is the program's path on
// each side; print only that it is there). TMP in args is the temp dir,
// which is also the cwd.
#include "../common.h"

int main(int argc, char **argv)
{
	SAY("argc: %d\n", argc);
	FACT("argv[0] non-empty", argv[0] && argv[0][0]);
	for (int i = 1; i < argc - 1; i++) SAY("argv[%d]: '%s' (%zu bytes)\n", i, argv[i], strlen(argv[i]));
	FACT("argv[argc] is NULL", argv[argc] == NULL);
	char cwd[PATH_MAX];
	getcwd(cwd, sizeof cwd);
	FACT("last arg is cwd", !strcmp(cwd, argv[argc - 1]));
	return 0;
}
