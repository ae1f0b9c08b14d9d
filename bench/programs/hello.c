/* Process start-up: prints one line and exits. */
#include <stdio.h>
int main(void) {
    puts("hello");
    return 0;
}
