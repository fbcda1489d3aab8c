# test and [: files, strings, integers, logic; true, false, basename, dirname, env
mkdir -p /tmp/tt/dir; echo data > /tmp/tt/file; : > /tmp/tt/empty
t() { if "$@"; then echo "yes: $*"; else echo "no($?): $*"; fi; }
t test -e /tmp/tt/file
t test -f /tmp/tt/dir
t test -d /tmp/tt/dir
t [ -s /tmp/tt/file ]
t [ -s /tmp/tt/empty ]
t [ -e /tmp/tt/none ]
t [ -r /tmp/tt/file ]
t [ -w /tmp/tt/file ]
t [ -x /bin/sh ]
t [ -n "" ]
t [ -z "" ]
t [ abc ]
t [ "" ]
t [ a = a ]
t [ a != a ]
t [ 3 -lt 10 ]
t [ 10 -le 3 ]
t [ 5 -eq 5 ]
t [ 5 -ne 5 ]
t [ 7 -ge 7 ]
t [ 8 -gt 9 ]
t [ ! -e /tmp/tt/none ]
t [ -d /tmp/tt/dir -a -f /tmp/tt/file ]
t [ -d /tmp/tt/file -o -f /tmp/tt/file ]
t [ \( 1 -eq 2 \) -o \( 2 -eq 2 \) ]
t [ x -eq 1 ]
t [ 1 -eq 1
t true
t false
basename /usr/lib/libc.so
basename /usr/lib/libc.so .so
basename /
basename dir/
dirname /usr/lib/libc.so
dirname libc.so
dirname /
dirname /usr/
env -i A=1 B=2 env
env -i X=y sh -c 'echo "X is $X"'
