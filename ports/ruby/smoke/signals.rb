# Signal.trap: handlers run by the VM's signal thread, delivered async.
got = []
Signal.trap("USR1") { got << :usr1 }
Signal.trap("USR2") { got << :usr2 }
Process.kill("USR1", Process.pid)
Process.kill(:USR2, $$)
sleep 0.01 until got.size == 2
puts "trapped #{got.sort.inspect}"

old = Signal.trap("INT") { raise Interrupt }
begin
  Process.kill("INT", $$)
  sleep 5
  puts "not interrupted"
rescue Interrupt
  puts "interrupt raised"
end
Signal.trap("INT", old)

r = Signal.trap("TERM", "IGNORE")
Process.kill("TERM", $$)
sleep 0.05
puts "ignored TERM, previous #{r.inspect}"

# A handler interrupting a busy loop.
flag = false
Signal.trap("ALRM") { flag = true }
Process.kill("ALRM", $$)
n = 0
n += 1 until flag
puts "busy loop interrupted"
puts "signame #{Signal.signame(10)} list #{Signal.list['USR1']}"
