# Entry of every thread but the first: the host calls table function
# fn(tid, arg) in a fresh instance. Before any C code runs, switch to the
# thread's own stack and TLS (arg+0: stack pointer, arg+4: tls_base), as
# WALI's musl does; a fresh instance starts on the main thread's stack.
	.text
	.globaltype __stack_pointer, i32
	.globaltype __tls_base, i32
	.functype __wali_thread_entry (i32, i32) -> ()

	.globl __wali_thread_start
	.type __wali_thread_start,@function
	.export_name __wali_thread_start, __wali_thread_start
__wali_thread_start:
	.functype __wali_thread_start (i32, i32) -> ()
	local.get 1
	i32.load 0
	global.set __stack_pointer
	local.get 1
	i32.load 4
	global.set __tls_base
	local.get 0
	local.get 1
	call __wali_thread_entry
	end_function
