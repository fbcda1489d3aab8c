# set -e and set -x; comments; exit statuses of missing commands
# a comment line
echo start # trailing comment
nosuchcommand 2>/dev/null; echo "not found: $?"
set -x
echo traced "a b"
set +x
set -e
false || echo "|| keeps going"
if false; then :; fi
! true
while false; do :; done
echo "still running"
f() { false; echo "after false in function"; }
x=$(true)
sh -c 'exit 4' || echo "failed with $?"
false
echo never
