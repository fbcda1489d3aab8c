# command substitution, $?, arithmetic
x=$(echo hello)
echo "x=$x"
echo "nested: $(echo "a $(echo b) c")"
echo "backquotes: `echo old style`"
lines=$(printf 'one\ntwo\n\n\n')
echo "trailing newlines dropped: [$lines]"
set -- $(echo a b c)
echo "split into $# fields"
echo "quoted stays one: $(echo "a   b")"
n=$(false); echo "status of assignment: $?"
false; echo "after false: $?"
true; echo "after true: $?"
echo "$((1 + 2 * 3)) $(( (1 + 2) * 3 )) $((7 / 2)) $((7 % 3)) $((-4 + 1))"
echo "$((3 > 2)) $((2 == 3)) $((1 && 0)) $((0 || 2)) $((5 > 3 ? 10 : 20))"
i=1; i=$((i + 41)); echo "i=$i"
echo "$(( 0x10 + 010 ))"
f() { echo from function; }
echo "function output: $(f)"
(echo in subshell; exit 3); echo "subshell status $?"
y=1; (y=2); echo "subshell kept y=$y"
