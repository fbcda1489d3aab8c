# functions: arguments, $#, $@, return, local variables, recursion
greet() {
	echo "hello, $1 ($# args)"
}
greet world
greet "two words" extra
count() { echo $#; }
count a "b c" d
count
all() { for a in "$@"; do echo "[$a]"; done; }
all 1 "2 3" ""
check() {
	if [ "$1" = yes ]; then return 0; fi
	return 3
}
check yes && echo "returned 0"
check no; echo "returned $?"
v=global
scope() { local v=inner; echo "in: $v"; }
scope; echo "out: $v"
fact() {
	if [ $1 -le 1 ]; then echo 1; return; fi
	echo $(( $1 * $(fact $(($1 - 1))) ))
}
echo "5! = $(fact 5)"
set -- p q
show() { echo "inside: $1"; }
show r; echo "outside: $1"
early() { echo before; return; echo never; }
early
# what a name is: type, command -v and -V, which
greet() { echo hi; }
type ls cd greet
type nosuch; echo "type nosuch: $?"
command -v ls cd greet
command -V greet
command -v nosuch; echo "command -v nosuch: $?"
which ls sh
which nosuch; echo "which nosuch: $?"
