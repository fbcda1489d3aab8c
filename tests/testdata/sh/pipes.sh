# compound commands and functions in pipelines: the shell runs them with
# its descriptors on the pipe, and a reader sees the end of its input
seq 3 | while read x; do echo "got $x"; done
for i in $(seq 200); do echo $i; done | while read x; do last=$x; done
f() { echo a; echo b; }
g() { while read l; do echo "g: $l"; done; }
f | g
f | sort -r | g
{ echo one; echo two; } | wc -l
if true; then echo from-if; fi | tr a-z A-Z
case x in x) echo from-case ;; esac | cat
for w in c a b; do echo $w; done | sort | tr '\n' ' '; echo
(echo sub; echo shell) | tail -n 1
echo piped | { read v; echo "read $v"; }
while read a b; do echo "$b $a"; done <<EOF
1 one
2 two
EOF
g < /etc/group | head -n 1
