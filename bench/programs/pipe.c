/* Pipe throughput between two processes: the parent writes MiB (default
 * 256) in 64 KiB chunks to a forked child that reads them all. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 256;
    int fds[2];
    if (pipe(fds) < 0) { perror("pipe"); return 1; }
    static char buf[65536];
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        close(fds[1]);
        long total = 0;
        ssize_t n;
        while ((n = read(fds[0], buf, sizeof buf)) > 0) total += n;
        _exit(total == mib << 20 ? 0 : 1);
    }
    close(fds[0]);
    for (long left = mib << 20; left > 0;) {
        ssize_t w = write(fds[1], buf, left < (long)sizeof buf ? left : (long)sizeof buf);
        if (w < 0) { perror("write"); return 1; }
        left -= w;
    }
    close(fds[1]);
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
        fprintf(stderr, "child failed\n");
        return 1;
    }
    printf("piped %ld MiB\n", mib);
    return 0;
}
