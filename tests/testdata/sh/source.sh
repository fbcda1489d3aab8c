# . and source; export to child shells; eval; shift; read
cat > /tmp/lib.sh <<'EOF2'
libvar="from lib"
libfn() { echo "libfn $1"; }
EOF2
. /tmp/lib.sh
echo "$libvar"
libfn x
source /tmp/lib.sh
libfn y
plain=1
export exported=2
sh -c 'echo "child sees [$plain] [$exported]"'
VAR=inline sh -c 'echo "inline: $VAR"'
cmd='echo evaluated $((2+2))'
eval "$cmd"
set -- 1 2 3 4
shift; echo "$@"
shift 2; echo "$@"
printf 'a b c\nd e\n' | { read x rest; echo "x=$x rest=$rest"; read y; echo "y=$y"; }
