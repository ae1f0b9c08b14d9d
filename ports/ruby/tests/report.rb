# frozen_string_literal: true
# The verdicts and the report of `make ruby-test` (run by run-tests.sh with
# the native Ruby): reads the runner logs of each test file (wasm and
# native), applies the pass/fail criterion described in run-tests.sh, rewrites
# the table between the ruby-test markers of ports/ruby/ports.md, prints one
# line per file and "N passed, M failed".
#
# usage: report.rb LOGDIR DIFFERENCES PORTS_MD|- "NAMES..."  (env: RUN_SECONDS)

logs, diffs_path, ports_md, names = ARGV
names = names.split

Entry = Struct.new(:file, :kind, :test, :reason, :used)
entries = []
File.foreach(diffs_path).with_index(1) do |line, no|
  next if line =~ /\A\s*(#|$)/
  file, kind, test, reason = line.chomp.split(/\s+/, 4)
  unless %w[fails excluded skipped note].include?(kind) && test && reason && !reason.strip.empty?
    abort "#{diffs_path}:#{no}: expected FILE fails|excluded|skipped|note TEST REASON"
  end
  entries << Entry.new(file, kind, test, reason.strip, false)
end

def matches?(entry, name)
  if entry.test =~ %r{\A/(.*)/\z}
    Regexp.new($1).match?(name)
  else
    entry.test == name
  end
end

# One runner log: counts, the tests started and finished, failures, skips.
Log = Struct.new(:tests, :passed, :failed, :skipped, :failures, :skips, :ran,
                 :unfinished, :exit, :secs, :summary, keyword_init: true)
def parse(path)
  text = File.exist?(path) ? File.read(path, mode: "rb").scrub : ""
  # (a test's own output may follow its name on the same line)
  name_re = /[A-Z][\w:]*#\w+[?!=]?/
  ran = text.scan(/^\[\s*\d+\/\d+\] (#{name_re})/).flatten
  # A test still running when the process ended has no " = N s" ending.
  last = text.scan(/^\[\s*\d+\/\d+\] (#{name_re})(.*)$/).last
  unfinished = last && last[1] !~ / = [\d.]+ s\s*$/ ? last[0] : nil
  failures = {}
  skips = {}
  text.scan(/^\s*\d+\) (Failure|Error|Skipped|Timeout):\n(\S+#\S+?)(?: \[[^\]]*\])?:?\n(.*?)(?=\n\s*\n|\z)/m) do |kind, name, msg|
    first = kind == "Timeout" ? "the runner's timeout" : msg.lines.map(&:strip).reject(&:empty?).first.to_s[0, 160]
    (kind == "Skipped" ? skips : failures)[name] = "#{%w[Error Timeout].include?(kind) ? "#{kind}: " : ''}#{first}"
  end
  # (a name glued to the test's own output is lost above; reported ones count)
  ran |= failures.keys + skips.keys
  sum = text.scan(/^(\d+) tests, \d+ assertions, (\d+) failures, (\d+) errors, (\d+) skips$/).last
  code, secs = text.scan(/^exit (\d+) after (\d+)s/).last
  if sum
    t, f, e, s = sum.map(&:to_i)
    Log.new(tests: t, passed: t - f - e - s, failed: f + e, skipped: s, failures: failures,
            skips: skips, ran: ran, unfinished: nil, exit: code, secs: secs, summary: true)
  else
    Log.new(tests: ran.size, passed: nil, failed: nil, skipped: nil, failures: failures,
            skips: skips, ran: ran, unfinished: unfinished, exit: code, secs: secs, summary: false)
  end
end

passed = 0
failed = []
finished = []
rows = []
details = []
names.each do |n|
  key = n.tr("/", "_")
  w = parse("#{logs}/wasm/#{key}.log")
  nat = parse("#{logs}/native/#{key}.log")
  mine = entries.select { |e| e.file == n || e.file == "*" }
  # A name glued to the test's own output ("test_xs:2:in ...") is read as
  # the longest name of the other run that begins it.
  fix = ->(list, other) { list.map! { |x| other.include?(x) ? x : (other.select { |y| x.start_with?(y) }.max_by(&:size) || x) }.uniq! }
  fix[w.ran, nat.ran]
  fix[nat.ran, w.ran]
  problems = []
  unless w.summary
    how = %w[124 137].include?(w.exit) ? "timed out (#{w.secs}s)" : "crashed (exit #{w.exit})"
    problems << "#{how}#{w.unfinished ? " in #{w.unfinished}" : ''}"
  end
  unexplained = []
  explained = []
  w.failures.each do |name, msg|
    e = mine.find { |x| x.kind == "fails" && matches?(x, name) }
    if e
      e.used = true
      explained << [name, msg, e.reason]
    elsif nat.failures.key?(name)
      explained << [name, msg, "fails natively too"]
    else
      unexplained << [name, msg]
    end
  end
  problems << "#{unexplained.size} failure(s) not in test-differences.txt" unless unexplained.empty?
  # (a "*" exclusion counts for this file when it names some native test of it)
  excluded = mine.select { |x| x.kind == "excluded" && (x.file == n || nat.ran.any? { |t| matches?(x, t) }) }
  excluded.each { |x| x.used = true }
  mine.each { |x| x.used = true if x.kind == "note" }
  finished << n if w.summary
  if problems.empty?
    passed += 1
    puts "ok   #{n} (wasm #{w.passed}/#{w.tests} passed, #{w.secs}s; native #{nat.passed}/#{nat.tests}, #{nat.secs}s)"
  else
    failed << n
    puts "FAIL #{n}: #{problems.join('; ')}"
    unexplained.each { |name, msg| puts "     #{name}: #{msg}" }
  end

  cell = ->(l) { l.summary ? [l.tests, l.passed, l.failed, l.skipped] : [l.tests, "—", "—", "—"] }
  note = mine.select { |x| x.kind == "note" }.map(&:reason).join(" ")
  status = problems.empty? ? "ok" : "**FAIL**: #{problems.join('; ')}"
  excl = excluded.empty? ? "" : " #{excluded.size} excluded under wasm (see below)."
  rows << "| #{n} | #{cell[w].join(' | ')} | #{cell[nat].join(' | ')} | #{w.secs}s / #{nat.secs}s | #{status}.#{excl} #{note} |"

  # Every difference between the two runs, with its reason.
  d = []
  excluded.each { |x| d << "excluded under wasm: `#{x.test}`: #{x.reason}" }
  explained.each do |name, msg, why|
    d << "fails under wasm: `#{name}` (#{msg.gsub('|', '\|')}): #{why}"
  end
  unexplained.each { |name, msg| d << "fails under wasm, **no reason recorded**: `#{name}` (#{msg})" }
  (nat.failures.keys - w.failures.keys).each do |name|
    d << "fails natively only: `#{name}` (#{nat.failures[name]})" if w.ran.include?(name)
  end
  (w.skips.keys - nat.skips.keys).each do |name|
    # (a /REGEXP/ of a skipped entry sees "Class#method: skip message")
    e = mine.find { |x| x.kind == "skipped" && (matches?(x, name) || matches?(x, "#{name}: #{w.skips[name]}")) }
    e.used = true if e
    d << "skipped under wasm only: `#{name}` (#{w.skips[name]}): #{e ? e.reason : '**no reason recorded**'}"
  end
  (nat.skips.keys - w.skips.keys).each do |name|
    d << "skipped natively only: `#{name}`: #{nat.skips[name]}" if w.ran.include?(name)
  end
  if w.summary && nat.summary
    only_n = nat.ran - w.ran
    only_n.reject! { |name| excluded.any? { |x| matches?(x, name) } }
    only_w = w.ran - nat.ran
    only_n.group_by { |name| mine.find { |x| x.kind == "skipped" && matches?(x, name) } }.each do |e, list|
      e.used = true if e
      d << "not defined under wasm (#{list.size}): #{list.first(8).map { |x| "`#{x}`" }.join(', ')}#{list.size > 8 ? ', ...' : ''}: #{e ? e.reason : '**no reason recorded**'}"
    end
    d << "defined under wasm only (#{only_w.size}): #{only_w.first(8).map { |x| "`#{x}`" }.join(', ')}#{only_w.size > 8 ? ', ...' : ''}" unless only_w.empty?
  end
  details << [n, d] unless d.empty?
end

# irb on a pseudo-terminal.
irb_log = "#{logs}/irb_pty.log"
irb = File.exist?(irb_log) ? File.read(irb_log) : ""
irb_ok = irb =~ /^irb_pty: ok/ && irb =~ /^exit 0$/
irb_line = irb[/^irb_pty: .*$/] || "irb_pty: no result"
if irb_ok
  passed += 1
  puts "ok   irb on a pty #{irb_line.sub(/\Airb_pty: ok /, '')}"
else
  failed << "irb_pty"
  puts "FAIL irb on a pty: #{irb_line}"
end

stale = entries.select { |e| e.kind == "fails" && !e.used && finished.include?(e.file) }
stale.each { |e| puts "note: stale entry in test-differences.txt (did not fail): #{e.file} #{e.test}" }

total_secs = ENV["RUN_SECONDS"]
table = +""
table << "`make ruby-test` (#{Time.now.utc.strftime('%F')}#{total_secs.to_s.empty? ? '' : ", #{(total_secs.to_i / 60.0).round(1)} min"}): "
table << "each file run by Ruby's own runner (`tool/test/runner.rb -v` with `test/.excludes` and "
table << "`--name=!/memory_leak/`, as `make test-all`) with ruby.wasm under wali and with a native build "
table << "of the same tarball and extension set (`ports/ruby/run-tests.sh`). Columns: tests run, passed, "
table << "failed (failures + errors), skipped. A file passes when the wasm run finishes and each of its "
table << "failures either is listed in `ports/ruby/test-differences.txt` with a reason or fails natively too. "
table << "Logs: `build/ports/ruby-test/`.\n\n"
table << "| file | wasm tests | passed | failed | skipped | native tests | passed | failed | skipped | time wasm / native | result and notes |\n"
table << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
rows.each { |r| table << r << "\n" }
table << "| irb on a pty (`tests/irb_pty.py`) | | | | | | | | | | #{irb_ok ? 'ok' : '**FAIL**'}: #{irb_line.sub(/\Airb_pty: (ok )?/, '')} |\n\n"
table << "**#{passed} passed, #{failed.size} failed**#{failed.empty? ? '' : " (#{failed.join(', ')})"}.\n\n"
table << "Every difference between the wasm and the native run, per file (generated from the logs and "
table << "`test-differences.txt`):\n\n"
details.each do |n, d|
  table << "- **#{n}**\n"
  d.each { |x| table << "  - #{x}\n" }
end

if ports_md == "-"  # a subset: verdicts only
  puts "#{passed} passed, #{failed.size} failed#{failed.empty? ? '' : " (#{failed.join(' ')})"}"
  exit(failed.empty? ? 0 : 1)
end
doc = File.read(ports_md)
b = "<!-- ruby-test:begin (generated by ports/ruby/run-tests.sh) -->\n"
e = "<!-- ruby-test:end -->\n"
if doc.include?(b) && doc.include?(e)
  doc = doc.sub(/#{Regexp.escape(b)}.*?#{Regexp.escape(e)}/m) { b + table + e }
else
  doc << "\n" unless doc.end_with?("\n")
  doc << "\n#### Ruby's test suite under wali (`make ruby-test`)\n\n" << b << table << e
end
File.write(ports_md, doc)

puts "#{passed} passed, #{failed.size} failed#{failed.empty? ? '' : " (#{failed.join(' ')})"}"
exit(failed.empty? ? 0 : 1)
