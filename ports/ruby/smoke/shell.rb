# The sandbox's userland under the default policy (no flags): /bin/sh and
# the tools (busybox at /bin and /usr/bin), a private /tmp, HOME, PATH.
require "tmpdir"
require "etc"

puts "backticks: #{`echo hi | tr a-z A-Z`.strip} #{$?.exitstatus}"
$stdout.flush
r = system("echo from system")
puts "system: #{r.inspect}"
puts "system status: #{system("exit 3").inspect} #{$?.exitstatus}"
puts "IO.popen: #{IO.popen("ls /bin/sh /bin/ls", &:read).split.join(" ")}"
puts "IO.popen argv: #{IO.popen(["printf", "%s-", "a", "b"], &:read)}"
pid = spawn("echo spawned")
Process.wait(pid)
puts "spawn status: #{$?.exitstatus}"
puts "missing command: #{system("nosuchcommand 2>/dev/null").inspect} #{$?.exitstatus}"
Dir.mktmpdir do |d|
  puts "tmpdir under /tmp: #{d.start_with?("/tmp/")}"
  File.write(File.join(d, "f"), "a\nb\n")
  puts "wc on a temp file: #{`wc -l < #{d}/f`.strip}"
end
puts "HOME writable: #{Dir.home != "/" && File.writable?(Dir.home)}"
puts "ruby on PATH: #{`ruby -e 'print 6 * 7'`}"
puts "machine: #{Etc.uname[:machine]}"
