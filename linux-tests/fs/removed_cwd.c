// wali-test: dir=TMP
// The cwd is a directory, not a path: after it is removed, getcwd fails
// with ENOENT, "." still opens, creating in it fails, ".." still works.
#include "../common.h"

int main(void)
{
	char start[PATH_MAX], buf[PATH_MAX + 16];
	getcwd(start, sizeof start);
	mkdir("gone", 0755);
	CHECK("chdir gone", chdir("gone"));
	snprintf(buf, sizeof buf, "%s/gone", start);
	CHECK("rmdir cwd", rmdir(buf));
	CHECK("getcwd after removal", getcwd(buf, sizeof buf) ? 0 : -1);
	int fd = open(".", O_RDONLY);
	FACT("open . after removal", fd >= 0);
	CHECK("create in removed cwd", open("new", O_CREAT | O_WRONLY, 0644));
	CHECK("chdir .. from removed cwd", chdir(".."));
	getcwd(buf, sizeof buf);
	FACT("back at start", !strcmp(buf, start));
	return 0;
}
