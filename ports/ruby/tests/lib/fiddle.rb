# frozen_string_literal: true
# Stand-in for Ruby's `fiddle` extension in `make ruby-test` (on the load path
# of both the wasm and the native run): neither build has fiddle (no libffi
# port; the native build uses ruby.wasm's extension set), and
# test/ruby/test_thread.rb requires it at the top for a single test
# (test_thread_native_thread_id_across_fork_on_linux, which calls gettid
# through Fiddle). With this stub the file loads and that test is omitted
# (its own "unless sym_defined?('gettid')" check).
module Fiddle
  TYPE_INT = 4
  class Handle
    def sym_defined?(_name) = false
    def [](name) = raise(NotImplementedError, "fiddle stub: no #{name}")
  end
  def self.dlopen(_lib) = Handle.new
  class Function
    def initialize(*) = raise(NotImplementedError, "fiddle stub")
  end
end
