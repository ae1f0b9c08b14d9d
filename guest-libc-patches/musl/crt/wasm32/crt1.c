/* WALI program entry. The host passes argv and the environment through the
 * auxiliary imports (not on a stack), so _start builds the argv/envp/auxv
 * block musl expects and then enters __libc_start_main as on Linux. */
#include <stddef.h>
#include <limits.h>
#include <string.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include "syscall.h"

#define WALI_AUX(name) __attribute__((__import_module__("wali"), __import_name__(#name)))
WALI_AUX(__init) int __wali_init(void);
WALI_AUX(__deinit) int __wali_deinit(void);
WALI_AUX(__cl_get_argc) int __wali_cl_get_argc(void);
WALI_AUX(__cl_get_argv_len) int __wali_cl_get_argv_len(int);
WALI_AUX(__cl_copy_argv) int __wali_cl_copy_argv(char *, int);
WALI_AUX(__get_init_envfile) int __wali_get_init_envfile(char *, int);

int __libc_start_main(int (*)(), int, char **,
	void (*)(), void(*)(), void(*)());
void __wasm_call_ctors(void);
int __main_void(void);
weak void _init();
weak void _fini();

/* Read by __main_void (src/env/wasm32/__main_void.c). */
int __wali_argc;
char **__wali_argv;

static void *early_map(size_t len)
{
	long p = __syscall(SYS_mmap, 0, len, PROT_READ|PROT_WRITE,
		MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
	if (p < 0 && p > -4096) {
		static const char msg[] = "wali: out of memory at startup\n";
		__syscall(SYS_write, 2, msg, sizeof msg - 1);
		__syscall(SYS_exit_group, 127);
	}
	return (void *)p;
}

/* The whole environment file, NUL-separated in place; 0 if there is none. */
static char *read_env_file(size_t *len)
{
	char path[4096];
	size_t cap = 65536, n = 0;
	char *buf;
	long r, fd;

	*len = 0;
	/* Non-zero: the host wrote the path of the environment file (WALI ABI). */
	if (__wali_get_init_envfile(path, sizeof path) == 0) return 0;
	path[sizeof path - 1] = 0;
	fd = __syscall(SYS_open, path, O_RDONLY|O_CLOEXEC, 0);
	if (fd < 0) return 0;
	buf = early_map(cap);
	for (;;) {
		if (n == cap) {
			char *bigger = early_map(2*cap);
			memcpy(bigger, buf, n);
			__syscall(SYS_munmap, buf, cap);
			buf = bigger;
			cap *= 2;
		}
		r = __syscall(SYS_read, fd, buf + n, cap - n);
		if (r == -EINTR) continue;
		if (r <= 0) break;
		n += r;
	}
	__syscall(SYS_close, fd);
	/* Keep a NUL after the last line even without a final newline
	 * (fresh anonymous pages are zero). */
	if (n == cap) {
		char *bigger = early_map(cap + PAGESIZE);
		memcpy(bigger, buf, n);
		__syscall(SYS_munmap, buf, cap);
		buf = bigger;
	}
	*len = n;
	return buf;
}

static int wali_main(int argc, char **argv, char **envp)
{
	/* After __init_libc (TLS, environ) so constructors may use libc. */
	__wasm_call_ctors();
	int r = __main_void();
	__wali_deinit();
	return r;
}

void _start(void)
{
	size_t envlen, strbytes = 0, nenv = 0, i, j;
	int argc, r;
	char *env, *s, **vec;

	r = __wali_init();
	if (r) {
		static const char msg[] = "wali: the host's __init failed\n";
		__syscall(SYS_write, 2, msg, sizeof msg - 1);
		__syscall(SYS_exit_group, 127);
	}

	argc = __wali_cl_get_argc();
	if (argc < 0) argc = 0;
	for (i = 0; i < argc; i++)
		strbytes += __wali_cl_get_argv_len(i) + 1;

	env = read_env_file(&envlen);
	for (i = 0; i < envlen; i++) {
		if (env[i] == '\n') env[i] = 0;
		if (env[i] && (i == 0 || !env[i-1])) nenv++;
	}

	/* argv[argc+1], envp[nenv+1], auxv (AT_PAGESZ, AT_NULL), then strings */
	size_t nvec = argc + 1 + nenv + 1 + 4;
	vec = early_map(nvec * sizeof *vec + strbytes + 1);
	s = (char *)(vec + nvec);
	for (i = 0; i < argc; i++) {
		vec[i] = s;
		__wali_cl_copy_argv(s, i);
		s += __wali_cl_get_argv_len(i) + 1;
	}
	vec[argc] = 0;
	j = argc + 1;
	for (i = 0; i < envlen; i++)
		if (env[i] && (i == 0 || !env[i-1])) vec[j++] = env + i;
	vec[j++] = 0;
	size_t *aux = (size_t *)(vec + j);
	aux[0] = AT_PAGESZ; aux[1] = PAGESIZE;
	aux[2] = AT_NULL; aux[3] = 0;

	__wali_argc = argc;
	__wali_argv = vec;
	__libc_start_main(wali_main, argc, vec, _init, _fini, 0);
	__builtin_unreachable();
}
