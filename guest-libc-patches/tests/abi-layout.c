/* Compile-time check that the guest's kernel-facing structures have the
 * sizes and offsets of the WALI ABI table (shared/wali-abi.md, "Structures").
 * Built with wali-cc by every `make sysroot`. Structures that libc converts
 * (rusage, sysinfo) are checked on the kernel side in their sources. */
#define _GNU_SOURCE
#include <stddef.h>
#include <time.h>
#include <poll.h>
#include <signal.h>
#include <dirent.h>
#include <sched.h>
#include <sys/time.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/select.h>
#include <sys/uio.h>
#include <sys/sysinfo.h>
#include <fcntl.h>

#define SIZE(T, n) _Static_assert(sizeof(T) == (n), "sizeof " #T " != " #n)
#define OFF(T, f, n) _Static_assert(offsetof(T, f) == (n), "offsetof(" #T ", " #f ") != " #n)

/* Scalar rules: pointers 4 bytes, 8-byte C types i64. */
SIZE(void *, 4); SIZE(long, 4); SIZE(off_t, 8); SIZE(time_t, 8);
SIZE(nfds_t, 4); SIZE(rlim_t, 8); SIZE(size_t, 4);

SIZE(struct timespec, 16); OFF(struct timespec, tv_sec, 0); OFF(struct timespec, tv_nsec, 8);
SIZE(struct timeval, 16); OFF(struct timeval, tv_sec, 0); OFF(struct timeval, tv_usec, 8);
SIZE(((struct timeval *)0)->tv_usec, 8);
SIZE(struct timezone, 8); OFF(struct timezone, tz_minuteswest, 0); OFF(struct timezone, tz_dsttime, 4);
SIZE(struct rlimit, 16); OFF(struct rlimit, rlim_cur, 0); OFF(struct rlimit, rlim_max, 8);

SIZE(struct stat, 144);
OFF(struct stat, st_dev, 0); OFF(struct stat, st_ino, 8); OFF(struct stat, st_nlink, 16);
SIZE(((struct stat *)0)->st_nlink, 8);
OFF(struct stat, st_mode, 24); OFF(struct stat, st_uid, 28); OFF(struct stat, st_gid, 32);
OFF(struct stat, st_rdev, 40); OFF(struct stat, st_size, 48); OFF(struct stat, st_blksize, 56);
OFF(struct stat, st_blocks, 64); OFF(struct stat, st_atim, 72); OFF(struct stat, st_mtim, 88);
OFF(struct stat, st_ctim, 104);

SIZE(struct statx, 256);
OFF(struct statx, stx_mask, 0); OFF(struct statx, stx_size, 40); OFF(struct statx, stx_atime, 64);
OFF(struct statx, stx_mtime, 112);

SIZE(struct statfs, 120);
OFF(struct statfs, f_type, 0); OFF(struct statfs, f_bsize, 8); OFF(struct statfs, f_blocks, 16);
OFF(struct statfs, f_bfree, 24); OFF(struct statfs, f_bavail, 32); OFF(struct statfs, f_files, 40);
OFF(struct statfs, f_ffree, 48); OFF(struct statfs, f_fsid, 56); OFF(struct statfs, f_namelen, 64);
OFF(struct statfs, f_frsize, 72); OFF(struct statfs, f_flags, 80); OFF(struct statfs, f_spare, 88);

SIZE(struct utsname, 390);
OFF(struct utsname, nodename, 65); OFF(struct utsname, machine, 260);

/* dirent as getdents64 fills it (musl reads the kernel records in place) */
OFF(struct dirent, d_ino, 0); OFF(struct dirent, d_off, 8); OFF(struct dirent, d_reclen, 16);
OFF(struct dirent, d_type, 18); OFF(struct dirent, d_name, 19);
SIZE(((struct dirent *)0)->d_ino, 8); SIZE(((struct dirent *)0)->d_off, 8);

SIZE(struct pollfd, 8); OFF(struct pollfd, fd, 0); OFF(struct pollfd, events, 4); OFF(struct pollfd, revents, 6);

