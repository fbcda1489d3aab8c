# IFS: field splitting and read; assignments before a builtin or function
# last only while it runs
v='a:b::c'
IFS=:
for f in $v; do echo "[$f]"; done
set -- $v; echo "$# fields"
IFS=' :'
w='  x : y  z '
for f in $w; do echo "<$f>"; done
unset IFS
echo "a:b c" | { IFS=: read p q; echo "p=$p q=$q"; }
echo "  lead  and trail  " | { read r; echo "[$r]"; }
echo "1,2,3,4" | { IFS=, read a b rest; echo "$a $b $rest"; }
echo "IFS after: [${IFS-unset}]"
IFS=
s='no split here'
for f in $s; do echo "{$f}"; done
unset IFS
show() { echo "in f: $X"; }
X=outer
X=inner show
echo "after: $X"
