# Sets this instance's __tls_base. __wasm_init_tls does that too, but only
# when the program has thread-local data; the thread pointer needs it always.
	.text
	.globaltype __tls_base, i32

	.hidden __wali_set_tls_base
	.globl __wali_set_tls_base
	.type __wali_set_tls_base,@function
__wali_set_tls_base:
	.functype __wali_set_tls_base (i32) -> ()
	local.get 0
	global.set __tls_base
	end_function
