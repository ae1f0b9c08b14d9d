/* clang renames a C `main(int, char **)` to __main_argc_argv and gives a
 * `main(void)` the alias __main_void (which then overrides this weak
 * definition). A three-argument main keeps its name. */
#include "libc.h"

extern int __wali_argc;
extern char **__wali_argv;
extern char **__environ;

weak int __main_argc_argv(int, char **);
weak int main(int, char **, char **);

weak int __main_void(void)
{
	if (__main_argc_argv)
		return __main_argc_argv(__wali_argc, __wali_argv);
	return main(__wali_argc, __wali_argv, __environ);
}
