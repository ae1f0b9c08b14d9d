/* x86_64's page size: the WALI host maps anonymous memory in 4 KiB pages
 * inside linear memory, and Linux programs expect 4096. */
#define PAGESIZE 4096
