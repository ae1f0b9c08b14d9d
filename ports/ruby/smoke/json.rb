require "json"
obj = { "a" => [1, 2.5, nil, true], "b" => { "c" => "d\u00e9" }, "n" => -3 }
s = JSON.generate(obj)
puts s
puts JSON.parse(s) == obj
puts JSON.pretty_generate({ "x" => [1] })
deep = JSON.parse("[" * 90 + "]" * 90)
puts "deep ok #{deep.flatten.empty?}"
begin
  JSON.parse("{bad")
rescue JSON::ParserError
  puts "parse error"
end
