# POSIX quoting and field splitting
a="one  two"
echo $a
echo "$a"
echo '$a'
echo "\$a \"q\" \\ \`"
echo 'it'\''s'
echo a\ b\	c
empty=
echo "[$empty]" [$empty] x${empty}y
printf '%s|' $a "$a" ''; echo
printf '%s|' "${unset}" ${unset}; echo
echo ${#a} "${a%% *}" "${a#* }" ${nothing:-default} ${a:+set}
echo "${missing-}" "${b:=assigned}" "$b"
p=/usr/local/lib/file.tar.gz
echo ${p##*/} ${p%/*} ${p%.*} ${p%%.*}
echo "tab	inside"
echo $(echo '  spaced   out  ')
set -- "a b" c
echo $#; for x in $*; do echo "<$x>"; done