SIZE(struct epoll_event, 12); OFF(struct epoll_event, events, 0); OFF(struct epoll_event, data, 4);

SIZE(struct sockaddr, 16); OFF(struct sockaddr, sa_family, 0); OFF(struct sockaddr, sa_data, 2);

SIZE(struct iovec, 8); OFF(struct iovec, iov_base, 0); OFF(struct iovec, iov_len, 4);

SIZE(struct msghdr, 36);
OFF(struct msghdr, msg_name, 0); OFF(struct msghdr, msg_namelen, 4); OFF(struct msghdr, msg_iov, 8);
OFF(struct msghdr, msg_iovlen, 12); OFF(struct msghdr, msg_control, 20);
OFF(struct msghdr, msg_controllen, 24); OFF(struct msghdr, msg_flags, 32);
/* control messages as on x86_64 */
SIZE(struct cmsghdr, 16); _Static_assert(CMSG_LEN(4) == 20 && CMSG_SPACE(4) == 24, "cmsg");

SIZE(stack_t, 12); OFF(stack_t, ss_sp, 0); OFF(stack_t, ss_flags, 4); OFF(stack_t, ss_size, 8);

SIZE(struct itimerval, 32); OFF(struct itimerval, it_interval, 0); OFF(struct itimerval, it_value, 16);
SIZE(fd_set, 128);
SIZE(cpu_set_t, 128);
SIZE(sigset_t, 128);
SIZE(siginfo_t, 128);
/* siginfo_t as the host writes it: x86_64 offsets */
OFF(siginfo_t, si_signo, 0); OFF(siginfo_t, si_errno, 4); OFF(siginfo_t, si_code, 8);
OFF(siginfo_t, si_pid, 16); OFF(siginfo_t, si_uid, 20); OFF(siginfo_t, si_value, 24);
OFF(siginfo_t, si_timerid, 16); OFF(siginfo_t, si_overrun, 20);
OFF(siginfo_t, si_status, 24); OFF(siginfo_t, si_utime, 32); OFF(siginfo_t, si_stime, 40);
OFF(siginfo_t, si_addr, 16); OFF(siginfo_t, si_addr_lsb, 24); OFF(siginfo_t, si_lower, 32);
OFF(siginfo_t, si_upper, 40); OFF(siginfo_t, si_pkey, 32);
OFF(siginfo_t, si_band, 16); OFF(siginfo_t, si_fd, 24);
OFF(siginfo_t, si_call_addr, 16); OFF(siginfo_t, si_syscall, 24); OFF(siginfo_t, si_arch, 28);
SIZE(struct flock, 32); OFF(struct flock, l_start, 8); OFF(struct flock, l_len, 16); OFF(struct flock, l_pid, 24);

/* Converted by libc: the public ILP32 layout keeps the two timevals first;
 * getrusage/wait4 take the kernel's 272-byte all-i64 struct
 * (src/misc/wasm32/getrusage.c), sysinfo the 368-byte one
 * (src/linux/wasm32/sysinfo.c). */
OFF(struct rusage, ru_utime, 0); OFF(struct rusage, ru_stime, 16);

/* Signal numbers and flags the host interprets. */
_Static_assert(SIGCHLD == 17 && SIGUSR1 == 10 && SIGSYS == 31 && _NSIG == 65, "x86_64 signal numbers");
/* The reference engine's sentinels (the k_sigaction layout itself is
 * asserted in arch/wasm32/ksigaction.h). */
_Static_assert((long)SIG_DFL == 0 && (long)SIG_ERR == -1 && (long)SIG_IGN == -2, "SIG_IGN is -2");
_Static_assert(SA_SIGINFO == 4 && SA_RESTART == 0x10000000 && SA_ONSTACK == 0x08000000, "sa_flags");
_Static_assert(O_CLOEXEC == 02000000 && O_DIRECTORY == 0200000 && O_NONBLOCK == 04000, "open flags");
_Static_assert(F_GETLK == 5 && F_SETLKW == 7, "64-bit flock commands");

int wali_abi_layout_ok;
