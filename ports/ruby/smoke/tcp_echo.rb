# wali-flags: --allow-net 127.0.0.1:*
require "socket"
server = TCPServer.new("127.0.0.1", 0)
port = server.addr[1]
th = Thread.new do
  2.times do
    c = server.accept
    while (line = c.gets)
      c.write("echo: #{line}")
    end
    c.close
  end
end
2.times do |i|
  s = TCPSocket.new("127.0.0.1", port)
  s.puts "hello #{i}"
  s.puts "world #{i}"
  s.close_write
  puts s.read
  s.close
end
th.join
r, w = UNIXSocket.pair
w.send("pair", 0)
puts "unix #{r.recv(10)}"
ready = IO.select([r], nil, nil, 0)
puts "select empty #{ready.inspect}"
server.close
