# Threads with a Mutex, a Queue and a ConditionVariable.
m = Mutex.new
count = 0
threads = 4.times.map do |i|
  Thread.new(i) do |n|
    1000.times { m.synchronize { count += 1 } }
    n * 10
  end
end
puts "values #{threads.map(&:value).inspect}"
puts "count #{count}"

q = Queue.new
producer = Thread.new { 5.times { |i| q << i * i }; q << :done }
got = []
while (v = q.pop) != :done
  got << v
end
producer.join
puts "queue #{got.inspect}"

cv = ConditionVariable.new
ready = false
waiter = Thread.new { m.synchronize { cv.wait(m) until ready; :woken } }
sleep 0.05
m.synchronize { ready = true; cv.signal }
puts "cv #{waiter.value}"

t = Thread.new { Thread.current[:x] = 1; Thread.stop; :resumed }
Thread.pass until t.status == "sleep"
t.run
puts "stop/run #{t.value}"
puts "main alive #{Thread.main.alive?} list #{Thread.list.size}"
