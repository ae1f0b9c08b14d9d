# frozen_string_literal: true
# Stand-in for Ruby's test-only C extension `-test-/file` in `make ruby-test`
# (on the load path of both runs): `-test-/*` extensions are always shared
# objects, which ruby.wasm cannot load, and the native build leaves them out
# too (the same extension set). test/ruby/test_file.rb requires it at the
# top; it and test_io.rb use two functions:
#   Bug::File::Fs.noatime?(path)  real: statvfs f_flag & ST_NOATIME.  Here:
#                                 false (relatime/strictatime mounts, this
#                                 machine's /tmp), so the atime check runs.
#   Bug::File::Fs.fsname(path)    real: statfs f_type name.  Here: nil, so
#                                 test_io's can_seek_data says false and
#                                 test_seek*'s SEEK_DATA/SEEK_HOLE checks
#                                 are skipped on both sides.
module Bug
  class File < ::File
    module Fs
      def self.noatime?(_path) = false
      def self.fsname(_path) = nil
    end
  end
end
