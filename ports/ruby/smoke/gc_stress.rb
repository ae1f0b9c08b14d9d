# ruby-flags: --disable-gems
# Conservative GC must see references held only in Wasm locals: with
# GC.stress every allocation runs a full GC, so an object kept only in a
# local of C code is freed (and reused) at once if the stack scan misses it.
GC.stress = true
a = []
100.times { |i| a << "str#{i}" * 2 << [i, i.to_s] << { i => i.to_s } }
ok = a.each_slice(3).each_with_index.all? do |(s, arr, h), i|
  s == "str#{i}str#{i}" && arr == [i, i.to_s] && h == { i => i.to_s }
end
puts "stress objects ok=#{ok} size=#{a.size}"
s = (1..60).map { |i| i.to_s(16) }.join(",").split(",").map { |x| x.to_i(16) }.sum
puts "stress map/join/split #{s}"
h = Hash.new { |hh, k| hh[k] = "v#{k}" }
50.times { |i| h[i % 37] }
puts "stress hash #{h.size} #{h[36]}"
sym = 40.times.map { |i| :"dyn_sym_#{i}" }
puts "stress symbols #{sym.last} #{sym.uniq.size}"
t = Thread.new { 40.times.map { |i| [i] * 3 }.flatten.size }
puts "stress thread #{t.value}"
f = Fiber.new { x = 20.times.map { |i| "f#{i}" }; Fiber.yield x.size; x.join.size }
puts "stress fiber #{f.resume} #{f.resume}"
GC.stress = false
big = Array.new(200_000) { |i| "x#{i}" }
GC.start
puts "after GC.start #{big[199_999]} #{big.size} count>0=#{GC.count > 0}"
