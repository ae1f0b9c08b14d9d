# Fibers (coroutine=pthread), external enumerators, fibers in threads.
fib = Fiber.new do
  a, b = 0, 1
  loop { Fiber.yield a; a, b = b, a + b }
end
puts "fib #{10.times.map { fib.resume }.inspect}"

f = Fiber.new { |x| y = Fiber.yield(x * 2); y + 1 }
puts "pass #{f.resume(5)} #{f.resume(10)} alive=#{f.alive?}"

e = [1, 2, 3].each
puts "enum #{e.next} #{e.next} #{e.next}"
begin
  e.next
rescue StopIteration
  puts "stop iteration"
end

ths = 3.times.map do |i|
  Thread.new do
    g = Fiber.new { 3.times { |j| Fiber.yield i * 100 + j }; :end }
    4.times.map { g.resume }
  end
end
puts "in threads #{ths.map(&:value).inspect}"

many = 200.times.map { |i| Fiber.new { Fiber.yield i; i * 2 } }
s1 = many.sum(&:resume)
s2 = many.sum(&:resume)
puts "many #{s1} #{s2}"

err = Fiber.new { raise ArgumentError, "inside" }
begin
  err.resume
rescue ArgumentError => ex
  puts "raised #{ex.message}"
end
