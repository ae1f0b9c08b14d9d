# psych on libyaml: YAML both ways, and the default gems' specifications
# (RubyGems finds irb, whose rdoc dependency needs psych).
require "yaml"
doc = { "name" => "wali", "list" => [1, 2.5, nil, true], "nested" => { "k" => "v" } }
text = doc.to_yaml
puts text
puts YAML.safe_load(text) == doc
puts YAML.load("- a\n- b: c\n").inspect
puts Gem::Specification.find_by_name("irb").name
