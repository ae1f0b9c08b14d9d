/* One Wasm page: hosts grow linear memory in 64 KiB steps, so mmap and
 * munmap ranges stay whole Wasm pages. */
#define PAGESIZE 65536
