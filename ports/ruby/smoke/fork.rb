# fork with a pipe, exit statuses, and a child ruby (exec of ruby.wasm).
r, w = IO.pipe
pid = fork do
  r.close
  w.puts "from child #{Process.pid != Process.ppid}"
  w.close
  exit! 7
end
w.close
puts r.read
_, st = Process.wait2(pid)
puts "child exit #{st.exitstatus}"

pid = fork { sleep 10 }
Process.kill(:TERM, pid)
Process.wait(pid)
puts "killed by #{Signal.signame($?.termsig)}"

out = IO.popen([RbConfig.ruby, "-e", "print 6 * 7; exit 3"], &:read)
puts "popen #{out} status #{$?.exitstatus}"
puts "system #{system(RbConfig.ruby, "-e", "exit 0")}"
