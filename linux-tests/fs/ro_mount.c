// wali-test: dir=TMP ro-dir=ro
// A read-only mount for wali (the runner creates TMP/ro and mounts it with
// --ro-dir). Reads work the same; writes differ only where the table notes
// say so: open for writing (note on open: "a write open needs a read-write
// mount (else EROFS)") and access W_OK (note on access: "W_OK on a
// read-only mount answers EROFS"). Natively the directory is writable.
#include "../common.h"

int main(void)
{
	struct stat st;
	CHECK("stat ro", stat("ro", &st));
	SAY("ro is a: %s\n", lt_ftype(st.st_mode));
	int d = open("ro", O_RDONLY | O_DIRECTORY);
	FACT("open ro dir for reading", d >= 0);
	close(d);
	CHECK("access ro R_OK", access("ro", R_OK));
	int w = access("ro", W_OK);
	int we = errno;
	int fd = open("ro/new", O_WRONLY | O_CREAT, 0644);
	int fe = errno;
#ifdef __wasm__
	/* table notes on access and open: EROFS on a read-only mount */
	SAY("access ro W_OK: %s\n", w == -1 && we == EROFS ? "documented" : errname(we));
	SAY("create in ro: %s\n", fd == -1 && fe == EROFS ? "documented" : errname(fe));
#else
	SAY("access ro W_OK: %s\n", w == 0 ? "documented" : errname(we));
	SAY("create in ro: %s\n", fd >= 0 ? "documented" : errname(fe));
#endif
	/* the writable temp dir next to it is still writable */
	CHECK("create in rw", open("rw-file", O_WRONLY | O_CREAT, 0644) >= 0 ? 0 : -1);
	return 0;
}
