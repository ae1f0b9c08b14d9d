/* <linux/random.h> for CPython's build: configure's "Linux getrandom()
 * syscall" probe and Modules/posixmodule.c include it, and without it
 * os.getrandom is left out. The sysroot (musl) ships no Linux UAPI
 * headers; what CPython uses from this one, GRND_NONBLOCK and GRND_RANDOM,
 * musl's <sys/random.h> defines with the kernel's values. Port-local, so
 * that adding it changes no other build's cache key. */
#ifndef WALI_LINUX_RANDOM_H
#define WALI_LINUX_RANDOM_H
#include <sys/random.h>
#endif
