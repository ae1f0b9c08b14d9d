/* The kernel's (x86_64) struct sysinfo has 8-byte longs; scale it into
 * musl's ILP32 one like x32 does. The buffer keeps the 368 bytes of the
 * WALI ABI so a host that writes the padded struct stays in bounds. */
#include <sys/sysinfo.h>
#include "syscall.h"

struct kernel_sysinfo {
	long long uptime;
	unsigned long long loads[3];
	unsigned long long totalram, freeram, sharedram, bufferram;
	unsigned long long totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long long totalhigh, freehigh;
	unsigned mem_unit;
	char __reserved[256];
};
_Static_assert(sizeof(struct kernel_sysinfo) == 368, "WALI struct sysinfo is 368 bytes");
_Static_assert(__builtin_offsetof(struct kernel_sysinfo, mem_unit) == 104, "sysinfo mem_unit @104");

int __lsysinfo(struct sysinfo *info)
{
	struct kernel_sysinfo k = {0};
	int ret = syscall(SYS_sysinfo, &k);
	if (ret == -1) return ret;
	unsigned long long max = k.totalram | k.totalswap;
	int bits = max ? 64 - __builtin_clzll(max) : 0;
	int shifts = bits > 32 ? bits - 32 : 0;
	info->uptime = k.uptime;
	info->loads[0] = k.loads[0];
	info->loads[1] = k.loads[1];
	info->loads[2] = k.loads[2];
	info->totalram = k.totalram >> shifts;
	info->freeram = k.freeram >> shifts;
	info->sharedram = k.sharedram >> shifts;
	info->bufferram = k.bufferram >> shifts;
	info->totalswap = k.totalswap >> shifts;
	info->freeswap = k.freeswap >> shifts;
	info->procs = k.procs;
	info->totalhigh = k.totalhigh >> shifts;
	info->freehigh = k.freehigh >> shifts;
	info->mem_unit = (k.mem_unit ? k.mem_unit : 1) << shifts;
	return ret;
}

weak_alias(__lsysinfo, sysinfo);
