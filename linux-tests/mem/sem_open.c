// wali-test: needs=fork policy=shm-private.toml timeout=60
// POSIX named semaphores and shared memory between processes (/dev/shm;
// wali gets a private per-run /dev/shm from the policy key dev.shm): a child
// opens the parent's semaphore and shm object by name, writes, posts; the
// parent waits and reads. Unlinked names are gone.
#include "../common.h"
#include <semaphore.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/wait.h>

int main(void)
{
	char sname[64], mname[64];
	snprintf(sname, sizeof sname, "/lt-sem-%d", (int)getpid());
	snprintf(mname, sizeof mname, "/lt-shm-%d", (int)getpid());
	sem_t *s = sem_open(sname, O_CREAT | O_EXCL, 0600, 0);
	FACT("sem_open created", s != SEM_FAILED);
	int fd = shm_open(mname, O_RDWR | O_CREAT | O_EXCL, 0600);
	FACT("shm_open created", fd >= 0);
	CHECK("ftruncate", ftruncate(fd, 65536));
	int *p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, LT_OFF(0));
	FACT("mapped", p != MAP_FAILED);

	pid_t c = fork();
	if (c == 0) {
		sem_t *cs = sem_open(sname, 0);
		int cfd = shm_open(mname, O_RDWR, 0);
		int *cp = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, LT_OFF(0));
		if (cs == SEM_FAILED || cp == MAP_FAILED)
			_exit(2);
		for (int i = 1; i <= 3; i++) {
			usleep(20000);
			cp[i * 1000] = i * 11;
			sem_post(cs);
		}
		_exit(0);
	}
	int sum = 0;
	for (int i = 1; i <= 3; i++) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 10;
		if (sem_timedwait(s, &ts) != 0) {
			SAY("sem_timedwait %d: %s\n", i, errname(errno));
			break;
		}
		sum += p[i * 1000];
	}
	int st;
	waitpid(c, &st, 0);
	SAY("child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	SAY("sum of what the child wrote: %d\n", sum);
	int v = -1;
	sem_getvalue(s, &v);
	SAY("semaphore value now: %d\n", v);
	CHECK("sem_unlink", sem_unlink(sname));
	CHECK("shm_unlink", shm_unlink(mname));
	FACT("unlinked sem is gone", sem_open(sname, 0) == SEM_FAILED && errno == ENOENT);
	FACT("unlinked shm is gone", shm_open(mname, O_RDWR, 0) < 0 && errno == ENOENT);
	sem_close(s);
	return 0;
}
