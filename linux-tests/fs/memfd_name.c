// wali-test: dir=TMP
// memfd_create with a name longer than 249 bytes: EINVAL.
#include "../common.h"
#include <sys/mman.h>

int main(void)
{
	char name[300];
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = 0;
	CHECK("memfd_create 299-byte name", memfd_create(name, 0));
	name[249] = 0;
	CHECK("memfd_create 249-byte name", memfd_create(name, 0));
	name[250] = 'n';
	name[250] = 0;
	name[249] = 'n';
	CHECK("memfd_create 250-byte name", memfd_create(name, 0));
	return 0;
}
