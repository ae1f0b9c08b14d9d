# raise/rescue/ensure/retry, throw/catch, break/next/return out of blocks:
# all of it is setjmp/longjmp (Wasm exception handling) underneath.
def risky(n)
  raise ArgumentError, "bad #{n}" if n.odd?
  n
ensure
  $ensured = ($ensured || 0) + 1
end
r = (1..6).map { |i| begin; risky(i); rescue ArgumentError => e; e.message; end }
puts r.inspect, "ensured #{$ensured}"

tries = 0
begin
  tries += 1
  raise "again" if tries < 3
  puts "retried #{tries}"
rescue
  retry
end

v = catch(:found) do
  10.times { |i| 10.times { |j| throw :found, [i, j] if i * j == 42 } }
  :none
end
puts "catch #{v.inspect}"

x = [1, 2, 3, 4].each { |i| break i * 10 if i == 3 }
puts "break #{x}"
def find_it; [5, 6, 7].each { |i| return i if i > 5 }; nil; end
puts "return #{find_it}"
puts "next #{[1, 2, 3].map { |i| next 0 if i == 2; i }.inspect}"

def deep(n) = n.zero? ? raise(IndexError, "bottom") : deep(n - 1)
begin
  deep(500)
rescue IndexError => e
  puts "deep #{e.message} backtrace>500=#{e.backtrace.size > 500}"
end

begin
  def recurse(n) = recurse(n + 1)
  recurse(0)
rescue SystemStackError
  puts "stack overflow rescued"
end

class MyError < StandardError; end
begin
  begin
    raise MyError, "inner"
  rescue => e
    raise RuntimeError, "outer"
  end
rescue => e
  puts "cause #{e.message} <- #{e.cause.message} (#{e.cause.class})"
end
t = Thread.new { Thread.current.report_on_exception = false; raise "in thread" }
begin
  t.join
rescue => e
  puts "thread join #{e.message}"
end
puts "1/0 #{(1 / 0 rescue $!.class)}"
puts "method_missing #{(nil.nope rescue $!.class)}"
