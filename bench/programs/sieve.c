/* CPU kernel: sieve of Eratosthenes over bytes, count of primes printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 20000000;
    char *composite = calloc(n + 1, 1);
    if (!composite) return 1;
    long count = 0;
    for (long i = 2; i <= n; i++) {
        if (composite[i]) continue;
        count++;
        for (long long j = (long long)i * i; j <= n; j += i) composite[j] = 1;
    }
    printf("primes <= %ld: %ld\n", n, count);
    return 0;
}
