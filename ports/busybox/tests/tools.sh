# The shell and the tools, exercised by one script that ports/busybox/check.sh
# runs twice: by the native busybox (same source and configuration) and by
# busybox.wasm under wali; the two outputs must be equal, line for line. It
# runs in a fresh empty directory (its cwd) and prints only facts that do
# not depend on the machine: no pids, times, inode numbers or host paths.
# `uname -m` is left out on purpose: wali answers wasm32 (check.sh checks it).

section() { echo "== $1"; }

section "pipelines and substitution"
echo hi | tr a-z A-Z
printf 'b\na\nc\na\n' | sort | uniq -c | sed 's/^ *//'
x=$(printf 'one\ntwo\nthree\n' | wc -l)
echo "lines: $x"
echo "nested: $(echo "$(echo inner | tr i I)")"
echo "status of false|true: $(false | true; echo $?)"
set -o pipefail 2>/dev/null && echo "pipefail: $(false | true; echo $?)"
set +o pipefail 2>/dev/null

section "arithmetic, tests, expr"
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo "i=$i"
echo $(( (7 * 6) % 5 )) $(( 1 << 10 )) $(( 0x10 + 010 ))
expr 3 + 4; expr 10 / 3; expr length hello; expr substr hello 2 3; expr abc : 'a\(.\)'
test 1 -lt 2 && echo "1<2"; [ -z "" ] && echo "empty"; [ abc != abd ] && echo "differ"
[ -d . ] && echo "dir"; [ ! -e nope ] && echo "absent"
test 3 -gt 4; echo "test status: $?"

section "control flow, functions, traps"
f() { local v=$1; echo "f got $v"; return 3; }
f arg; echo "f returned $?"
for w in a b c; do case $w in a) echo "A";; b|c) echo "B or C: $w";; esac; done
(exit 7); echo "subshell exit: $?"
trap 'echo "trap EXIT"' EXIT
sh -c 'trap "echo caught USR1" USR1; kill -USR1 $$; echo "after USR1"'
sh -c 'trap "echo child caught TERM; exit 5" TERM; kill -TERM $$; sleep 5'; echo "child status: $?"
sh -c 'kill -KILL $$'; echo "killed status: $?"

section "here-documents, read, IFS"
cat <<EOF
here $((1 + 1)) $(echo doc)
EOF
cat <<'EOF'
literal $HOME $(nothing)
EOF
printf 'k1=v1\nk2=v2\n' | while IFS== read -r k v; do echo "$k -> $v"; done
IFS=: read -r a b c <<EOF
x:y:z
EOF
echo "$c$b$a"

section "files"
mkdir -p d/e/f; echo data > d/e/f/file; echo other > d/top
ls d; ls -R d | sed '/^$/d'
cp d/e/f/file d/copy; mv d/copy d/moved; cat d/moved
ln -s moved d/link; readlink d/link; cat d/link
cp -r d d2; find d2 -type f | sort
rm -r d2; [ -e d2 ] || echo "d2 gone"
touch -d 2020-01-02 d/old 2>/dev/null || touch d/old
find d -name 'f*' | sort; find d -type d | sort
find d -type f -exec wc -c {} + | sort
wc -c < d/e/f/file; wc -w d/top | sed 's/ .*//'
chmod 600 d/top; stat -c '%a %s %F' d/top
head -c 3 d/e/f/file; echo
seq 10 | head -3; seq 10 | tail -2; seq 5 | tail -n +4
seq 1 2 9 | xargs echo; printf 'a b\nc\n' | xargs -n1 echo item
printf 'x\0y\0' | xargs -0 echo zero:
echo "a:b:c" | cut -d: -f2,3; echo "abcdef" | cut -c2-4
printf '3\n1\n2\n' | sort -n; printf 'b 2\na 1\n' | sort -k2 -n -r
printf 'line1\nline2\nline3\n' > lines
grep -n line2 lines; grep -c line lines; grep -v 1 lines; grep -E 'line[13]' lines
grep -q nothing lines; echo "grep miss: $?"
sed -n '2p' lines; sed 's/line/L/g' lines | tr '\n' ' '; echo
sed -i 's/3/three/' lines; cat lines
printf 'b\na\n' > s1; printf 'a\nc\n' > s2; sort s1 > s1s; comm s1s s2
diff s1s s2 | tail -n +3; echo "diff status: $?"
echo hello > g; gzip g; ls g*; gunzip g.gz; cat g
tar cf t.tar d/e; rm -r d/e; tar xf t.tar; cat d/e/f/file
echo abc | md5sum; echo abc | sha256sum | cut -c1-16
printf 'abc' | od -c; printf 'abc' | hexdump -C
basename /a/b/c.txt .txt; dirname /a/b/c.txt
echo "  spaced  out  " | tr -s ' '; echo HELLO | tr A-Z a-z; echo hello | tr -d l
echo text | tee teed > /dev/null; cat teed
printf '%s|%5s|%-3d|%x|%c\n' str pad 7 255 Z
echo -n "no newline"; echo; echo -e 'tab\there'
rmdir d 2>/dev/null; echo "rmdir non-empty: $?"
pwd | sed 's|.*/||' > /dev/null && echo "pwd ok"
true; echo "true: $?"; false; echo "false: $?"

section "environment and processes"
env -i A=1 B=2 env | sort
A=inline sh -c 'echo "A is $A"'
export EXPORTED=yes; sh -c 'echo "exported: $EXPORTED"'
unset EXPORTED; sh -c 'echo "unset: ${EXPORTED:-none}"'
sleep 0.1; echo "slept"
sleep 10 & pid=$!; kill $pid; wait $pid; echo "wait status: $?"
(echo bg1 > bgout) & wait; cat bgout
echo "exec in subshell: $(exec echo replaced)"
command -v ls >/dev/null && echo "ls on PATH"
type cd | sed 's/ is .*//'
uname -s
timeout 1 sleep 5; echo "timeout status: $?"
sh -c 'exit 42'; echo "sh exit: $?"
nosuchcmd 2>/dev/null; echo "missing command: $?"
echo 'echo from a script file; exit 4' > script.sh; sh script.sh; echo "script: $?"
printf '#!/bin/sh\necho shebang run "$@"\n' > run.sh; chmod +x run.sh; ./run.sh x y
echo "\$0 in sh -c: $(sh -c 'echo $0' named)"
echo "done"
